"""Batch actions benchmark (issue #20): 500 stage moves in one batch against 500 single moves. Prints JSON.

    python bench/batch.py --db /tmp/bench/200k.db [--work DIR] [--open 15000] [--size 500] [--runs 5]

The source database is never written: it is copied into --work (SQLite's backup, so a -wal file comes
along) and the copy is removed at the end. The copy is topped up to --open open opportunities (one
transaction per 1,000). Then: --runs batches of --size moves (alternating between two stages, each
moving every card), one pass of --size single moves (one transaction and one fsync each), and one batch
each of assign, add tag and close as lost. Target: a batch of 500 moves under 0.25 s (10x Tryton's 0.75 s).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _s(seconds: float) -> float:
    return round(seconds, 3)


def copy_database(source: Path, work: Path) -> Path:
    target = work / source.name
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    return target


def top_up(services, admin, wanted: int) -> int:
    """At least `wanted` open opportunities, on the database's own customers. Returns how many are open."""
    from sqlalchemy import func, select

    from app.models import Identity, Opportunity, OpportunityStatus
    from app.services.opportunities.data import OpportunityData

    with services.db.read(admin) as s:
        have = s.scalar(select(func.count()).where(Opportunity.status == OpportunityStatus.OPEN)) or 0
        missing = max(0, wanted - have)
        customers = s.scalars(select(Identity.id).where(Identity.deleted_at.is_(None)).limit(missing)).all()
    for start in range(0, missing, 1000):
        chunk = customers[start : start + 1000]
        items = [
            OpportunityData(identity_id=c, title=f"فرصت آزمون {start + n}", amount=10_000_000)
            for n, c in enumerate(chunk)
        ]
        services.opportunity_records.create_many(admin, items)
    return have + missing


def pick(services, admin, size: int):
    """`size` open opportunities of the default pipeline and two of its stages."""
    from sqlalchemy import select

    from app.models import Opportunity, OpportunityStatus

    pipeline = services.pipelines.pipelines(admin)[0]
    with services.db.read(admin) as s:
        ids = s.scalars(
            select(Opportunity.id)
            .where(Opportunity.status == OpportunityStatus.OPEN, Opportunity.pipeline_id == pipeline.id)
            .where(Opportunity.deleted_at.is_(None), Opportunity.merged_into_id.is_(None))
            .order_by(Opportunity.id)
            .limit(size)
        ).all()
    return ids, pipeline.stages[1].id, pipeline.stages[2].id


def _timed(call) -> tuple[float, float]:
    """Wall-clock and this process's CPU seconds: on a shared machine the wall clock waits for others."""
    wall, cpu = time.perf_counter(), time.process_time()
    call()
    return time.perf_counter() - wall, time.process_time() - cpu


def _assignee_and_tag(services, admin):
    """A user who owns none of the picked opportunities (they are the administrator's) and a new tag."""
    from sqlalchemy import select

    from app.models import Tag, User
    from app.services.core.actor import SYSTEM

    with services.db.write(SYSTEM) as s:
        user = s.scalar(select(User.id).where(User.is_active, User.id != admin.user_id).limit(1))
        tag = Tag(name="آزمون گروهی", name_key="آزمون گروهی")
        s.add(tag)
        s.flush()
        return user, tag.id


def bench(services, admin, size: int, runs: int) -> dict:
    from app.services.opportunities.data import LossData

    batch = services.opportunity_batch
    ids, first, second = pick(services, admin, size)
    if len(ids) < size:
        raise SystemExit(f"only {len(ids)} open opportunities in the default pipeline")
    services.opportunity_batch.assign(admin, ids, admin.user_id)  # the top-up's and the demo's alike
    walls, cpus = [], []
    for run in range(runs):
        stage = first if run % 2 == 0 else second
        wall, cpu = _timed(lambda s=stage: batch.move(admin, ids, s))
        walls.append(wall)
        cpus.append(cpu)
    stage = second if runs % 2 == 0 else first
    single_wall, single_cpu = _timed(lambda: [services.pipeline_moves.move(admin, i, stage) for i in ids])
    user, tag = _assignee_and_tag(services, admin)
    loss = LossData(services.sales_lists.items(admin, "loss_reasons")[0].id)
    others = {
        "assign": lambda: batch.assign(admin, ids, user),
        "add_tag": lambda: batch.add_tag(admin, ids, tag),
        "lose": lambda: batch.lose(admin, ids, loss),
    }
    median = statistics.median(walls)
    return {
        "batch_size": size,
        "batch_move_s": [_s(t) for t in walls],
        "batch_move_median_s": _s(median),
        "batch_move_cpu_median_s": _s(statistics.median(cpus)),
        "single_moves_total_s": _s(single_wall),
        "single_moves_cpu_s": _s(single_cpu),
        "single_move_mean_ms": round(single_wall / size * 1000, 2),
        "batch_speedup": round(single_wall / median, 1),
        **{f"batch_{name}_s": _s(_timed(call)[0]) for name, call in others.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, required=True, help="the source SQLite file (only read)")
    parser.add_argument("--work", type=Path, help="where the copy goes (default: a new temporary folder)")
    parser.add_argument("--open", type=int, default=15_000, help="open opportunities to have in the copy")
    parser.add_argument("--size", type=int, default=500)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp())
    work.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    path = copy_database(args.db, work)
    copied = time.perf_counter() - start
    from app.services.core.registry import Services

    services = Services.open(f"sqlite:///{path.as_posix()}")
    try:
        admin = services.users.ensure_admin()
        start = time.perf_counter()
        open_count = top_up(services, admin, args.open)
        result = {
            "database": str(args.db),
            "open_opportunities": open_count,
            "copy_s": _s(copied),
            "top_up_s": _s(time.perf_counter() - start),
            **bench(services, admin, args.size, args.runs),
            "target_batch_move_s": 0.25,
            "loadavg": Path("/proc/loadavg").read_text().split()[:3] if os.path.exists("/proc/loadavg") else None,
        }
    finally:
        services.db.dispose()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()

"""Deal health for a whole board and the cardboard of a busy rep.

    python bench/activities.py [--opportunities 5000] [--activities 100000] [--rep-activities 2000] [--runs 7]

Builds a throw-away SQLite database with 50 reps, 20,000 identities, the given open opportunities
and activities (planned, done and cancelled, due within ±60 days; one rep holds --rep-activities of
them), then times, as medians over --runs:
- board_health_ms: DealHealthService.states for every open opportunity (target < 50 ms);
- board_health_rep_ms: the same for the busy rep with "own documents only" (their opportunities);
- urgency_sort_ms: all open opportunities ordered by urgency in SQL;
- cardboard_ms: CardboardService.load for the busy rep (target < 200 ms).
Prints JSON.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, select  # noqa: E402

from app.models import (  # noqa: E402
    AccessLevel,
    Activity,
    ActivityKind,
    ActivityState,
    Identity,
    IdentityKind,
    Opportunity,
    OpportunityStatus,
    User,
    new_id,
    utcnow,
)
from app.services.activities.activity_types import ensure_builtin_types  # noqa: E402
from app.services.core import migrations  # noqa: E402
from app.services.core.actor import SYSTEM, Actor  # noqa: E402
from app.services.core.registry import Services  # noqa: E402
from app.services.opportunities.health import urgency_expression  # noqa: E402
from app.services.opportunities.pipelines import ensure_default_pipeline  # noqa: E402

BATCH = 10_000
KINDS = [ActivityKind.CALL, ActivityKind.MEETING, ActivityKind.REMINDER, ActivityKind.TASK]


def _insert(services: Services, model, rows: list[dict]) -> None:
    for start in range(0, len(rows), BATCH):
        with services.db.write(SYSTEM) as s:
            s.execute(insert(model), rows[start : start + BATCH])


def _stamp(now: dt.datetime, **values) -> dict:
    return {"id": new_id(), "created_at": now, "updated_at": now, "version": 1, **values}


def build(services: Services, opportunities: int, activities: int, rep_activities: int, seed: int = 6) -> Actor:
    rnd, now = random.Random(seed), utcnow()
    stages = ensure_default_pipeline(services.db)
    ensure_builtin_types(services.db)
    users = [{"id": new_id(), "login": f"rep{i}", "display_name": f"کارشناس {i}"} for i in range(50)]
    _insert(services, User, users)
    rep = users[0]
    user_ids = [u["id"] for u in users]
    identities = [
        _stamp(
            now,
            kind=IdentityKind.ORGANISATION,
            display_name=f"شرکت {i}",
            name_key=f"شرکت{i}",
            owner_id=rnd.choice(user_ids),
            search_blob="",
        )
        for i in range(20_000)
    ]
    _insert(services, Identity, identities)
    opps = [
        _stamp(
            now,
            identity_id=rnd.choice(identities)["id"],
            title=f"فرصت {i}",
            title_key=f"فرصت{i}",
            pipeline_id=stages[0]["pipeline_id"],
            stage_id=stages[i % len(stages)]["id"],
            status=OpportunityStatus.OPEN,
            amount=rnd.randint(1, 2000) * 1_000_000,
            owner_id=rep["id"] if i % 25 == 0 else rnd.choice(user_ids),
            extra={},
        )
        for i in range(opportunities)
    ]
    _insert(services, Opportunity, opps)
    rows = []
    for i in range(activities):
        busy = i < rep_activities
        opp = rnd.choice(opps) if rnd.random() < 0.8 else None
        state = rnd.choices(list(ActivityState), weights=[60, 35, 5])[0]
        rows.append(
            _stamp(
                now,
                identity_id=opp["identity_id"] if opp else rnd.choice(identities)["id"],
                opportunity_id=opp["id"] if opp else None,
                kind=rnd.choice(KINDS),
                summary=f"فعالیت {i}",
                due_at=now + dt.timedelta(minutes=rnd.randint(-60 * 24 * 60, 60 * 24 * 60)),
                assignee_id=rep["id"] if busy else rnd.choice(user_ids),
                state=state,
                done_at=now if state is ActivityState.DONE else None,
            )
        )
    _insert(services, Activity, rows)
    return Actor(rep["id"], rep["login"], rep["display_name"], AccessLevel.OWN_DOCUMENTS)


def median_ms(fn, runs: int) -> float:
    fn()  # warm the statement cache and SQLite's page cache
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        fn()
        times.append((time.perf_counter() - began) * 1000)
    return round(statistics.median(times), 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--opportunities", type=int, default=5_000)
    parser.add_argument("--activities", type=int, default=100_000)
    parser.add_argument("--rep-activities", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        services = Services.open(f"sqlite:///{(Path(work) / 'bench.db').as_posix()}")
        migrations.upgrade(services.db)
        admin = services.users.ensure_admin()
        began = time.perf_counter()
        rep = build(services, args.opportunities, args.activities, args.rep_activities)
        build_s = time.perf_counter() - began
        with services.db.read(admin) as s:
            open_ids = list(s.scalars(select(Opportunity.id).where(Opportunity.status == OpportunityStatus.OPEN)))
            rep_ids = list(s.scalars(select(Opportunity.id).where(Opportunity.owner_id == rep.user_id)))
        states = services.deal_health.states(admin, open_ids)

        def urgency_sort() -> list:
            with services.db.read(admin) as s:
                stmt = select(Opportunity.id).where(Opportunity.status == OpportunityStatus.OPEN)
                return list(s.scalars(stmt.order_by(urgency_expression(), Opportunity.amount.desc())))

        board = services.cardboard.load(rep)
        result = {
            "opportunities": len(open_ids),
            "activities": args.activities,
            "rep_activities": args.rep_activities,
            "build_s": round(build_s, 1),
            "states": {h.value: list(states.values()).count(h) for h in set(states.values())},
            "board_health_ms": median_ms(lambda: services.deal_health.states(admin, open_ids), args.runs),
            "board_health_rep_ms": median_ms(lambda: services.deal_health.states(rep, rep_ids), args.runs),
            "urgency_sort_ms": median_ms(urgency_sort, args.runs),
            "cardboard_ms": median_ms(lambda: services.cardboard.load(rep), args.runs),
            "cardboard_counts": {
                "overdue": board.overdue.total,
                "today": board.today.total,
                "next_7_days": board.next_7_days.total,
                "no_plan": board.no_plan.total,
            },
            "targets_ms": {"board_health": 50, "cardboard": 200},
        }
        services.db.dispose()
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()

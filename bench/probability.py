"""Automatic probability validation: trained on the demo's closes before a cut-off day, measured on
the closes after it (held out by date). Prints JSON.

    python bench/probability.py [--identities N] [--opportunities M] [--db PATH] [--held-out 0.25]

Calibration: the Brier score (mean squared error of the probability against won = 1 / lost = 0;
lower is better) and a reliability table (the held-out deals in tenths of their predicted
probability: how many, the mean prediction, the share actually won). Compared with:
- the stage's default probability, the baseline the brief names. A closed deal's stage is the one it
  closed in (the demo closes every won deal in the last stage), so this baseline knows the result;
- the training win rate for every deal (no field at all);
- the model with the stage as well, which learns from the same closing stages (like the baseline).
The model's own figure is without the stage: its other fields are known before the result.
Also timed: training (a count and a GROUP BY per field) and estimating a page of 50 open deals.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def build(db_path: Path, identities: int, opportunities: int):
    from app.services.core import migrations
    from app.services.core.registry import Services
    from app.services.demo import DemoBuilder

    services = Services.open(f"sqlite:///{db_path.as_posix()}")
    if migrations.upgrade(services.db):
        services.users.ensure_admin()
        DemoBuilder(services.db, seed=1405).run(identities=identities, opportunities=opportunities)
    return services


def reliability(pairs: list[tuple[float, int]]) -> list[dict]:
    rows = []
    for tenth in range(10):
        inside = [(p, y) for p, y in pairs if min(int(p * 10), 9) == tenth]
        if inside:
            rows.append({
                "predicted": f"{tenth * 10}-{tenth * 10 + 10}%",
                "deals": len(inside),
                "mean_predicted": round(sum(p for p, _ in inside) / len(inside), 3),
                "observed_won": round(sum(y for _, y in inside) / len(inside), 3),
            })  # fmt: skip
    return rows


def score(pairs: list[tuple[float, int]]) -> dict:
    brier = sum((p - y) ** 2 for p, y in pairs) / len(pairs)
    return {"brier": round(brier, 4), "reliability": reliability(pairs)}


def held_out(s, cutoff: dt.date) -> list[tuple]:
    """(id, won, stage default probability) of the closes on or after the cut-off."""
    from sqlalchemy import select

    from app.models import Opportunity, OpportunityStatus, Stage
    from app.services.opportunities.auto_probability import AutoProbabilityConfig, closed_filter

    stmt = (
        select(Opportunity.id, Opportunity.status == OpportunityStatus.WON, Stage.probability)
        .join(Stage, Stage.id == Opportunity.stage_id)
        .where(*closed_filter(AutoProbabilityConfig()), Opportunity.closed_on >= cutoff)
    )
    return [(i, int(bool(won)), probability / 100) for i, won, probability in s.execute(stmt)]


def cutoff_day(s, share: float) -> dt.date:
    """The day before which (1 - share) of the closes fall."""
    from sqlalchemy import select

    from app.models import Opportunity
    from app.services.opportunities.auto_probability import AutoProbabilityConfig, closed_filter

    days = sorted(s.scalars(select(Opportunity.closed_on).where(*closed_filter(AutoProbabilityConfig()))))
    return days[int(len(days) * (1 - share))]


def evaluate(s, fields: tuple[str, ...], cutoff: dt.date, rows: list[tuple]) -> tuple[dict, float]:
    from app.services.opportunities.auto_probability import AutoProbabilityConfig, deal_values, train

    config = AutoProbabilityConfig(fields)
    started = time.perf_counter()
    model = train(s, config, until=cutoff)
    seconds = time.perf_counter() - started
    values = deal_values(s, config, [r[0] for r in rows])
    pairs = [(model.estimate(values[i]).percent / 100, won) for i, won, _ in rows]
    result = score(pairs) | {"fields": list(fields), "trained_on": model.closes, "train_ms": round(seconds * 1000, 1)}
    return result, model.base


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--identities", type=int, default=3000)
    parser.add_argument("--opportunities", type=int, default=4000)
    parser.add_argument("--held-out", type=float, default=0.25)
    parser.add_argument("--db", type=Path, default=None)
    args = parser.parse_args()
    db_path = args.db or Path(tempfile.mkdtemp()) / "probability.db"

    from sqlalchemy import select

    from app.models import Opportunity, OpportunityStatus
    from app.services.core.actor import SYSTEM
    from app.services.opportunities.auto_probability_fields import FIELDS

    services = build(db_path, args.identities, args.opportunities)
    without_stage = tuple(f.key for f in FIELDS if f.key != "stage")
    with services.db.read(SYSTEM) as s:
        cutoff = cutoff_day(s, args.held_out)
        rows = held_out(s, cutoff)
        model, base = evaluate(s, without_stage, cutoff, rows)
        with_stage, _ = evaluate(s, tuple(f.key for f in FIELDS), cutoff, rows)
        page = list(s.scalars(select(Opportunity.id).where(Opportunity.status == OpportunityStatus.OPEN).limit(50)))
    started = time.perf_counter()
    services.auto_probability.estimates(SYSTEM, page)  # trains the office's model, then the page
    first_page = time.perf_counter() - started
    started = time.perf_counter()
    services.auto_probability.estimates(SYSTEM, page)
    kept_page = time.perf_counter() - started
    print(json.dumps({
        "opportunities": args.opportunities,
        "cutoff": cutoff.isoformat(),
        "held_out_closes": len(rows),
        "held_out_won_share": round(sum(won for _, won, _ in rows) / len(rows), 3),
        "model": model,
        "baseline_stage_default": score([(p, won) for _, won, p in rows]),
        "baseline_training_win_rate": score([(base, won) for _, won, _ in rows]),
        "model_with_stage": with_stage,
        "estimate_page_of_50_ms": {
            "training_included": round(first_page * 1000, 1), "model_kept": round(kept_page * 1000, 1),
        },
    }, ensure_ascii=False, indent=1))  # fmt: skip


if __name__ == "__main__":
    main()

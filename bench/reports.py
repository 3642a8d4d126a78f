"""Each report and a 3-level pivot over a generated data set.

    python bench/reports.py [--opportunities 5000] [--activities 20000] [--runs 5] [--url URL]

Builds a throw-away database (SQLite in a temporary folder, or the empty database at --url, e.g. one
made on the test PostgreSQL server) with 40 reps in 4 teams, 10,000 identities created over the last
year, the given opportunities (half open, a quarter won, a quarter lost, with sources, campaigns,
close reasons and competitors) and activities; then times each report over the current fiscal year
as the administrator and as an own-documents rep, and a 3-level pivot (rep × quarter rows, status
columns), as medians over --runs. Issued invoices are not generated (the targets report reads empty
invoice tables here). Prints JSON.
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

from sqlalchemy import insert  # noqa: E402

from app.models import (  # noqa: E402
    AccessLevel,
    Activity,
    ActivityKind,
    ActivityState,
    Campaign,
    CloseReason,
    Competitor,
    Identity,
    IdentityKind,
    IdentityRole,
    Opportunity,
    OpportunityStatus,
    SalesTeam,
    Source,
    User,
    new_id,
    utcnow,
)
from app.models.enums import ReasonKind  # noqa: E402
from app.services.core import migrations  # noqa: E402
from app.services.core.actor import SYSTEM, Actor  # noqa: E402
from app.services.core.registry import Services  # noqa: E402
from app.services.opportunities.pipelines import ensure_default_pipeline  # noqa: E402
from app.services.reports.periods import PeriodKind, ReportFilter  # noqa: E402
from app.services.reports.pivot import PivotService  # noqa: E402
from app.services.reports.service import REPORTS, ReportService  # noqa: E402

BATCH = 10_000


def _insert(services: Services, model, rows: list[dict]) -> None:
    for start in range(0, len(rows), BATCH):
        with services.db.write(SYSTEM) as s:
            s.execute(insert(model), rows[start : start + BATCH])


def _stamp(at: dt.datetime, **values) -> dict:
    return {"id": new_id(), "created_at": at, "updated_at": at, "version": 1, **values}


def _named(services: Services, model, names: list[str], **values) -> list:
    rows = [_stamp(utcnow(), name=name, position=i, **values) for i, name in enumerate(names)]
    _insert(services, model, rows)
    return [r["id"] for r in rows]


def build(services: Services, opportunities: int, activities: int, seed: int = 17) -> Actor:
    rnd, now = random.Random(seed), utcnow()
    stages = ensure_default_pipeline(services.db)
    teams = _named(services, SalesTeam, [f"تیم {i}" for i in range(4)], monthly_target=5_000_000_000)
    users = [
        {"id": new_id(), "login": f"rep{i}", "display_name": f"کارشناس {i}", "team_id": teams[i % 4]} for i in range(40)
    ]
    _insert(services, User, users)
    user_ids = [u["id"] for u in users]
    sources = _named(services, Source, [f"منبع {i}" for i in range(6)])
    campaigns = _named(services, Campaign, [f"کمپین {i}" for i in range(10)])
    wins = _named(services, CloseReason, [f"دلیل برد {i}" for i in range(4)], kind=ReasonKind.WIN)
    losses = _named(services, CloseReason, [f"دلیل باخت {i}" for i in range(4)], kind=ReasonKind.LOSS)
    competitors = _named(services, Competitor, [f"رقیب {i}" for i in range(5)])

    def day_in_year() -> dt.datetime:
        return now - dt.timedelta(days=rnd.randint(0, 360), minutes=rnd.randint(0, 1440))

    identities = [
        _stamp(
            day_in_year(),
            kind=IdentityKind.ORGANISATION,
            display_name=f"شرکت {i}",
            name_key=f"شرکت{i}",
            owner_id=rnd.choice(user_ids),
            role=rnd.choice(list(IdentityRole)),
            search_blob="",
        )
        for i in range(10_000)
    ]
    _insert(services, Identity, identities)
    opps = []
    for i in range(opportunities):
        owner = users[i % len(users)]
        created = day_in_year()
        status = rnd.choices(list(OpportunityStatus), weights=[50, 25, 25])[0]
        closed = None if status is OpportunityStatus.OPEN else (created + dt.timedelta(days=rnd.randint(0, 90))).date()
        amount = rnd.randint(1, 2000) * 1_000_000
        opps.append(
            _stamp(
                created,
                identity_id=rnd.choice(identities)["id"],
                title=f"فرصت {i}",
                title_key=f"فرصت{i}",
                pipeline_id=stages[0]["pipeline_id"],
                stage_id=stages[i % len(stages)]["id"],
                status=status,
                amount=amount,
                probability=rnd.choice((10, 30, 50, 70, 90)),
                owner_id=owner["id"],
                team_id=owner["team_id"],
                source_id=rnd.choice(sources),
                campaign_id=rnd.choice(campaigns),
                expected_close=(now + dt.timedelta(days=rnd.randint(-30, 200))).date(),
                closed_on=min(closed, now.date()) if closed else None,
                won_amount=amount if status is OpportunityStatus.WON else None,
                close_reason_id=rnd.choice(wins if status is OpportunityStatus.WON else losses) if closed else None,
                lost_to_id=rnd.choice(competitors) if status is OpportunityStatus.LOST else None,
                extra={},
            )
        )
    _insert(services, Opportunity, opps)
    rows = []
    for i in range(activities):
        opp = rnd.choice(opps)
        state = rnd.choices(list(ActivityState), weights=[60, 35, 5])[0]
        due = now + dt.timedelta(minutes=rnd.randint(-200 * 24 * 60, 60 * 24 * 60))
        rows.append(
            _stamp(
                due,
                identity_id=opp["identity_id"],
                opportunity_id=opp["id"],
                kind=ActivityKind.CALL,
                summary=f"فعالیت {i}",
                due_at=due,
                assignee_id=opp["owner_id"],
                state=state,
                done_at=min(due, now) if state is ActivityState.DONE else None,
            )
        )
    _insert(services, Activity, rows)
    rep = users[0]
    return Actor(rep["id"], rep["login"], rep["display_name"], AccessLevel.OWN_DOCUMENTS)


def median_ms(fn, runs: int) -> float:
    fn()  # warm the statement cache and the page cache
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        fn()
        times.append((time.perf_counter() - began) * 1000)
    return round(statistics.median(times), 1)


def run(url: str, args: argparse.Namespace) -> dict:
    services = Services.open(url)
    migrations.upgrade(services.db)
    admin = services.users.ensure_admin()
    began = time.perf_counter()
    rep = build(services, args.opportunities, args.activities)
    build_s = round(time.perf_counter() - began, 1)
    with services.db.engine.connect() as connection:  # the statistics a live database would have
        connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")
    reports, pivots = ReportService(services.db), PivotService(services.db)
    year = ReportFilter.of(PeriodKind.FISCAL_YEAR)
    result = {"database": services.db.engine.dialect.name, "opportunities": args.opportunities,
              "activities": args.activities, "build_s": build_s}  # fmt: skip
    for who, actor in (("admin", admin), ("own_documents_rep", rep)):
        timings = {
            key: median_ms(lambda key=key, actor=actor: reports.report(actor, key, year), args.runs) for key in REPORTS
        }
        timings["pivot_3_levels"] = median_ms(
            lambda actor=actor: pivots.pivot(actor, year, ["rep", "quarter"], ["status"], "amount_sum"), args.runs
        )
        timings["dashboard_total"] = round(sum(timings.values()), 1)
        result[f"{who}_ms"] = timings
    result["target_ms"] = {"each_report": 300, "dashboard": 1000}
    services.db.dispose()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--opportunities", type=int, default=5_000)
    parser.add_argument("--activities", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--url", help="an empty database to fill (default: a temporary SQLite file)")
    args = parser.parse_args()
    if args.url:
        result = run(args.url, args)
    else:
        with tempfile.TemporaryDirectory() as work:
            result = run(f"sqlite:///{(Path(work) / 'bench.db').as_posix()}", args)
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()

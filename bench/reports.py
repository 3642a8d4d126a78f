"""Each report and a 3-level pivot of each source over a generated data set, on SQLite and PostgreSQL.

    python bench/reports.py [--opportunities 50000] [--activities 200000] [--documents 40000] [--runs 5]
                            [--server URL] [--only sqlite|postgresql]

SQLite runs in a temporary folder; PostgreSQL in a database the bench creates on --server (a superuser's
maintenance URL, default $PEYVAND_TEST_PG_URL; skipped without one) and drops after. The data set is
bench/reports_data.py's. Times each report over the current fiscal year as the administrator and as
an own-documents rep, and a 3-level pivot of opportunities (team / rep / quarter × status, amount),
activities (team / rep / state × kind, count) and documents (kind / rep / month × state, net sales),
as medians over --runs. Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from reports_data import build  # noqa: E402
from sqlalchemy import create_engine  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from app.models import new_id  # noqa: E402
from app.services.core import migrations  # noqa: E402
from app.services.core.registry import Services  # noqa: E402
from app.services.reports.periods import PeriodKind, ReportFilter  # noqa: E402
from app.services.reports.pivot import PivotService  # noqa: E402
from app.services.reports.service import REPORTS, ReportService  # noqa: E402

PIVOTS = {  # name -> (source, rows, columns, measure)
    "pivot_opportunities_3_levels": ("opportunities", ["team", "rep", "quarter"], ["status"], "amount_sum"),
    "pivot_activities_3_levels": ("activities", ["team", "rep", "activity_state"], ["activity_kind"], "count"),
    "pivot_documents_3_levels": ("documents", ["document_kind", "rep", "month"], ["document_state"], "net_sum"),
}


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
    rep = build(services, args.opportunities, args.activities, args.documents)
    build_s = round(time.perf_counter() - began, 1)
    with services.db.engine.connect() as connection:  # the statistics a live database would have
        connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")
    reports, pivots = ReportService(services.db), PivotService(services.db)
    year = ReportFilter.of(PeriodKind.FISCAL_YEAR)
    result = {"opportunities": args.opportunities, "activities": args.activities, "documents": args.documents,
              "build_s": build_s}  # fmt: skip
    for who, actor in (("admin", admin), ("own_documents_rep", rep)):
        timings = {
            key: median_ms(lambda key=key, actor=actor: reports.report(actor, key, year), args.runs) for key in REPORTS
        }
        timings["dashboard_total"] = round(sum(timings.values()), 1)
        for name, (source, rows, columns, measure) in PIVOTS.items():
            timings[name] = median_ms(
                lambda a=actor, s=source, r=rows, c=columns, m=measure: pivots.pivot(a, year, r, c, m, s), args.runs
            )
        result[f"{who}_ms"] = timings
        result[f"{who}_over_target"] = sorted(k for k, v in timings.items() if k != "dashboard_total" and v > 300)
    services.db.dispose()
    return result


def on_postgresql(server: str, args: argparse.Namespace) -> dict:
    """On a database made for the run on the server, dropped after (even when the run fails)."""
    name = f"peyvand_bench_{new_id().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f"CREATE DATABASE {name}")
    try:
        return run(make_url(server).set(database=name).render_as_string(hide_password=False), args)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--opportunities", type=int, default=50_000)
    parser.add_argument("--activities", type=int, default=200_000)
    parser.add_argument("--documents", type=int, default=40_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--server", default=os.environ.get("PEYVAND_TEST_PG_URL"), help="a PostgreSQL server")
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    args = parser.parse_args()
    result = {"target_ms": {"each_report": 300, "dashboard": 1000}}
    if args.only != "postgresql":
        with tempfile.TemporaryDirectory() as work:
            result["sqlite"] = run(f"sqlite:///{(Path(work) / 'bench.db').as_posix()}", args)
    if args.only != "sqlite":
        result["postgresql"] = on_postgresql(args.server, args) if args.server else "skipped: no --server"
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()

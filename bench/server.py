"""Office server (PostgreSQL) at scale: quick search, board first paint, concurrent issuing. Prints JSON.

    python bench/server.py [--db URL | --server URL [--name DB] [--keep]] [--identities 200000]
                           [--opportunities 20000] [--open 5000] [--queries 200] [--invoices 1000] [--processes 4]

Without --db, a new database `--name` is made on `--server` (default: $PEYVAND_TEST_PG_URL, the test
server's maintenance URL) and dropped at the end unless --keep. An empty database (new or --db) is
built first: schema, row security (as `server init` does), the demo builder with N identities and M
opportunities (timed: "build_s"); a database that already has identities is reused as it is. Then,
as the owner's `server init` leaves it at an upgrade, the identities table is stored in name order if
it has drifted from it ("ordered_by_name_s", null when it had not).

Measures, as the app does it (bench/identities.py and bench/opportunities.py provide the queries and
the board measurement):
- quick search: the dock's count + first page per query, p50/p95 over `--queries` realistic queries;
- board first paint with `--open` open opportunities;
- both again as `--rep` (a demo rep, own documents) through the rep's own server role, row security
  applying to every query (the owner's connection above bypasses it);
- issuing `--invoices` invoices from `--processes` concurrent processes (spawn, one engine each), one
  `invoices.issue` call and transaction each, as reps clicking «صدور»: the drafts are made first (not
  timed), then all processes start together; wall time, and the numbers are checked for no gap and no
  duplicate (in the database and in what the calls returned).
Targets (issues 8 and 20): search p95 < 20 ms, board < 300 ms, no gap and no duplicate.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing as mp
import os
import random
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _admin_url(server: str, statement: str) -> None:
    from sqlalchemy import create_engine

    engine = create_engine(server, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(statement)
    engine.dispose()


def build(url: str, identities: int, opportunities: int) -> float | None:
    """Schema, row security and the demo data into an empty database; None if it had data already."""
    from sqlalchemy import func, select

    from app.models import Identity
    from app.services.core import migrations
    from app.services.core.actor import SYSTEM
    from app.services.core.database import Database
    from app.services.core.registry import Services
    from app.services.demo import DemoBuilder
    from app.services.server import security as server_security

    start = time.perf_counter()
    db = Database(url)
    migrations.upgrade(db)
    with db.read(SYSTEM) as s:
        present = s.scalar(select(func.count()).select_from(Identity))
    if present:
        db.dispose()
        return None
    with db.engine.begin() as conn:
        server_security.install_row_security(conn)
    Services(db).users.ensure_admin()
    DemoBuilder(db, seed=1405).run(identities=identities, opportunities=opportunities)
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("ANALYZE")  # what autovacuum would do soon after a bulk load
    db.dispose()
    return time.perf_counter() - start


def rep_view(url: str, login: str, queries: list[str], first_page: int) -> dict:
    """Quick search and the board as a rep sees them: through the rep's own server role, so every
    query passes row security (the owner's and the superuser's connections bypass it)."""
    from sqlalchemy.engine import make_url

    from app.services.admin.passwords import DEMO_PASSWORD
    from app.services.core.database import Database
    from app.services.core.registry import Services
    from app.services.identities.service import IdentityQuery
    from app.services.server import security as server_security
    from bench.identities import bench_search
    from bench.opportunities import board_first_paint

    password = f"bench-{uuid.uuid4().hex}"
    owner = Database(url)
    with owner.engine.begin() as conn:
        server_security.set_user_role(conn, login, password)
    owner.dispose()
    rep_url = make_url(url).set(username=server_security.role_name(login), password=password)
    services = Services(Database(rep_url.render_as_string(hide_password=False)))
    rep = services.users.authenticate(login, DEMO_PASSWORD)
    start = time.perf_counter()
    visible = services.identities.count(rep, IdentityQuery())
    report = {
        "login": login,
        "identities_visible": visible,
        "count_all_ms": round((time.perf_counter() - start) * 1000, 1),
    }
    bench_search(services, rep, queries[:10], first_page)  # warm the pool and the plans
    report["quick_search"] = bench_search(services, rep, queries, first_page)
    report["board"] = board_first_paint(services, rep)
    services.db.dispose()
    return report


# --- issuing from several processes ------------------------------------------------------------
def _issuer(url: str, login: str, count: int, seed: int, ready, go, results) -> None:
    """One user at their own computer: makes `count` drafts, waits for the others, then issues them."""
    from sqlalchemy import select

    from app.models import Identity, Product, User
    from app.services.core.actor import SYSTEM, Actor
    from app.services.core.database import Database
    from app.services.core.registry import Services
    from app.services.documents.invoice_views import InvoiceDraft
    from app.services.documents.lines import LineDraft

    rnd = random.Random(seed)
    services = Services(Database(url))
    try:
        with services.db.read(SYSTEM) as s:
            user = s.scalars(select(User).where(User.login == login)).one()
            actor = Actor(user.id, user.login, user.display_name, user.access_level)
            customers = s.scalars(
                select(Identity.id).where(Identity.owner_id == user.id, Identity.deleted_at.is_(None)).limit(50)
            ).all()
            products = s.scalars(
                select(Product).where(Product.deleted_at.is_(None), Product.is_other.is_(False)).limit(20)
            ).all()
        day = dt.date.today()
        drafts = []
        for _ in range(count):
            product = rnd.choice(products)
            lines = [
                LineDraft("", Decimal(rnd.randint(1, 3)), product.default_price, 0, None, product.id),
                LineDraft("نصب و راه‌اندازی", Decimal(1), 4_000_000),
            ]
            drafts.append(services.invoices.create(actor, InvoiceDraft(rnd.choice(customers), day, lines)).id)
        ready.wait()
        go.wait()
        start = time.perf_counter()
        numbers = [services.invoices.issue(actor, invoice_id).number for invoice_id in drafts]
        results.put((login, numbers, time.perf_counter() - start, None))
    except Exception as exc:  # reported to the parent, which fails the run
        results.put((login, [], 0.0, repr(exc)))
    finally:
        services.db.dispose()


def bench_issuing(url: str, invoices: int, processes: int) -> dict:
    from sqlalchemy import select

    from app.models import AccessLevel, Invoice, User
    from app.models.enums import DocumentState
    from app.persian import fiscal_year
    from app.services.core.actor import SYSTEM
    from app.services.core.database import Database
    from app.services.documents import numbering

    db = Database(url)
    year = fiscal_year(dt.date.today())
    with db.read(SYSTEM) as s:
        reps = s.scalars(
            select(User.login)
            .where(User.access_level == AccessLevel.OWN_DOCUMENTS, User.is_active.is_(True))
            .order_by(User.login)
        ).all()
        before = numbering.last_number(s, numbering.INVOICE, year)
    ctx = mp.get_context("spawn")  # the Windows start method: one engine per process
    ready, go, results = ctx.Barrier(processes + 1), ctx.Barrier(processes + 1), ctx.Queue()
    shares = [invoices // processes + (1 if i < invoices % processes else 0) for i in range(processes)]
    workers = [
        ctx.Process(target=_issuer, args=(url, reps[i % len(reps)], shares[i], i, ready, go, results))
        for i in range(processes)
    ]
    start = time.perf_counter()
    for worker in workers:
        worker.start()
    ready.wait(timeout=1800)
    drafts_s = time.perf_counter() - start
    go.wait(timeout=60)
    start = time.perf_counter()
    outcomes = [results.get(timeout=1800) for _ in workers]
    wall = time.perf_counter() - start
    for worker in workers:
        worker.join(timeout=60)
    errors = [error for *_, error in outcomes if error]
    returned = sorted(n for _, numbers, _, _ in outcomes for n in numbers)
    with db.read(SYSTEM) as s:
        stored = sorted(
            s.scalars(
                select(Invoice.number).where(Invoice.fiscal_year == year, Invoice.state == DocumentState.ISSUED)
            ).all()
        )
        after = numbering.last_number(s, numbering.INVOICE, year)
    db.dispose()
    issued = len(returned)
    return {
        "processes": processes,
        "invoices": issued,
        "errors": errors,
        "make_drafts_s": round(drafts_s, 1),  # includes starting the processes
        "wall_s": round(wall, 2),
        "per_invoice_ms": round(wall * 1000 / max(issued, 1), 1),
        "slowest_process_s": round(max(t for _, _, t, _ in outcomes), 2),
        "numbers": [before + 1, after],
        "returned_exactly_next_n": returned == list(range(before + 1, before + invoices + 1)),
        "no_gap_no_duplicate": stored == list(range(1, after + 1)) and after == before + invoices,
    }


# --- main --------------------------------------------------------------------------------------
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="postgresql+psycopg:// URL of the database (built if empty)")
    parser.add_argument("--server", default=os.environ.get("PEYVAND_TEST_PG_URL"), help="maintenance URL")
    parser.add_argument("--name", default=f"peyvand_bench_{uuid.uuid4().hex[:8]}", help="new database on --server")
    parser.add_argument("--keep", action="store_true", help="keep the database made on --server")
    parser.add_argument("--identities", type=int, default=200_000)
    parser.add_argument("--opportunities", type=int, default=20_000)
    parser.add_argument("--open", type=int, default=5_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--invoices", type=int, default=1_000)
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--rep", default="reza", help="a demo rep (own documents) measured through their own role")
    args = parser.parse_args()

    from sqlalchemy.engine import make_url

    from app.services.core.database import Database
    from app.services.server.name_clustering import order_if_drifted
    from bench.identities import bench_search, realistic_queries
    from bench.opportunities import board_first_paint, keep_open

    made = None
    if args.db:
        url = args.db
    elif args.server:
        made = args.name
        _admin_url(args.server, f"CREATE DATABASE {made}")
        url = make_url(args.server).set(database=made).render_as_string(hide_password=False)
    else:
        parser.error("give --db URL or --server URL (or set PEYVAND_TEST_PG_URL)")
    try:
        report: dict = {"db": make_url(url).render_as_string(hide_password=True)}
        report["load_average_before"] = os.getloadavg() if hasattr(os, "getloadavg") else None
        built = build(url, args.identities, args.opportunities)
        report["build_s"] = None if built is None else round(built, 1)
        # As the owner's `server init` leaves it (at an upgrade): the table back in name order, if drifted.
        ordering = Database(url)
        ordered = order_if_drifted(ordering.engine)
        ordering.dispose()
        report["ordered_by_name_s"] = None if ordered is None else round(ordered, 1)

        from app.services.core.registry import Services
        from app.services.identities.service import IdentityQuery
        from app.ui.identities.identity_dock import FIRST_PAGE

        services = Services(Database(url))
        admin = services.users.ensure_admin()
        report["identities"] = services.identities.count(admin, IdentityQuery())
        keep_open(services, args.open)
        queries = realistic_queries(services, admin, args.queries, random.Random(args.seed))
        bench_search(services, admin, queries[:20], FIRST_PAGE)  # warm the connection pool and caches
        report["quick_search"] = bench_search(services, admin, queries, FIRST_PAGE)
        report["board"] = board_first_paint(services, admin)
        services.db.dispose()
        report["as_rep"] = rep_view(url, args.rep, queries, FIRST_PAGE)
        report["issue_concurrently"] = bench_issuing(url, args.invoices, args.processes)
        report["load_average_after"] = os.getloadavg() if hasattr(os, "getloadavg") else None
        report["targets"] = {"quick_search_p95_ms": 20, "board_first_paint_ms": 300, "no_gap_no_duplicate": True}
        print(json.dumps(report, ensure_ascii=False, indent=2))
    finally:
        if made and not args.keep:
            _admin_url(args.server, f"DROP DATABASE IF EXISTS {made} WITH (FORCE)")


if __name__ == "__main__":
    main()

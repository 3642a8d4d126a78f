"""Keeps the office server's identities table stored in name order (the owner's upkeep, `server init`).

A quick search for a word that many names share reads every hit's row and keeps the first page in name
order. Such hits sit together in name order («مهندسی» in «شرکت مهندسی …»), so a table stored in name
order holds them in a few thousand pages instead of one page each: at 1M identities, «مهند» (50,000
hits) read 30,500 pages in 171 ms, and 2,900 pages in about 35 ms once ordered. Rows added later go to the
end of the table and order decays slowly; the next `server init` (every upgrade) orders it again when
PostgreSQL's own measure of it (pg_stats.correlation of name_sort) has dropped.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from sqlalchemy import Engine, text

from app.services.server.locks import refused_when_busy, wait_bounded

MIN_ROWS = 20_000
"""Below this the table is read from memory whatever its order: not worth a lock."""
ORDERED_ENOUGH = 0.9
"""pg_stats.correlation of name_sort (1.0: stored in name order, about 0: in random order)."""
TEMPORARY_INDEX = "peyvand_identities_cluster"
BUSY = (
    "جدول هویت‌ها در حال استفاده بود و به ترتیب نام چیده نشد (جستجوی سریع کندتر می‌ماند)؛"
    " وقتی کاربران کمتری کار می‌کنند server init را دوباره اجرا کنید."
)
ROWS = text("SELECT reltuples FROM pg_class WHERE oid = 'public.identities'::regclass")


def needs_ordering(engine: Engine) -> bool:
    """Whether the table is big enough to matter and no longer stored in name order."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        rows = conn.execute(ROWS).scalar()
        if rows is None or rows < MIN_ROWS:  # -1: never analysed (a new or freshly imported table)
            conn.exec_driver_sql("ANALYZE public.identities")
            rows = conn.execute(ROWS).scalar()
        if rows < MIN_ROWS:
            return False
        correlation = conn.execute(
            text(
                "SELECT correlation FROM pg_stats WHERE schemaname = 'public' AND tablename = 'identities'"
                " AND attname = 'name_sort'"
            )
        ).scalar()
    return correlation is None or correlation < ORDERED_ENOUGH


def order_by_name(engine: Engine) -> float:
    """Rewrites the identities table in name order; the seconds it took. Run as the database owner, when
    `needs_ordering`: the table is locked meanwhile (about 45 s at 1M identities, its indexes rebuilt).
    Refuses with `BUSY`, changing nothing, when users' transactions hold the table past locks.LOCK_WAIT."""
    start = time.perf_counter()
    with refused_when_busy(BUSY):
        _rewrite_in_name_order(engine)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        # A rewritten table has no visibility map: without a vacuum the quick search's index-only walks
        # would read a table page per row until autovacuum came by.
        conn.exec_driver_sql("VACUUM (ANALYZE) public.identities")
    return time.perf_counter() - start


def _rewrite_in_name_order(engine: Engine) -> None:
    with engine.begin() as conn:
        wait_bounded(conn)  # every user's query on identities would queue behind the waiting rewrite
        # A tenth of each page left free: an edited identity's new version stays on its page, in order.
        conn.exec_driver_sql("ALTER TABLE public.identities SET (fillfactor = 90)")
        # CLUSTER wants an index on every row; the name indexes are all partial (live rows only).
        conn.exec_driver_sql(f"CREATE INDEX {TEMPORARY_INDEX} ON public.identities (name_sort, id)")
        conn.exec_driver_sql(f"CLUSTER public.identities USING {TEMPORARY_INDEX}")
        conn.exec_driver_sql(f"DROP INDEX public.{TEMPORARY_INDEX}")


def order_if_drifted(engine: Engine, starting: Callable[[], object] = lambda: None) -> float | None:
    """`order_by_name` when `needs_ordering` (after calling `starting`, to warn of the lock); its seconds,
    or None when the table was left as it is."""
    if not needs_ordering(engine):
        return None
    starting()
    return order_by_name(engine)

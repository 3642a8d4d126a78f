"""Quick search on the office server: the plan chosen from the hit count never changes what is found or its order."""

from __future__ import annotations

import datetime as dt
import random
import re

import pytest
from sqlalchemy import event, select
from sqlalchemy import text as sql_text

from app.migrations.raw_ddl import WALK_FITS_BYTES
from app.models import Identity, IdentityKind, IdentityPhone
from app.persian import search_key
from app.services.core import migrations
from app.services.core.actor import SYSTEM
from app.services.core.database import Database
from app.services.core.registry import Services
from app.services.identities import list_pages
from app.services.identities.service import IdentityQuery, IdentityService

FIRST = ["مهسا", "علی", "مهدی", "سارا", "رضا", "مریم", "حسین", "زهرا"]
LAST = ["کریمی", "مهدوی", "احمدی", "رضایی", "حسینی", "موسوی"]


@pytest.fixture
def office(pg_database):
    db = Database(pg_database)
    migrations.upgrade(db)
    rnd = random.Random(8)
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    with db.write(SYSTEM) as s:
        for i in range(120):
            name = f"{rnd.choice(FIRST)} {rnd.choice(LAST)}"
            s.add(
                Identity(
                    kind=IdentityKind.PERSON,
                    display_name=name,
                    name_key=search_key(name),
                    created_at=start + dt.timedelta(minutes=rnd.randrange(10_000)),
                    national_code=f"{i:010d}" if i % 3 else None,
                )
            )
    services = Services(db)
    yield services
    db.dispose()


@pytest.mark.parametrize("text", ["مهدوی", "رضا", "حسین", "مه", "ع", "0000"])
@pytest.mark.parametrize(
    ("sort", "descending"), [("display_name", False), ("display_name", True), ("created_at", True)]
)
def test_fetching_the_hits_and_walking_the_index_give_the_same_pages(
    office, monkeypatch, text, sort, descending
) -> None:
    admin = office.users.ensure_admin()
    query = IdentityQuery(text=text, sort=sort, descending=descending)
    total = office.identities.count(admin, query)
    pages = {}
    for walks in (False, True):
        monkeypatch.setattr(IdentityService, "_pg_walks", lambda self, s, q, walks=walks: walks)
        pages[walks] = [[r.id for r in office.identities.search(admin, query, offset, 7)] for offset in (0, 7, 14)]
    assert pages[False] == pages[True]
    assert sum(len(page) for page in pages[True]) == min(total, 21)


def test_one_or_two_characters_find_a_name_prefix_as_on_sqlite(office) -> None:
    admin = office.users.ensure_admin()
    found = [r.display_name for r in office.identities.search(admin, IdentityQuery(text="مه"), 0, 500)]
    assert found and all(name.startswith("مه") for name in found)  # «علی مهدوی» is not a prefix match
    assert office.identities.count(admin, IdentityQuery(text="مه")) == len(found)
    words = {r.display_name for r in office.identities.search(admin, IdentityQuery(text="مهد"), 0, 500)}
    assert any(not name.startswith("مهد") for name in words)  # three or more: anywhere, as before


@pytest.mark.parametrize("walk_rows", [None, 1])
@pytest.mark.parametrize("text", ["0000", "مه", "ع", "مهدوی", "وی", "xyz"])
def test_keyset_pages_in_name_order_are_the_offset_pages_whether_the_walk_finds_them_or_not(
    office, monkeypatch, text, walk_rows
) -> None:
    """Digits, one or two letters, a family name inside the names: a bounded walk of the name order, or
    (walk_rows=1, too few for a page) every hit fetched and sorted."""
    if walk_rows is not None:
        monkeypatch.setattr(list_pages, "WALK_ROWS", walk_rows)
        monkeypatch.setattr(list_pages, "PG_WALK_ROWS", walk_rows)
    admin = office.users.ensure_admin()
    for descending in (False, True):
        query = IdentityQuery(text=text, descending=descending)
        expected = [r.id for r in office.identities.search(admin, query, 0, 500)]
        assert _keyset_pages(office, admin, query) == expected, (text, descending)


def _keyset_pages(office, admin, query: IdentityQuery) -> list:
    found, cursor = [], None
    while True:
        page = office.identities.page(admin, query, cursor, 4)
        found += [r.id for r in page.rows]
        if page.after is None:
            return found
        cursor = page.after


def test_a_record_too_long_for_the_walks_index_is_saved_and_found_in_its_place(office) -> None:
    """ix_identities_walk holds each name's search_blob beside it, and a btree entry holds 2,704 bytes at
    most: a record with 300 phones is kept in ix_identities_walk_long instead, and the walk merges it."""
    rnd = random.Random(3)
    with office.db.write(SYSTEM) as s:
        person = Identity(kind=IdentityKind.PERSON, display_name="مریم مهدوی", name_key=search_key("مریم مهدوی"))
        s.add(person)
        s.flush()
        for i in range(300):
            digits = "".join(rnd.choice("0123456789") for _ in range(11))
            s.add(IdentityPhone(identity_id=person.id, number=digits, number_key=digits, position=i))
    with office.db.read(SYSTEM) as s:
        assert len(s.scalar(select(Identity.search_blob).where(Identity.id == person.id)).encode()) > WALK_FITS_BYTES
    admin = office.users.ensure_admin()
    for text in ("مهدوی", "مریم"):  # inside the names; the names starting with it
        for descending in (False, True):
            query = IdentityQuery(text=text, descending=descending)
            expected = [r.id for r in office.identities.search(admin, query, 0, 500)]
            assert person.id in expected
            assert _keyset_pages(office, admin, query) == expected, (text, descending)


def test_a_walk_leaves_the_planner_free_to_sort_the_statements_after_it(office) -> None:
    """A walk turns sorting off for its own statement only (the range's hits were sorted on a bad guess)."""
    with office.db.read(SYSTEM) as s:
        assert list_pages.page(s, IdentityQuery(text="مهدوی"), "postgresql", None, 4).rows
        assert s.execute(sql_text("SHOW enable_sort")).scalar() == "on"


def test_each_statement_is_planned_for_its_own_values(office) -> None:
    """psycopg prepares a statement run five times; PostgreSQL's plan for any values then sorted 100,000
    hits of «شر» at 1M identities (290 ms, 3 ms when planned for «شر»)."""
    with office.db.read(SYSTEM) as s:
        assert s.execute(sql_text("SHOW plan_cache_mode")).scalar() == "force_custom_plan"


@pytest.mark.parametrize("stored", ["in name order", "in reverse"])
def test_the_first_hits_in_the_tables_order_bound_the_hits_sorted_and_never_change_a_page(
    pg_database, monkeypatch, stored
) -> None:
    """A word inside names that sort together, too many hits to walk to (PG_WALK_ROWS=1): the greatest
    name among the first page's worth of hits in the table's own order bounds the hits fetched and
    sorted (list_pages._name_bound). With the table in name order (as server init keeps it) the bound
    is the page's last name; in any order the pages are the same."""
    db = Database(pg_database)
    migrations.upgrade(db)
    names = [f"شرکت مهندسی {search_key(str(i)).zfill(3)}" for i in range(30)] + ["علی مهندسیان", "زهرا رضایی"]
    with db.write(SYSTEM) as s:
        for name in sorted(names, key=search_key, reverse=stored == "in reverse"):
            s.add(Identity(kind=IdentityKind.PERSON, display_name=name, name_key=search_key(name)))
    services = Services(db)
    admin = services.users.ensure_admin()
    monkeypatch.setattr(list_pages, "PG_WALK_ROWS", 1)
    bounds: list[str] = []

    def seen(conn, cursor, statement, params, context, many) -> None:
        bounds.extend(params[key] for key in re.findall(r"name_sort <= %\((\w+)\)s", statement))

    event.listen(db.engine, "before_cursor_execute", seen)
    query = IdentityQuery(text="مهندسی")
    expected = [r.id for r in services.identities.search(admin, query, 0, 500)]
    assert len(expected) == 31 and bounds == []  # 500 asked, fewer found: nothing to bound
    first = services.identities.page(admin, query, None, 4)
    with db.read(SYSTEM) as s:
        sorted_names = list(s.scalars(select(Identity.name_sort).order_by(Identity.name_sort)))
        hits = select(Identity.id).where(Identity.display_name.contains("مهندسی"))
        assert expected == list(s.scalars(hits.order_by(Identity.name_sort, Identity.id)))
        assert s.execute(sql_text("SHOW enable_seqscan")).scalar() == "on"
    assert [r.id for r in first.rows] == expected[:4]
    assert bounds[:1] == [first.after[0] if stored == "in name order" else sorted_names[-1]]
    assert _keyset_pages(services, admin, query) == expected
    with db.read(SYSTEM) as s:  # the probe's planner settings end with it
        assert list_pages.page(s, query, "postgresql", None, 4).rows
        assert [s.execute(sql_text(f"SHOW {name}")).scalar() for name in ("enable_seqscan", "enable_indexscan")] == [
            "on",
            "on",
        ]
    db.dispose()

"""Quick search on the office server: the plan chosen from the hit count never changes what is found or its order."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from sqlalchemy import text as sql_text

from app.models import Identity, IdentityKind
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
    admin = office.users.ensure_admin()
    for descending in (False, True):
        query = IdentityQuery(text=text, descending=descending)
        expected = [r.id for r in office.identities.search(admin, query, 0, 500)]
        found, cursor = [], None
        while True:
            page = office.identities.page(admin, query, cursor, 4)
            found += [r.id for r in page.rows]
            if page.after is None:
                break
            cursor = page.after
        assert found == expected, (text, descending)


def test_each_statement_is_planned_for_its_own_values(office) -> None:
    """psycopg prepares a statement run five times; PostgreSQL's plan for any values then sorted 100,000
    hits of «شر» at 1M identities (290 ms, 3 ms when planned for «شر»)."""
    with office.db.read(SYSTEM) as s:
        assert s.execute(sql_text("SHOW plan_cache_mode")).scalar() == "force_custom_plan"

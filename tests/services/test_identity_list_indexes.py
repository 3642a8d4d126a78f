"""The identities' list indexes on SQLite. Migration 0024: six end in the rowid, not in a copy of the id, and
the lists keep ordering rows that share a key by id, whatever order the rowids are in; the sort by last
change walks an index of its own. Migration 0025: the national and economic codes, which most rows lack,
are sorted along indexes that keep those rows in id order."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from app.models import Identity, IdentityRole
from app.services.core.actor import SYSTEM
from app.services.identities.records import IdentityData
from app.services.identities.service import IdentityQuery

pytestmark = pytest.mark.sqlite_only  # the office server keeps its (…, id) indexes

LEAN = (
    "ix_identities_live_name",
    "ix_identities_live_sort",
    "ix_identities_live_role_sort",
    "ix_identities_live_category_sort",
    "ix_identities_live_owner_sort",
    "ix_identities_live_source_sort",
)
# Many rows may share these keys (no city, no mobile, one import's timestamps): they keep the id.
KEEP_ID = ("ix_identities_live_created", "ix_identities_live_city_sort", "ix_identities_live_mobile")
UPDATED = "ix_identities_live_updated"


def _columns(db) -> dict[str, list[str]]:
    with db.engine.connect() as conn:
        return {
            name: [row[2] for row in conn.execute(text(f"PRAGMA index_info({name})"))]
            for name in (*LEAN, *KEEP_ID, UPDATED)
        }


def _migrate(db, revision: str, down: bool) -> None:
    from alembic import command

    from app.services.core import migrations

    cfg = migrations._config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(cfg, revision)


def test_the_lean_indexes_end_in_the_rowid_and_the_downgrade_puts_the_id_back(services) -> None:
    at_head = _columns(services.db)
    assert at_head == {i.name: [c.name for c in i.columns] for i in Identity.__table__.indexes if i.name in at_head}
    assert all("id" not in at_head[name] for name in LEAN)
    assert all(at_head[name][-1] == "id" for name in (*KEEP_ID, UPDATED))
    _migrate(services.db, "0023_identities_name_brin", down=True)
    before = _columns(services.db)
    assert before == {name: [*at_head[name], "id"] for name in LEAN} | {n: at_head[n] for n in KEEP_ID} | {UPDATED: []}
    _migrate(services.db, "head", down=False)
    assert _columns(services.db) == at_head


def _walk(services, actor, query: IdentityQuery, size: int) -> list:
    rows, cursor = [], None
    while True:
        page = services.identities.page(actor, query, cursor, size)
        rows += [r.id for r in page.rows]
        if page.after is None:
            return rows
        cursor = page.after


def test_rows_sharing_a_name_follow_their_ids_not_their_rowids(services, admin) -> None:
    twins = [
        services.identities.create(admin, IdentityData(last_name="کریمی"), allow_duplicates=True).id for _ in range(5)
    ]
    others = [services.identities.create(admin, IdentityData(last_name=name)).id for name in ("احمدی", "یزدانی")]
    with services.db.engine.begin() as conn:  # rowids now run against the ids' order
        for k, twin in enumerate(sorted(twins)):
            conn.execute(text("UPDATE identities SET rowid = :r WHERE id = :i"), {"r": 1000 - k, "i": twin.hex})
    with services.db.read(SYSTEM) as s:
        rowids = dict(s.execute(select(Identity.id, text("identities.rowid")).where(Identity.id.in_(twins))).all())
    assert sorted(twins, key=rowids.get) == sorted(twins, reverse=True)
    for sort in ("display_name", "role", "owner_name", "category_name", "source_name"):
        for descending in (False, True):
            walked = _walk(services, admin, IdentityQuery(sort=sort, descending=descending), 2)
            tied = [i for i in walked if i in twins]
            assert tied == sorted(twins, reverse=descending), (sort, descending)
            assert set(walked) == {*twins, *others}
    roles = _walk(services, admin, IdentityQuery(role=IdentityRole.LEAD), 3)
    assert [i for i in roles if i in twins] == sorted(twins)


@pytest.mark.parametrize("sort", ["updated_at", "national_code", "economic_code"])
def test_the_sort_walks_its_index_without_sorting(services, admin, sort) -> None:
    from app.services.identities.service import list_select, order_of

    index = {"updated_at": UPDATED}.get(sort, f"ix_identities_live_{sort}")
    for descending in (False, True):
        query = IdentityQuery(sort=sort, descending=descending)
        with services.db.read(admin) as s:
            stmt = list_select(s, query, "sqlite").order_by(*order_of(query)).limit(50)
            sql = str(stmt.compile(s.get_bind(), compile_kwargs={"literal_binds": True}))
            plan = " ".join(str(r[3]) for r in s.execute(text("EXPLAIN QUERY PLAN " + sql)))
        assert index in plan and "TEMP B-TREE" not in plan, plan

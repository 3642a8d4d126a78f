"""Migration 0018_name_search (SQLite): the quick-search index becomes contentless and in name order, built
from the live identities as they are at upgrade; identity_order goes; the downgrade puts both back."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, text

from app.migrations.raw_ddl import search_rowid_sql
from app.services.identities.records import IdentityData, PhoneData
from app.services.identities.service import IdentityQuery

pytestmark = pytest.mark.sqlite_only  # the office server keeps its trigram index

# The index cannot be listed (it keeps no column sizes): the identities holding «0912» are asked for.
_LIVE_KEYS = (
    f"SELECT {search_rowid_sql('identities')} FROM identities "
    "WHERE deleted_at IS NULL AND merged_into_id IS NULL AND instr(search_blob, '0912') ORDER BY 1"
)
_HITS = "SELECT rowid FROM identity_search WHERE identity_search MATCH '\"0912\"' ORDER BY rowid"


def _migrate(db, target: str, between: str | None = None) -> None:
    from alembic import command

    from app.services.core import migrations

    cfg = migrations._config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, target)
        assert {"identity_order", "identity_search"} <= set(inspect(conn).get_table_names())
        if between:
            conn.execute(text(between))
        command.upgrade(cfg, "head")


def test_the_upgrade_indexes_the_live_identities_in_name_order(services, admin) -> None:
    service = services.identities
    made = [
        service.create(admin, IdentityData(last_name=name, phones=[PhoneData(f"0912{n}111111")])).id
        for n, name in enumerate(["کاظمی", "کاظمیان", "رحیمی", "کاظم‌پور"])
    ]
    service.soft_delete(admin, made[2])
    # Written at 0017, by its triggers: the new index must be built from the rows, not carried over.
    rename = "UPDATE identities SET display_name = 'ساناز کاظمی', search_blob = 'ساناز کاظمی' WHERE last_name = 'کاظمی'"
    _migrate(services.db, "0017_search", between=rename)
    with services.db.engine.connect() as conn:
        assert "identity_order" not in inspect(conn).get_table_names()
        keys = conn.execute(text(_HITS)).scalars().all()
        assert keys == conn.execute(text(_LIVE_KEYS)).scalars().all() and len(keys) == 2  # renamed: no phone
    found = {row.id for row in service.search(admin, IdentityQuery(text="کاظم"), 0, 10)}
    assert found == {made[0], made[1], made[3]}
    assert service.count(admin, IdentityQuery(text="رحیمی")) == 0  # deleted: not in the index
    assert [r.id for r in service.search(admin, IdentityQuery(text="ساناز"), 0, 10)] == [made[0]]

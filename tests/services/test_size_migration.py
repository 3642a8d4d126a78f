"""Migration 0016_size: a journal nobody reads is emptied, a create's history entry is made compact (and still
reads as before), the identities' lone owner and category indexes go."""

from __future__ import annotations

import pytest
from sqlalchemy import func, inspect, select, text

from app.models import AuditEntry, ChangeLogEntry
from app.services.core.actor import SYSTEM
from app.services.identities.records import IdentityData, PhoneData

_ENTRY = (
    "INSERT INTO change_log (seq, ordinal, table_name, row_id, op, fields, device_id, at)"
    " VALUES (1000, 1, 'tags', 'x', 'update', '{}', 'd', '2026-01-01 00:00:00')"
)


def _down_and_up(db) -> None:
    from alembic import command

    from app.services.core import migrations

    cfg = migrations._config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0015_sync")
        conn.execute(text(_ENTRY))
        command.upgrade(cfg, "head")


def _journal(services) -> int:
    with services.db.read(SYSTEM) as s:
        return s.scalar(select(func.count()).select_from(ChangeLogEntry))


def test_the_migration_empties_an_unread_journal_and_compacts_creates(services, admin) -> None:
    detail = services.identities.create(admin, IdentityData(last_name="کاظمی", phones=[PhoneData("09121234567")]))
    history_before = services.history.record_history(admin, "identities", detail.id)
    with services.db.engine.connect() as conn:
        assert {"ix_identities_owner_id", "ix_identities_category_id"}.isdisjoint(
            i["name"] for i in inspect(conn).get_indexes("identities")
        )
    _down_and_up(services.db)
    assert _journal(services) == 0
    with services.db.read(SYSTEM) as s:
        created = s.scalar(
            select(AuditEntry.changes).where(AuditEntry.record_id == detail.id, AuditEntry.action == "create")
        )
    assert created["last_name"] == "کاظمی" and "first_name" not in created  # values alone, empty left out
    assert services.history.record_history(admin, "identities", detail.id) == history_before


@pytest.mark.usefixtures("journaling")
def test_a_journal_a_device_reads_is_kept(services) -> None:
    _down_and_up(services.db)
    assert _journal(services) > 0

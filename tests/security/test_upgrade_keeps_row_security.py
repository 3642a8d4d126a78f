"""Upgrading an office server's schema re-applies row security in the same transaction: a rebuilt or new
table is never left without its policies, and new columns are readable by the users who may read them."""

from __future__ import annotations

import psycopg
import pytest
from alembic import command
from sqlalchemy.engine import make_url

from app.services.admin import passwords
from app.services.admin.users import UserData
from app.services.core import migrations
from app.services.core.migrations import _config
from tests.conftest import require_pg_server
from tests.server.role_office import Office, office_on

REP_PASSWORD = "rep-password-1"


@pytest.fixture
def office():
    with office_on(require_pg_server()) as made:
        yield made


def _downgrade(office: Office, revision: str) -> None:
    cfg = _config()
    with office.owner.db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)


def test_an_upgrade_gives_new_tables_and_columns_their_row_security(office: Office, monkeypatch) -> None:
    monkeypatch.setattr(passwords, "_hasher", passwords.PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    office.as_boss.users.create_user(office.boss, UserData(office.login("sara"), "سارا"), REP_PASSWORD)
    _downgrade(office, "0001")  # before the journal, the link rows with ids, the sort keys and the cheques
    assert migrations.upgrade(office.owner.db)
    url = make_url(office.url_as(office.login("sara"), REP_PASSWORD))
    with psycopg.connect(
        host=url.host, port=url.port, dbname=url.database, user=url.username, password=REP_PASSWORD, autocommit=True
    ) as conn:
        assert conn.execute("SELECT count(name_sort) FROM users").fetchone()[0] >= 1  # a column added since
        rls = conn.execute(
            "SELECT relname FROM pg_class WHERE NOT relrowsecurity"
            " AND relname IN ('identity_tags', 'opportunity_tags', 'opportunity_competitors')"
        ).fetchall()
        assert rls == []  # rebuilt link tables are under row security again
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("INSERT INTO change_log (seq, ordinal, table_name, row_id, op) VALUES (1, 0, 'x', 'y', 'z')")

"""A rep who leaves a transaction open on the office server (psql: `BEGIN; SELECT … FROM identities;`)
must not freeze the office through the owner's `server init`: waiting for its locks, the schema work
would queue every user's query behind it for as long as the rep liked. It gives up after
locks.LOCK_WAIT, changes nothing (the upgrade rolls back whole) and says so; run again, it completes."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app import cli
from app.services.admin.users import UserData
from app.services.core import migrations
from app.services.core.database import Database
from app.services.core.migrations import SCHEMA_HEAD
from app.services.server import locks
from tests.conftest import require_pg_server
from tests.server.role_office import office_on
from tests.server.test_server_upgrade import BEFORE, _back_to_previous_schema

pytestmark = pytest.mark.usefixtures("quick_hashes")

PASSWORD = "rep-password-1"


@pytest.fixture
def office(monkeypatch):
    monkeypatch.setattr(locks, "LOCK_WAIT", 0.3)
    with office_on(require_pg_server()) as office:
        office.as_boss.users.create_user(office.boss, UserData(office.login("rep"), "فروشنده"), PASSWORD)
        yield office


def _init(office, capsys) -> tuple[int, str]:
    code = cli.main(["--db", office.url, "server", "init"])
    return code, capsys.readouterr().err


@pytest.mark.timeout(60)  # without the bounded wait, server init would wait for the rep for ever
@pytest.mark.parametrize("behind", [False, True], ids=["schema at head", "schema to upgrade"])
def test_a_reps_open_transaction_cannot_hold_server_init(office, capsys, behind) -> None:
    if behind:
        _back_to_previous_schema(office)
    rep = Database(office.url_as(office.login("rep"), PASSWORD))  # the rep's own role, as from psql
    try:
        with rep.engine.connect() as held:
            held.execute(text("SELECT count(*) FROM identities")).scalar()  # the transaction stays open
            code, err = _init(office, capsys)
            assert code == 1 and locks.BUSY in err
            assert migrations.current_revision(office.owner.db) == (BEFORE if behind else SCHEMA_HEAD)
    finally:
        rep.dispose()
    code, err = _init(office, capsys)
    assert code == 0, err
    assert migrations.current_revision(office.owner.db) == SCHEMA_HEAD

"""`server init` stores the office server's identities in name order when they have drifted from it
(app.services.server.name_clustering), so a quick search for a word many names share reads few table
pages; nothing else about the table changes, and a rep's own role cannot lock the table doing it."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text
from sqlalchemy.exc import ProgrammingError

from app.models import Identity, IdentityKind
from app.persian import search_key
from app.services.admin.users import UserData
from app.services.core.actor import SYSTEM
from app.services.core.database import Database
from app.services.core.errors import ServiceError
from app.services.server import locks, name_clustering
from tests.conftest import require_pg_server
from tests.server.role_office import office_on

pytestmark = pytest.mark.usefixtures("quick_hashes")

PASSWORD = "rep-password-1"
NAMES = [f"مشتری {n:03d}" for n in range(120)]


@pytest.fixture
def office(monkeypatch):
    """An office whose identities were stored in reverse name order, with a test-sized threshold."""
    monkeypatch.setattr(name_clustering, "MIN_ROWS", 100)
    with office_on(require_pg_server()) as office:
        with office.owner.db.write(SYSTEM) as s:
            for name in reversed(NAMES):
                s.add(Identity(kind=IdentityKind.ORGANISATION, display_name=name, name_key=search_key(name)))
        yield office


def _stored_order(office) -> list[str]:
    with office.owner.db.engine.connect() as conn:
        return list(conn.execute(text("SELECT display_name FROM identities ORDER BY ctid")).scalars())


def _page_of(office, name: str) -> int:
    with office.owner.db.engine.connect() as conn:
        sql = "SELECT (ctid::text::point)[0] FROM identities WHERE display_name = :n"
        return conn.execute(text(sql), {"n": name}).scalar()


def _table_setup(office) -> tuple:
    with office.owner.db.engine.connect() as conn:
        indexes = conn.execute(text("SELECT indexdef FROM pg_indexes WHERE tablename = 'identities' ORDER BY 1"))
        policies = conn.execute(text("SELECT policyname, qual FROM pg_policies WHERE tablename = 'identities'"))
        secured = conn.execute(text("SELECT relrowsecurity FROM pg_class WHERE oid = 'identities'::regclass"))
        return sorted(indexes.scalars()), sorted(map(tuple, policies)), secured.scalar()


def test_a_drifted_table_is_stored_in_name_order_once(office) -> None:
    assert _stored_order(office) == NAMES[::-1]
    before = _table_setup(office)
    assert name_clustering.needs_ordering(office.owner.db.engine)

    name_clustering.order_by_name(office.owner.db.engine)

    assert _stored_order(office) == NAMES
    page = _page_of(office, NAMES[0])
    with office.owner.db.engine.begin() as conn:
        conn.execute(text("UPDATE identities SET description = 'ویرایش شد' WHERE display_name = :n"), {"n": NAMES[0]})
    assert _page_of(office, NAMES[0]) == page  # an edit's new version keeps its page, and so its place
    assert _table_setup(office) == before  # indexes (none left behind), policies, row security
    assert not name_clustering.needs_ordering(office.owner.db.engine)  # a second `server init` leaves it


def test_a_small_table_is_left_as_it_is(office, monkeypatch) -> None:
    monkeypatch.setattr(name_clustering, "MIN_ROWS", len(NAMES) + 1)
    assert not name_clustering.needs_ordering(office.owner.db.engine)


def test_a_rep_cannot_lock_the_table_by_ordering_it(office) -> None:
    """CLUSTER holds an exclusive lock on the whole table: only its owner may run it."""
    login = office.login("rep")
    office.as_boss.users.create_user(office.boss, UserData(login, "فروشنده"), PASSWORD)
    rep = Database(office.url_as(login, PASSWORD))  # the rep's own role, as from psql
    try:
        with pytest.raises(ProgrammingError, match="must be owner"):
            name_clustering.order_by_name(rep.engine)
        with rep.engine.connect() as conn, pytest.raises(ProgrammingError, match="must be owner"):
            conn.exec_driver_sql("CLUSTER identities USING pk_identities")
    finally:
        rep.dispose()
    assert _stored_order(office) == NAMES[::-1]


def test_server_init_orders_a_drifted_table_and_says_so(office, capsys) -> None:
    from app import cli

    assert cli.main(["--db", office.url, "--json", "server", "init"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["identities_ordered_s"] is not None
    assert "هویت‌ها به ترتیب نام چیده شد" in err
    assert _stored_order(office) == NAMES

    assert cli.main(["--db", office.url, "--json", "server", "init"]) == 0
    assert json.loads(capsys.readouterr().out)["identities_ordered_s"] is None  # nothing to do the second time


@pytest.mark.timeout(60)  # without its lock timeout the rewrite would wait for the user for ever
def test_a_table_in_use_is_left_as_it_is_rather_than_freezing_the_office(office, monkeypatch, capsys) -> None:
    """While the rewrite waits for its lock every user's query on identities queues behind it: it gives
    up after LOCK_WAIT, changes nothing, and `server init` (its last step) says why."""
    from app.commands import server as server_command

    monkeypatch.setattr(locks, "LOCK_WAIT", 0.2)
    with office.as_boss.db.engine.connect() as user:  # a user's transaction, reading identities
        user.execute(text("SELECT count(*) FROM identities")).scalar()
        with pytest.raises(ServiceError) as refused:
            name_clustering.order_by_name(office.owner.db.engine)
        assert refused.value.message == name_clustering.BUSY
        assert server_command._order_identities(office.owner.db.engine) is None
        assert name_clustering.BUSY in capsys.readouterr().err
    assert _stored_order(office) == NAMES[::-1]
    with office.owner.db.engine.connect() as conn:
        assert conn.execute(text("SELECT reloptions FROM pg_class WHERE relname = 'identities'")).scalar() is None
        assert conn.execute(text(f"SELECT to_regclass('{name_clustering.TEMPORARY_INDEX}')")).scalar() is None

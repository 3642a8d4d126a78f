"""The UI side of live refresh: a change on the server reaches the change bus once per burst."""

from __future__ import annotations

import gc
import weakref

from app.models import Identity, IdentityKind
from app.services.core import migrations
from app.services.core.actor import SYSTEM
from app.services.core.database import Database
from app.ui.events import change_bus
from app.ui.server.live_refresh import LiveRefresh


def _add(db: Database, name: str):
    with db.write(SYSTEM) as s:
        identity = Identity(kind=IdentityKind.PERSON, display_name=name, name_key=name)
        s.add(identity)
    return identity.id


def test_a_change_reaches_the_change_bus(qtbot, pg_database) -> None:
    db = Database(pg_database)
    migrations.upgrade(db)
    live = LiveRefresh(db)
    live.start()
    announced: list[str] = []
    change_bus().sig_changed.connect(lambda table, _ids: announced.append(table))
    try:
        _add(db, "الف")
        qtbot.waitUntil(lambda: "identities" in announced, timeout=2000)
    finally:
        live.stop()
        db.dispose()


def test_a_burst_of_writes_is_announced_once(qtbot, pg_database) -> None:
    db = Database(pg_database)
    migrations.upgrade(db)
    live = LiveRefresh(db)
    live.start()
    live._timer.stop()  # flush by hand below, so the burst cannot straddle a tick
    announced: list[str] = []
    change_bus().sig_changed.connect(lambda table, _ids: announced.append(table))
    try:
        for name in ("ب", "پ", "ت"):
            _add(db, name)
        qtbot.waitUntil(lambda: live._heard.any, timeout=2000)
        qtbot.wait(200)  # the later notifications arrive too
        live._flush()
        assert announced == ["identities"]
    finally:
        live.stop()
        db.dispose()


def test_another_users_write_arrives_with_its_rows_and_a_write_outside_the_app_by_table(qtbot, pg_database) -> None:
    db = Database(pg_database)
    migrations.upgrade(db)
    live = LiveRefresh(db)
    live.start()
    heard: list = []
    change_bus().sig_changes.connect(heard.append)
    try:
        added = _add(db, "ث")  # as another user's program would: through the services' write path
        qtbot.waitUntil(lambda: bool(heard), timeout=2000)
        assert heard[-1].ids("identities") == {added}  # just that row, not the whole table
        heard.clear()
        with db.engine.begin() as conn:  # psql, a script: no rows known, the table is named
            conn.exec_driver_sql("UPDATE identities SET website = 'x.ir'")
        qtbot.waitUntil(lambda: bool(heard), timeout=2000)
        assert heard[-1].ids("identities") is None
    finally:
        live.stop()
        db.dispose()


def test_the_listener_thread_holds_nothing_of_the_qobject(db) -> None:
    # What the thread holds may be freed there last; a QObject with a timer freed outside the UI thread
    # crashes the process later. (No server needed: the thread is not started.)
    live = LiveRefresh(db)
    held_by_thread, freed = live._listener, weakref.ref(live)  # the thread's target is the listener's method
    del live
    gc.collect()
    assert freed() is None

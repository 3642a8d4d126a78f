"""The UI side of live refresh: a change on the server reaches the change bus once per burst."""

from __future__ import annotations

from app.models import Identity, IdentityKind
from app.services.core import migrations
from app.services.core.actor import SYSTEM
from app.services.core.database import Database
from app.ui.events import change_bus
from app.ui.server.live_refresh import LiveRefresh


def _add(db: Database, name: str) -> None:
    with db.write(SYSTEM) as s:
        s.add(Identity(kind=IdentityKind.PERSON, display_name=name, name_key=name))


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
        qtbot.waitUntil(lambda: bool(live._pending), timeout=2000)
        qtbot.wait(200)  # the later notifications arrive too
        live._flush()
        assert announced == ["identities"]
    finally:
        live.stop()
        db.dispose()

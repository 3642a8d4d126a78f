"""Live refresh on the office server: a change made in one process reaches another's listener."""

from __future__ import annotations

import queue
import subprocess
import sys
import time
from pathlib import Path

from app.services.core import migrations
from app.services.core.database import Database
from app.services.server.live_changes import ChangeListener

ROOT = Path(__file__).resolve().parents[2]
WRITER = """
import sys
from app.models import Identity, IdentityKind
from app.services.core.actor import SYSTEM
from app.services.core.database import Database
db = Database(sys.argv[1])
with db.write(SYSTEM) as s:
    s.add(Identity(kind=IdentityKind.PERSON, display_name="تینا", name_key="تینا"))
"""


def test_a_write_in_another_process_reaches_the_listener(pg_database) -> None:
    db = Database(pg_database)
    migrations.upgrade(db)
    heard: queue.Queue = queue.Queue()
    listener = ChangeListener(db, heard.put)
    listener.start()
    try:
        began = time.monotonic()
        subprocess.run([sys.executable, "-c", WRITER, pg_database], cwd=ROOT, check=True, timeout=60)
        tables = set()
        while "identities" not in tables:
            tables |= heard.get(timeout=max(0.1, began + 30 - time.monotonic())).tables
        assert "audit_log" not in tables  # bookkeeping tables stay quiet
    finally:
        listener.stop()
        db.dispose()


def test_delivery_is_prompt(pg_database) -> None:
    db = Database(pg_database)
    migrations.upgrade(db)
    heard: queue.Queue = queue.Queue()
    listener = ChangeListener(db, lambda changes: heard.put((changes, time.monotonic())))
    listener.start()
    try:
        from app.models import Identity, IdentityKind
        from app.services.core.actor import SYSTEM

        with db.write(SYSTEM) as s:
            s.add(Identity(kind=IdentityKind.PERSON, display_name="سینا", name_key="سینا"))
        committed = time.monotonic()
        changes, at = heard.get(timeout=5)
        assert changes.tables == {"identities"}
        assert at - committed < 2.0
    finally:
        listener.stop()
        db.dispose()


def test_a_lost_connection_is_listened_again(pg_database, monkeypatch) -> None:
    from app.services.server import live_changes

    db = Database(pg_database)
    migrations.upgrade(db)
    heard: queue.Queue = queue.Queue()
    monkeypatch.setattr(live_changes, "RECONNECT_S", 0.1, raising=False)
    listener = ChangeListener(db, heard.put)
    listener.start()
    try:
        with db.engine.begin() as conn:  # the server drops the listener's connection
            conn.exec_driver_sql(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE 'LISTEN%%'"
            )
        time.sleep(1.0)
        from app.models import Identity, IdentityKind
        from app.services.core.actor import SYSTEM

        with db.write(SYSTEM) as s:
            s.add(Identity(kind=IdentityKind.PERSON, display_name="رها", name_key="رها"))
        assert "identities" in heard.get(timeout=5).tables
    finally:
        listener.stop()
        db.dispose()

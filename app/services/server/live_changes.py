"""Hearing other users' changes on the office server (PostgreSQL LISTEN/NOTIFY), without polling.

The app's writes send the `Changes` they committed (app/services/core/notify.py); triggers on the
business tables (app/migrations/raw_ddl.notify_changes) name the table for writes made outside the app.
`ChangeListener` waits for both on its own connection and hands each, as `Changes`, to a callback, from
its own thread. SQLite has no other writers to hear, so nothing listens there.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from app.migrations.raw_ddl import CHANGES_CHANNEL
from app.services.core.changes import Changes
from app.services.core.database import Database
from app.services.core.notify import decode

log = logging.getLogger(__name__)
RECONNECT_S = 5.0


class ChangeListener:
    def __init__(self, db: Database, on_change: Callable[[Changes], None]) -> None:
        self._url = db.url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._on_change = on_change
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="peyvand-listen", daemon=True)

    def start(self, timeout: float = 5.0) -> None:
        """Starts listening; returns once LISTEN is in effect (or after `timeout`)."""
        self._thread.start()
        self._ready.wait(timeout)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=3)

    def _run(self) -> None:
        # A dropped connection (the server restarted, the network went away) is logged and listened
        # again after a pause, for as long as the program runs; start() never waits past its timeout.
        while not self._stop.is_set():
            try:
                self._listen()
            except Exception:
                log.warning("live refresh lost its server connection; trying again", exc_info=True)
            finally:
                self._ready.set()
            self._stop.wait(RECONNECT_S)

    def _listen(self) -> None:
        import psycopg

        with psycopg.connect(self._url, autocommit=True) as conn:
            conn.execute(f"LISTEN {CHANGES_CHANNEL}")
            self._ready.set()
            while not self._stop.is_set():
                # Wakes at least twice a second so stop() is prompt; no query runs while idle.
                for notice in conn.notifies(timeout=0.5, stop_after=64):
                    self._on_change(decode(notice.payload))

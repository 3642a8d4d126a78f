"""Brings other users' changes on the office server into the change bus, within about a second.

The listener thread only queues what it hears: the `Changes` another user's write sent (rows and all,
app/services/core/notify.py) or a bare table name from a write made outside the app. A timer in the UI
thread publishes them as one `Changes` once per half second, so a burst of writes refreshes a view once.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from app.services.core.changes import ChangeBuilder, Changes
from app.services.server.live_changes import ChangeListener
from app.ui.events import publish

if TYPE_CHECKING:
    from app.services.core.database import Database

FLUSH_MS = 500


class _Heard:
    """What the listener thread heard and the timer has not published yet. It is all that thread holds: the
    QObject (and its timer) is never freed there, which would leave the timer with the UI thread's dispatcher."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending = ChangeBuilder()
        self.any = False

    def add(self, changes: Changes) -> None:  # the listener's thread
        with self._lock:
            self._pending.add_changes(changes)
            self.any = True

    def take(self) -> Changes | None:
        with self._lock:
            if not self.any:
                return None
            changes, self._pending, self.any = self._pending.build(), ChangeBuilder(), False
        return changes


class LiveRefresh(QObject):
    def __init__(self, db: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._heard = _Heard()
        self._listener = ChangeListener(db, self._heard.add)
        self._timer = QTimer(self, interval=FLUSH_MS)
        self._timer.timeout.connect(self._flush)

    def start(self) -> None:
        self._listener.start()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self._listener.stop()

    def _flush(self) -> None:
        changes = self._heard.take()
        if changes:
            publish(changes)

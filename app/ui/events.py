"""What changed, published once to every open view (Anki's "operation changes" idea).

Writes produce their own `Changes` (app/services/core/changes.py); the operation that ran the write
(app/ui/ops.py) publishes them after the commit, and live refresh publishes other users' changes on
the office server. Docks, the board and open forms listen to `change_bus().sig_changed` (one emit per
table) or `sig_changes` (the whole object) and refresh only what concerns them.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from app.services.core.changes import Changes


class ChangeBus(QObject):
    sig_changed = Signal(str, object)
    """Emitted with a table name (e.g. "identities") and a frozenset of ids, or None for "many"."""
    sig_changes = Signal(object)
    """Emitted once per publish with the whole `Changes`."""


_bus: ChangeBus | None = None


def change_bus() -> ChangeBus:
    global _bus
    if _bus is None:
        _bus = ChangeBus()
    return _bus


def publish(changes: Changes) -> None:
    """Tell every open view what a committed write changed (GUI thread only)."""
    bus = change_bus()
    for table in sorted(changes.tables):
        bus.sig_changed.emit(table, changes.ids(table))
    bus.sig_changes.emit(changes)


class RefreshWhenShown:
    """Mixin for a view on the change bus (put it before the Qt base class): a hidden view, e.g. a
    background tab, refreshes once when shown again instead of once for every change meanwhile.
    Several kinds of refresh may wait (a view's rows and its pick lists); each runs once, in the
    order first asked for."""

    def refresh_or_defer(self, refresh: Callable[[], None]) -> None:
        if self.isVisible():
            refresh()
        else:
            pending = self.__dict__.setdefault("_deferred_refreshes", {})
            pending.setdefault(refresh, None)  # a bound method asked for twice waits once

    def showEvent(self, event) -> None:
        super().showEvent(event)
        pending = self.__dict__.pop("_deferred_refreshes", None) or {}
        for refresh in pending:
            refresh()

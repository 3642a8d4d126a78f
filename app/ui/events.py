"""What changed, announced once to every open view (Anki's "operation changes" idea).

After a write, the code that made it calls `announce(table, ids)`; docks, the board and open
forms listen to `change_bus().sig_changed` and refresh only what concerns them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject, Signal


class ChangeBus(QObject):
    sig_changed = Signal(str, object)
    """Emitted with a table name (e.g. "identities") and a frozenset of ids, or None for "many"."""


_bus: ChangeBus | None = None


def change_bus() -> ChangeBus:
    global _bus
    if _bus is None:
        _bus = ChangeBus()
    return _bus


def announce(table: str, ids: Iterable | None = None) -> None:
    change_bus().sig_changed.emit(table, None if ids is None else frozenset(ids))


class RefreshWhenShown:
    """Mixin for a view on the change bus (put it before the Qt base class): a hidden view, e.g. a
    background tab, refreshes once when shown again instead of once for every change meanwhile."""

    def refresh_or_defer(self, refresh: Callable[[], None]) -> None:
        if self.isVisible():
            refresh()
        else:
            self._deferred_refresh = refresh

    def showEvent(self, event) -> None:
        super().showEvent(event)
        refresh, self._deferred_refresh = getattr(self, "_deferred_refresh", None), None
        if refresh is not None:
            refresh()

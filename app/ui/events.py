"""What changed, announced once to every open view (Anki's "operation changes" idea).

After a write, the code that made it calls `announce(table, ids)`; docks, the board and open
forms listen to `change_bus().sig_changed` and refresh only what concerns them.
"""

from __future__ import annotations

from collections.abc import Iterable

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

"""Picking a product by typing part of its name or code: the documents' and the opportunity's line
editors offer the matches under their search box and act on the one chosen."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QStringListModel, QTimer, Signal
from PySide6.QtWidgets import QCompleter, QLineEdit

from app.services.catalog.products import ProductRow


class ProductCompleter(QObject):
    """Looks products up with `find(text)` a moment after typing stops (not on every key) and lists
    them as «code — name» under `edit`; `find` returns None when there is nothing to look for (the
    list then stays as it was)."""

    sig_picked = Signal(object)
    """The ProductRow the user chose from the list."""

    def __init__(self, edit: QLineEdit, find: Callable[[str], list[ProductRow] | None]) -> None:
        super().__init__(edit)
        self._edit, self._find = edit, find
        self._found: dict[str, ProductRow] = {}
        self._names = QStringListModel(self)
        completer = QCompleter(self._names, edit)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.activated.connect(self._pick)
        edit.setCompleter(completer)
        self._timer = QTimer(self, singleShot=True, interval=200)
        self._timer.timeout.connect(self._search)
        edit.textEdited.connect(lambda _t: self._timer.start())

    def _search(self) -> None:
        rows = self._find(self._edit.text())
        if rows is None:
            return
        self._found = {f"{r.code} — {r.name}": r for r in rows}
        self._names.setStringList(list(self._found))
        if self._edit.hasFocus() and self._found:
            self._edit.completer().complete()

    def _pick(self, label: str) -> None:
        row = self._found.get(label)
        if row is not None:
            self.sig_picked.emit(row)

"""Pick an identity by typing part of its name or phone: a debounced search fills a completer."""

from __future__ import annotations

import uuid
from collections import Counter
from typing import TYPE_CHECKING

from PySide6.QtCore import QStringListModel, Qt, QTimer, Signal
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from app.persian import to_persian_digits
from app.services.identities.service import IdentityQuery, IdentityRow

if TYPE_CHECKING:
    from app.services.core.actor import Actor
    from app.services.core.registry import Services

SEARCH_DELAY_MS = 200
MAX_SUGGESTIONS = 20


def _labelled(rows: list[IdentityRow]) -> dict[str, uuid.UUID]:
    """Suggestions by name; same-named identities are told apart by their mobile and city, as a person
    would (a number in the label is a last resort for two with the same name, phone and city)."""
    names = Counter(row.display_name for row in rows)
    labels: dict[str, uuid.UUID] = {}
    for row in rows:
        label = row.display_name
        if names[label] > 1:
            details = "، ".join(to_persian_digits(part) for part in (row.mobile, row.city) if part)
            label = f"{label} ({details})" if details else label
        base, n = label, 1
        while label in labels:
            n += 1
            label = f"{base} {to_persian_digits(str(n))}"
        labels[label] = row.id
    return labels


class IdentityPicker(QLineEdit):
    sig_picked = Signal(object)
    """Emitted with the chosen identity's id (or None when the text no longer names one)."""

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services, self._actor = services, actor
        self._ids: dict[str, uuid.UUID] = {}
        self._picked: uuid.UUID | None = None
        self.setPlaceholderText("نام یا تلفن هویت را بنویسید…")
        self.setClearButtonEnabled(True)
        self._model = QStringListModel(self)
        completer = QCompleter(self._model, self)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.activated.connect(self._choose)
        self.setCompleter(completer)
        self._timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._timer.timeout.connect(self._search)
        self.textEdited.connect(self._edited)

    def identity_id(self) -> uuid.UUID | None:
        return self._picked

    def set_identity(self, identity_id: uuid.UUID | None, name: str = "") -> None:
        self._picked = identity_id
        self._ids = {name: identity_id} if identity_id else {}
        self.setText(name)

    def _edited(self, _text: str) -> None:
        if self._picked is not None:
            self._picked = None
            self.sig_picked.emit(None)
        self._timer.start()

    def _search(self) -> None:
        text = self.text().strip()
        if not text:
            self._model.setStringList([])
            return
        rows = self._services.identities.search(self._actor, IdentityQuery(text=text), 0, MAX_SUGGESTIONS)
        self._ids = _labelled(rows)
        self._model.setStringList(list(self._ids))
        if self.hasFocus() and self._ids:
            self.completer().complete()

    def _choose(self, label: str) -> None:
        self._picked = self._ids.get(label)
        self.sig_picked.emit(self._picked)

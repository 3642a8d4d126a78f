"""The base of every record opened in a tab of the main window (identity, opportunity, quote ...)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from app.services.core.actor import Actor
    from app.services.core.registry import Services


class RecordForm(QWidget):
    """A tab's content. Subclasses set the title, report unsaved edits and implement save()."""

    sig_title_changed = Signal(str)
    sig_dirty_changed = Signal(bool)
    sig_open_record = Signal(str, object)
    """Ask the main window to open another record: (kind, id)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._dirty = False

    def title(self) -> str:
        return ""

    def is_dirty(self) -> bool:
        return self._dirty

    def set_dirty(self, dirty: bool = True) -> None:
        if dirty != self._dirty:
            self._dirty = dirty
            self.sig_dirty_changed.emit(dirty)

    def save(self) -> bool:
        """Saves through the service; False (with errors shown by the fields) if refused."""
        self.set_dirty(False)
        return True


# kind ("identity", "opportunity", "quote" ...) -> factory(services, actor, record_id or None, parent)
FormFactory = Callable[["Services", "Actor", object, QWidget | None], RecordForm]
FORMS: dict[str, FormFactory] = {}


def register_form(kind: str, factory: FormFactory) -> None:
    FORMS[kind] = factory

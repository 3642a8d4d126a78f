"""The base of every record opened in a tab of the main window (identity, opportunity, quote ...)."""

from __future__ import annotations

import functools
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

    def __init_subclass__(cls, **kwargs) -> None:
        """Every form's save() first reads the dates and times being typed: one that holds an impossible
        date («۱۴۰۴/۱۲/۳۰») refuses the save, instead of saving the field's previous value."""
        super().__init_subclass__(**kwargs)
        save = cls.__dict__.get("save")
        if save is not None and not getattr(save, "_refuses_bad_typing", False):
            cls.save = _refusing_bad_typing(save)

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


def _refusing_bad_typing(save: Callable[..., bool]) -> Callable[..., bool]:
    @functools.wraps(save)
    def checked(self: RecordForm, *args, **kwargs) -> bool:
        from app.ui.common.typed_entry import refuse_bad_typing  # typed_entry -> form_fields -> ops

        if refuse_bad_typing(self):
            return False
        return save(self, *args, **kwargs)

    checked._refuses_bad_typing = True  # type: ignore[attr-defined]
    return checked


# kind ("identity", "opportunity", "quote" ...) -> factory(services, actor, record_id or None, parent)
FormFactory = Callable[["Services", "Actor", object, QWidget | None], RecordForm]
FORMS: dict[str, FormFactory] = {}


def register_form(kind: str, factory: FormFactory) -> None:
    FORMS[kind] = factory

"""Typing a whole date or time into a QDateTimeEdit, in Persian or Latin digits.

Qt's section-by-section entry ignores Latin digits under the Persian locale, mirrors sections in a
right-to-left field and clamps impossible days (1404/12/30 became 1404/12/29). Instead, digits and
separators typed into the field collect as plain text (shown in Persian digits) and are read as a
whole on Enter, Tab or leaving the field; text that is not a date or time stays in the field, with
the refusal beside it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QFocusEvent, QKeyEvent, QValidator
from PySide6.QtWidgets import QApplication, QDateTimeEdit, QLabel, QWidget

from app.persian.errors import ValidationError
from app.persian.text import to_ascii_digits, to_persian_digits
from app.persian.typed import SEPARATORS
from app.ui.common.form_fields import FieldRow

_COMMIT_KEYS = frozenset({Qt.Key.Key_Return, Qt.Key.Key_Enter})
_SEPARATOR_TEXT = frozenset(SEPARATORS.replace(" ", ""))
_COMMAND_MODIFIERS = (
    Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier
)


class TypedEntry(QObject):
    """Watches `edit`'s keys; `read(text)` returns the value or raises ValidationError, `apply(value)`
    puts it in the edit."""

    def __init__(
        self,
        edit: QDateTimeEdit,
        read: Callable[[str], object],
        apply: Callable[[object], None],
    ) -> None:
        super().__init__(edit)
        self._edit, self._read, self._apply = edit, read, apply
        self._typed: str | None = None  # None: the field shows its value
        self._error: str | None = None
        self._label: QLabel | None = None
        self._validator: QValidator | None = None  # the spin box's own, set aside while typing
        edit.installEventFilter(self)
        edit.dateTimeChanged.connect(self._value_set)

    # --- state ---------------------------------------------------------------------------------
    def is_typing(self) -> bool:
        return self._typed is not None

    def error(self) -> str | None:
        """The refusal shown beside the field, if the typed text could not be read."""
        return self._error

    def commit(self) -> bool:
        """Reads the typed text into the edit; False (text kept, refusal shown) if it is no value."""
        if self._typed is None:
            return True
        if not self._typed.strip():
            self._stop()
            return True
        try:
            value = self._read(self._typed)
        except ValidationError as exc:
            self._show_error(exc.message)
            return False
        self._stop()
        self._apply(value)
        return True

    def cancel(self) -> None:
        self._stop()

    def _value_set(self) -> None:
        """A value from elsewhere (the calendar popup, a form being filled) replaces the typed text."""
        if self._typed is not None:
            self._stop()

    # --- events --------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._edit:
            if event.type() == QEvent.Type.KeyPress and not self._edit.isReadOnly():
                return self._key(event)
            if event.type() == QEvent.Type.FocusOut and self._typed is not None and not self.commit():
                # The spin box would put the old value back over text it cannot read: only its line
                # edit hears of the focus leaving (so it stops showing a cursor); the text stays.
                QApplication.sendEvent(self._edit.lineEdit(), QFocusEvent(event.type(), event.reason()))
                return True
        return False

    def _key(self, event: QKeyEvent) -> bool:
        if event.modifiers() & _COMMAND_MODIFIERS:
            return False
        text, key = event.text(), event.key()
        if len(text) == 1 and to_ascii_digits(text).isdigit():
            self._type((self._typed or "") + text)
        elif self._typed is None:
            return False  # «+», «−», «ت» … stay the field's own keys while nothing is typed
        elif len(text) == 1 and text in _SEPARATOR_TEXT:
            self._type(self._typed + text)
        elif key == Qt.Key.Key_Backspace:
            self._type(self._typed[:-1])
        elif key in _COMMIT_KEYS:
            self.commit()
            return False if self._typed is None else True  # Enter still reaches a dialog when read
        elif key == Qt.Key.Key_Escape:
            self.cancel()
        else:
            return not self.commit()  # arrows and the like work on the value just typed
        event.accept()
        return True

    # --- display -------------------------------------------------------------------------------
    def _type(self, text: str) -> None:
        self._typed = text
        self._hide_error()
        self._show_text(to_persian_digits(text))

    def _show_text(self, text: str) -> None:
        # Neither the spin box's validator nor its signals may see the text: Qt's parser would
        # "fix" 1404/12/30 into 1404/12/29 or read half a date.
        line = self._edit.lineEdit()
        if self._validator is None:
            self._validator = line.validator()
            line.setValidator(None)
        was_blocked = line.blockSignals(True)
        line.setText(text)
        line.setCursorPosition(len(text))
        line.blockSignals(was_blocked)

    def _stop(self) -> None:
        self._typed = None
        if self._validator is not None:
            self._edit.lineEdit().setValidator(self._validator)
            self._validator = None
        self._hide_error()
        # Show the value again; setting an unchanged value would not redraw the text, re-setting
        # the special value text does (and changes nothing else).
        self._edit.setSpecialValueText(self._edit.specialValueText())

    def _show_error(self, message: str) -> None:
        self._error = message
        row = _field_row(self._edit)
        if row is not None:
            row.set_error(message)
            return
        if self._label is None:
            self._label = QLabel(self._edit.window(), objectName="typedEntryError")
            self._label.setStyleSheet("color: #c62828; background: palette(window);")
        self._label.setText(message)
        self._label.adjustSize()
        self._label.move(self._edit.mapTo(self._edit.window(), QPoint(0, self._edit.height())))
        self._label.raise_()
        self._label.show()

    def _hide_error(self) -> None:
        if self._error is None:
            return
        self._error = None
        row = _field_row(self._edit)
        if row is not None:
            row.set_error(None)
        elif self._label is not None:
            self._label.hide()


def _field_row(widget: QWidget) -> FieldRow | None:
    """The form row holding the field: its error line is "beside the field"."""
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, FieldRow):
        parent = parent.parentWidget()
    return parent


def refuse_bad_typing(root: QWidget) -> bool:
    """Reads every date or time being typed under `root`; True, with the focus on the first such field,
    if one holds text that is no value (its refusal already shows beside it): the save must not go on
    with the field's previous value."""
    bad = [entry for entry in root.findChildren(TypedEntry) if not entry.commit() or entry.error()]
    if bad:
        bad[0]._edit.setFocus()
    return bool(bad)

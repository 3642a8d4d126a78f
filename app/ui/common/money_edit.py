"""A money field that groups digits as you type («۱٬۲۰۰٬۰۰۰») and shows the amount in words beneath.

Values are integer Rial; `unit` says what the typed number means (Toman input is ×10). Anything but
digits and group separators («12.5», letters) is left as typed and the parser's reason shows beneath
in red, as does an amount beyond MAX_RIALS: a typo never becomes a different amount.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from app.persian import (
    MoneyUnit,
    ValidationError,
    amount_in_words,
    check_money,
    format_money,
    parse_money,
    to_ascii_digits,
)

_GROUPING = set("0123456789,\u066c \u00a0")  # what regrouping may drop: digits stay, separators are redone
_NORMAL, _ERROR = "color: #757575;", "color: #c62828;"


class MoneyEdit(QWidget):
    sig_value_changed = Signal(object)
    """Emitted with the new value in Rial (None when empty) after each edit."""

    def __init__(self, unit: MoneyUnit = MoneyUnit.RIAL, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._unit = unit
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(f"مبلغ به {unit.value}")
        self.words = QLabel(wordWrap=True)
        self.words.setObjectName("amountInWords")
        self.words.setStyleSheet(_NORMAL)
        self.edit.setMaxLength(32)  # MAX_RIALS has 16 digits; more is never an amount
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addWidget(self.edit)
        layout.addWidget(self.words)
        self.edit.textEdited.connect(self._reformat)
        self.setFocusProxy(self.edit)

    def value(self) -> int | None:
        """The amount in Rial; None when empty. Raises ValidationError for text that is not a whole
        number, or beyond MAX_RIALS."""
        text = self.edit.text().strip()
        return check_money(parse_money(text, self._unit)) if text else None

    def set_value(self, rial: int | None) -> None:
        self.edit.setText("" if rial is None else format_money(rial, self._unit, with_unit=False))
        self._show_words()

    def setReadOnly(self, read_only: bool) -> None:  # Qt-style name, like QLineEdit's
        self.edit.setReadOnly(read_only)

    def _reformat(self, text: str) -> None:
        ascii_text = to_ascii_digits(text).strip()
        negative = ascii_text.startswith(("-", "−"))
        digits = "".join(ch for ch in ascii_text if ch.isdigit())
        if digits and set(ascii_text.lstrip("-−")) <= _GROUPING:
            from_end = len(text) - self.edit.cursorPosition()
            shown = format_money(int(digits) * (-1 if negative else 1), MoneyUnit.RIAL, with_unit=False)
            self.edit.setText(shown)
            self.edit.setCursorPosition(max(0, len(shown) - from_end))
        self._show_words()
        try:
            self.sig_value_changed.emit(self.value())
        except ValidationError:
            self.sig_value_changed.emit(None)

    def _show_words(self) -> None:
        try:
            value = self.value()
            self.words.setText(amount_in_words(value, MoneyUnit.RIAL) if value is not None else "")
            self.words.setStyleSheet(_NORMAL)
        except ValidationError as exc:
            self.words.setText(exc.message)
            self.words.setStyleSheet(_ERROR)

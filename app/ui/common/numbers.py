"""Numbers as a Persian reader expects them: quantities without trailing zeros («۱», «۱٫۵»; «۱٫۰۰۰»
reads as one thousand) and Persian digits in number fields whichever digits the keyboard sends."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QDoubleSpinBox, QLineEdit, QStyledItemDelegate, QWidget

from app.persian import format_number, to_ascii_digits, to_persian_digits

DECIMAL_MARK = "٫"  # U+066B; «٬» U+066C groups thousands
_LATIN_MARKS = str.maketrans({"٫": ".", "/": ".", "٬": None, ",": None, "،": None})


def quantity_text(quantity: Decimal) -> str:
    """Decimal("1.000") → «۱», Decimal("2.50") → «۲٫۵», Decimal("1500") → «۱٬۵۰۰»."""
    text = format(quantity.normalize(), "f")
    whole, _, fraction = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    shown = sign + format_number(abs(int(whole)))
    return f"{shown}{DECIMAL_MARK}{to_persian_digits(fraction)}" if fraction else shown


def parse_decimal(text: str) -> Decimal:
    """«۱٫۵», «1.5», «۱٬۵۰۰» → Decimal; InvalidOperation for anything else."""
    raw = to_ascii_digits(text).translate(_LATIN_MARKS).strip()
    if not raw:
        raise InvalidOperation(text)
    return Decimal(raw)


def type_persian_digits(edit: QLineEdit) -> QLineEdit:
    """Digits typed in Latin show as Persian at once, so a field never mixes «۱۰» and «30»."""

    def convert(text: str) -> None:
        persian = to_persian_digits(text)
        if persian != text:
            position = edit.cursorPosition()  # one character for one: the cursor stays put
            edit.setText(persian)
            edit.setCursorPosition(position)

    edit.textEdited.connect(convert)
    return edit


class PersianDigitsDelegate(QStyledItemDelegate):
    """For a table's number columns: the cell editor shows Persian digits, whatever is typed."""

    def createEditor(self, parent, option, index):  # noqa: N802 (Qt's name)
        editor = super().createEditor(parent, option, index)
        if isinstance(editor, QLineEdit):
            type_persian_digits(editor)
        return editor


class QuantitySpinBox(QDoubleSpinBox):
    """Up to three decimals, shown only when there are any («۱», «۲٫۵»); takes either digit set."""

    def __init__(self, parent: QWidget | None = None, **kwargs) -> None:
        super().__init__(parent, **{"decimals": 3, **kwargs})
        type_persian_digits(self.lineEdit())

    def textFromValue(self, value: float) -> str:  # noqa: N802 (Qt's name)
        return quantity_text(Decimal(str(round(value, self.decimals()))))

    def valueFromText(self, text: str) -> float:  # noqa: N802 (Qt's name)
        try:
            return float(parse_decimal(self._bare(text)))
        except InvalidOperation:
            return self.value()

    def validate(self, text: str, position: int):  # noqa: ANN201 (PySide's (state, text, position))
        bare = self._bare(text)
        if not bare:
            return QValidator.State.Intermediate, text, position
        try:
            value = parse_decimal(bare)
        except InvalidOperation:
            return QValidator.State.Invalid, text, position
        inside = Decimal(str(self.minimum())) <= value <= Decimal(str(self.maximum()))
        return (QValidator.State.Acceptable if inside else QValidator.State.Intermediate), text, position

    def _bare(self, text: str) -> str:
        return text.removeprefix(self.prefix()).removesuffix(self.suffix()).strip()

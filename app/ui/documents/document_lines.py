"""The line table of a quote or invoice (iran-rules.md §1.1's columns): pick a product by name or
code or type a free line, edit quantity, unit, unit price, discount and VAT rate; the amounts and
totals follow as you type (the same integer-Rial arithmetic as the service, which checks again).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.persian import ValidationError, amount_in_words, format_money, format_number, parse_money, to_ascii_digits
from app.persian import to_persian_digits as fa
from app.services.catalog.products import ProductQuery, ProductRow
from app.services.core.errors import ServiceError
from app.services.documents.arithmetic import LineInput, compute_line
from app.services.documents.lines import DESCRIPTION_LENGTH, UNIT_LENGTH, LineDraft, LineView
from app.ui.catalog.price_list_choice import reprice_wanted
from app.ui.catalog.product_completer import ProductCompleter
from app.ui.common.numbers import PersianDigitsDelegate
from app.ui.ops import op

if TYPE_CHECKING:
    from app.services.core.actor import Actor
    from app.services.core.registry import Services

HEADERS = ("کد", "شرح کالا یا خدمات", "مقدار", "واحد", "مبلغ واحد", "تخفیف", "نرخ مالیات٪", "مبلغ کل", "مالیات", "جمع")
CODE, DESC, QTY, UNIT, PRICE, DISC, RATE, AMOUNT, VAT, TOTAL = range(10)
EDITABLE = (DESC, QTY, UNIT, PRICE, DISC, RATE)
ERROR_BG = QColor("#ffebee")


def qty_text(quantity: Decimal) -> str:
    text = format(quantity.normalize(), "f")
    return fa(text.replace(".", "٫"))


def parse_quantity(text: str) -> Decimal:
    raw = to_ascii_digits(text).replace("٫", ".").replace("/", ".").replace(",", "").strip()
    try:
        return Decimal(raw)
    except InvalidOperation:
        raise ValidationError("مقدار نامعتبر است") from None


class _MaxLength(QStyledItemDelegate):
    """Cell editors stop at the column's length: typing past it is impossible, not cut on save."""

    def __init__(self, length: int, parent: QWidget) -> None:
        super().__init__(parent)
        self._length = length

    def createEditor(self, parent, option, index):  # noqa: N802 (Qt's name)
        editor = super().createEditor(parent, option, index)
        if isinstance(editor, QLineEdit):
            editor.setMaxLength(self._length)
        return editor


class DocumentLinesEditor(QWidget):
    sig_changed = Signal()
    """Emitted after any edit of a line (the form marks itself dirty)."""

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services, self._actor = services, actor
        self._products: list = []  # product id (or None) per row
        self._day = dt.date.today()
        self._filling = False
        self.identity_id = None  # the customer: without a chosen list, their own list prices new lines
        self.price_list_id = None
        self.product = QLineEdit(
            placeholderText="افزودن کالا یا خدمت: نام یا کد را بنویسید…", objectName="productSearch"
        )
        self._completer = ProductCompleter(self.product, self._find)
        self._completer.sig_picked.connect(self._pick)
        self.add_free = QPushButton("ردیف آزاد (سایر)")
        self.add_free.clicked.connect(lambda: self.add_line(None))
        self.remove = QPushButton("حذف ردیف")
        self.remove.clicked.connect(self.remove_selected)
        top = QHBoxLayout()
        top.addWidget(self.product, 1)
        top.addWidget(self.add_free)
        top.addWidget(self.remove)

        self.table = QTableWidget(0, len(HEADERS), objectName="documentLines")
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(DESC, QHeaderView.ResizeMode.Stretch)
        self.table.itemChanged.connect(self._edited)
        self.table.setItemDelegateForColumn(DESC, _MaxLength(DESCRIPTION_LENGTH, self.table))
        self.table.setItemDelegateForColumn(UNIT, _MaxLength(UNIT_LENGTH, self.table))
        for column in (QTY, PRICE, DISC, RATE):
            self.table.setItemDelegateForColumn(column, PersianDigitsDelegate(self.table))
        self.totals = QLabel(objectName="documentTotals", wordWrap=True)
        self.error = QLabel(objectName="fieldError", wordWrap=True)
        self.error.setStyleSheet("color: #c62828;")
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.totals)
        self._show_totals()

    # --- product picking -----------------------------------------------------------
    def _find(self, text: str) -> list[ProductRow] | None:
        text = text.strip()
        return self._services.products.search(self._actor, ProductQuery(text=text), 0, 20) if text else None

    def _pick(self, row: ProductRow) -> None:
        self.add_line(row)
        QTimer.singleShot(0, self.product.clear)

    def set_document_date(self, day: dt.date) -> None:
        """New lines take the VAT rate in force on this date."""
        self._day = day

    def _default_rate(self, product: ProductRow | None) -> int:
        if product is not None and product.vat_exempt:
            return 0
        try:
            return self._services.vat_rates.rate_on(self._actor, self._day)
        except (ServiceError, ValidationError):
            return 0

    def _list_price(self, product: ProductRow) -> int | None:
        """The price a new line of `product` starts with: the chosen list's, else the customer's, else
        the default list's, else the product's own (None when the read failed and was shown)."""
        if product.is_other:  # typed by hand
            return product.default_price
        products, identity_id, list_id = self._services.products, self.identity_id, self.price_list_id
        return op(self, lambda: products.price_for(self._actor, product.id, identity_id, list_id)).run()

    def change_price_list(self, price_list_id) -> None:
        """New lines price at `price_list_id` from now on; existing product lines are repriced at it
        (discounts kept) if the rep says so."""
        self.price_list_id = price_list_id
        ids = [pid for pid in self._products if pid is not None]
        if not ids or not reprice_wanted(self):
            return
        products = self._services.products
        prices = op(self, lambda: products.prices_for(self._actor, ids, self.identity_id, price_list_id)).run()
        if prices is None:
            return
        self._filling = True
        for row, product_id in enumerate(self._products):
            if product_id in prices:  # «سایر» and free lines keep the price typed
                self.table.item(row, PRICE).setText(format_number(prices[product_id]))
        self._filling = False
        self._recompute()
        self.sig_changed.emit()

    def add_line(self, product: ProductRow | None) -> None:
        price = 0 if product is None else self._list_price(product)
        if price is None:  # the read failed and was shown: nothing is added
            return
        stock = ""
        if product is not None and product.track_stock:
            stock = f"موجودی {fa(format(product.available.normalize(), 'f'))} {product.unit}"
        self._append(
            product.id if product else None,
            product.code if product else "",
            "" if product is None or product.is_other else product.name,
            Decimal(1),
            product.unit if product else "عدد",
            price,
            0,
            self._default_rate(product),
            stock,
        )
        self.table.setCurrentCell(self.table.rowCount() - 1, DESC if product is None else QTY)
        self._recompute()
        self.sig_changed.emit()

    def _append(self, product_id, code, desc, qty, unit, price, discount, rate, tip="") -> None:
        self._filling = True
        row = self.table.rowCount()
        self.table.insertRow(row)
        self._products.append(product_id)
        values = {
            CODE: code or "",  # as typed («T-001»): a code is matched, not read as a number
            DESC: desc,
            QTY: qty_text(qty),
            UNIT: unit,
            PRICE: format_number(price),
            DISC: format_number(discount),
            RATE: fa(str(rate)),
        }
        for col in range(len(HEADERS)):
            item = QTableWidgetItem(values.get(col, ""))
            if col not in EDITABLE:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            if col in (QTY, PRICE, DISC, RATE, AMOUNT, VAT, TOTAL):
                item.setTextAlignment(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft)
            if tip and col == CODE:
                item.setToolTip(tip)
            self.table.setItem(row, col, item)
        self._filling = False

    def remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True)
        for row in rows:
            self.table.removeRow(row)
            del self._products[row]
        if rows:
            self._recompute()
            self.sig_changed.emit()

    # --- values ----------------------------------------------------------------------
    def set_lines(self, lines: list[LineView]) -> None:
        self.table.setRowCount(0)
        self._products = []
        for line in lines:
            self._append(
                line.product_id, line.product_code or "", line.description, line.quantity, line.unit,
                line.unit_price, line.discount, line.vat_rate,
            )  # fmt: skip
        self._recompute()

    def _text(self, row: int, col: int) -> str:
        item = self.table.item(row, col)
        return item.text() if item is not None else ""

    def _row_input(self, row: int) -> tuple[Decimal, int, int, int]:
        quantity = parse_quantity(self._text(row, QTY))
        price = parse_money(self._text(row, PRICE) or "0")
        discount = parse_money(self._text(row, DISC) or "0")
        rate = int(parse_money(self._text(row, RATE) or "0"))
        return quantity, price, discount, rate

    def drafts(self) -> list[LineDraft]:
        """The lines as typed; raises ValidationError naming the row whose numbers are unreadable."""
        result = []
        for row in range(self.table.rowCount()):
            try:
                quantity, price, discount, rate = self._row_input(row)
            except ValidationError as exc:
                raise ValidationError(f"ردیف {fa(str(row + 1))}: {exc.message}") from None
            result.append(
                LineDraft(
                    self._text(row, DESC), quantity, price, discount, rate, self._products[row], self._text(row, UNIT)
                )
            )
        return result

    def set_read_only(self, read_only: bool) -> None:
        self.table.setEditTriggers(
            QTableWidget.EditTrigger.NoEditTriggers if read_only else QTableWidget.EditTrigger.AllEditTriggers
        )
        for widget in (self.product, self.add_free, self.remove):
            widget.setVisible(not read_only)

    def show_errors(self, errors: dict[str, str]) -> None:
        """Messages of "lines" / "lines.<i>" under the table; faulty rows tinted."""
        messages = [m for key, m in errors.items() if key == "lines" or key.startswith("lines.")]
        self.error.setText("\n".join(messages))
        self.error.setVisible(bool(messages))
        bad = {int(key.split(".")[1]) for key in errors if key.startswith("lines.")}
        self._filling = True
        for row in range(self.table.rowCount()):
            for col in range(len(HEADERS)):
                item = self.table.item(row, col)
                if item is not None:
                    item.setBackground(ERROR_BG if row in bad else QColor(0, 0, 0, 0))
        self._filling = False
        if bad:
            self.table.setCurrentCell(min(bad), QTY)
            self.table.setFocus()

    # --- amounts ---------------------------------------------------------------------
    def _edited(self, item: QTableWidgetItem) -> None:
        if self._filling:
            return
        self._recompute()
        self.sig_changed.emit()

    def _recompute(self) -> None:
        self._filling = True
        sums = [0, 0, 0, 0]  # before discount, discount, vat, total
        for row in range(self.table.rowCount()):
            try:
                quantity, price, discount, rate = self._row_input(row)
                amounts = compute_line(LineInput(quantity, price, discount, rate))
                shown = (format_number(amounts.prdis), format_number(amounts.vam), format_number(amounts.tsstam))
                sums = [sums[0] + amounts.prdis, sums[1] + amounts.dis, sums[2] + amounts.vam, sums[3] + amounts.tsstam]
            except (ValidationError, TypeError):
                shown = ("—", "—", "—")
            for col, text in zip((AMOUNT, VAT, TOTAL), shown, strict=True):
                self.table.item(row, col).setText(text)
        self.table.setVerticalHeaderLabels([fa(str(i + 1)) for i in range(self.table.rowCount())])
        self._filling = False
        self._sums = sums
        self._show_totals()

    def _show_totals(self) -> None:
        gross, discount, vat, total = getattr(self, "_sums", [0, 0, 0, 0])
        self.totals.setText(
            f"جمع: {format_money(gross)} · تخفیف: {format_money(discount)} · مالیات و عوارض: {format_money(vat)}"
            f"\n<b>قابل پرداخت: {format_money(total)}</b> — {amount_in_words(total)}"
        )
        self.totals.setTextFormat(Qt.TextFormat.RichText)
        self.totals.setText(self.totals.text().replace("\n", "<br>"))

    def total(self) -> int:
        return getattr(self, "_sums", [0, 0, 0, 0])[3]

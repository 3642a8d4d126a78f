"""The opportunity form's products grid (محصولات فرصت): pick by group, name or code, see stock on
hand and frozen, set quantity, unit price (from the price list, editable) and discount.

With lines, the opportunity's amount is their sum (shown, not typed).
"""

from __future__ import annotations

import decimal
import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.persian import format_number, parse_money
from app.persian.errors import ValidationError
from app.services.catalog.products import ProductQuery, ProductRow
from app.services.opportunities.data import LineData, LineRow, line_total, to_quantity
from app.ui.catalog.price_list_choice import reprice_wanted
from app.ui.catalog.product_completer import ProductCompleter
from app.ui.common.numbers import PersianDigitsDelegate, QuantitySpinBox, parse_decimal, quantity_text
from app.ui.errors import show_error
from app.ui.ops import op
from app.ui.qt_setup import make_ltr

if TYPE_CHECKING:
    from app.services.core.actor import Actor
    from app.services.core.registry import Services

HEADERS = ("کد", "محصول", "تعداد", "واحد", "قیمت واحد", "تخفیف", "جمع")
EDITABLE = {2: "quantity", 4: "unit_price", 5: "discount"}


class LinesEditor(QWidget):
    sig_changed = Signal()

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services, self._actor = services, actor
        self._lines: list[
            dict
        ] = []  # product_id, code, name, unit, quantity, unit_price, discount, description, is_other
        self._product: ProductRow | None = None
        self.identity_id: uuid.UUID | None = None
        self.price_list_id: uuid.UUID | None = None
        self.group = QComboBox(objectName="productGroup")
        self.group.addItem("همه گروه‌ها", None)
        for g in services.products.groups(actor):
            self.group.addItem(g.name, g.id)
        self.product = QLineEdit(objectName="productSearch", placeholderText="نام یا کد محصول…")
        self._completer = ProductCompleter(self.product, self._find)
        self._completer.sig_picked.connect(self.choose)
        self.stock = QLabel(objectName="productStock")
        self.quantity = QuantitySpinBox(objectName="lineQuantity", minimum=0.001, maximum=10**9, value=1)
        self.unit_price = make_ltr(QLineEdit(objectName="linePrice", placeholderText="قیمت واحد"))
        self.discount = make_ltr(QLineEdit(objectName="lineDiscount", placeholderText="تخفیف"))
        self.description = QLineEdit(objectName="lineDescription", placeholderText="شرح (برای «سایر»)")
        self.description.setEnabled(False)
        self.add_button = QPushButton("افزودن", objectName="addLine")
        self.add_button.clicked.connect(self.add_current)
        self.remove_button = QPushButton("حذف ردیف", objectName="removeLine")
        self.remove_button.clicked.connect(self.remove_selected)
        picker = QGridLayout()
        for col, (label, widget) in enumerate(
            (("گروه", self.group), ("محصول", self.product), ("تعداد", self.quantity), ("قیمت واحد", self.unit_price))
        ):
            picker.addWidget(QLabel(label), 0, col)
            picker.addWidget(widget, 1, col)
        picker.addWidget(QLabel("تخفیف"), 0, 4)
        picker.addWidget(self.discount, 1, 4)
        picker.addWidget(self.add_button, 1, 5)
        picker.addWidget(self.description, 2, 0, 1, 4)
        picker.addWidget(self.stock, 2, 4, 1, 2)
        self.table = QTableWidget(0, len(HEADERS), objectName="linesTable")
        self.table.setHorizontalHeaderLabels(HEADERS)
        for column in EDITABLE:
            self.table.setItemDelegateForColumn(column, PersianDigitsDelegate(self.table))
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.itemChanged.connect(self._cell_edited)
        self.total = QLabel(objectName="linesTotal")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(picker)
        layout.addWidget(self.table)
        footer = QGridLayout()
        footer.addWidget(self.remove_button, 0, 0)
        footer.addWidget(self.total, 0, 1, Qt.AlignmentFlag.AlignLeft)
        layout.addLayout(footer)
        self._refill()

    # --- picking -------------------------------------------------------------------------------
    def _find(self, text: str) -> list[ProductRow]:
        query = ProductQuery(text=text, group_id=self.group.currentData())
        return self._services.products.search(self._actor, query, 0, 30)

    def choose(self, row: ProductRow) -> None:
        """Makes `row` the product being added: its price from the price list, its stock shown."""
        self._product = row
        self.product.setText(f"{row.code} — {row.name}")
        price = self._services.products.price_for(self._actor, row.id, self.identity_id, self.price_list_id)
        self.unit_price.setText(format_number(price))
        self.description.setEnabled(row.is_other)
        if row.track_stock:
            self.stock.setText(
                f"موجودی: {quantity_text(row.on_hand)} {row.unit} · فریز: {quantity_text(row.frozen)}"
                f" · قابل فروش: {quantity_text(row.available)}"
            )
        else:
            self.stock.setText("بدون انبارداری")

    def change_price_list(self, price_list_id: uuid.UUID | None) -> None:
        """New lines price at `price_list_id` from now on. With lines, asks whether they are repriced too
        (discounts kept), so one opportunity never mixes two lists without the rep deciding it."""
        self.price_list_id = price_list_id
        if self._product is not None:  # picked but not yet added: its price field follows the list
            self.choose(self._product)
        priced = [x for x in self._lines if not x["is_other"]]  # «سایر» is priced by hand, not by a list
        if not priced or not reprice_wanted(self):
            return
        ids, products = [x["product_id"] for x in priced], self._services.products
        prices = op(self, lambda: products.prices_for(self._actor, ids, self.identity_id, price_list_id)).run()
        if prices is None:
            return
        for line in priced:
            line["unit_price"] = prices[line["product_id"]]
        self._refill()
        self.sig_changed.emit()

    def add_current(self) -> bool:
        if self._product is None:
            show_error(self, "ابتدا محصول را از فهرست انتخاب کنید.")
            return False
        try:
            price = parse_money(self.unit_price.text()) if self.unit_price.text().strip() else 0
            discount = parse_money(self.discount.text()) if self.discount.text().strip() else 0
        except ValidationError as exc:
            show_error(self, exc.message)
            return False
        p = self._product
        self._lines.append(
            dict(product_id=p.id, code=p.code, name=p.name, unit=p.unit, quantity=to_quantity(self.quantity.value()),
                 unit_price=price, discount=discount, description=self.description.text().strip() or None,
                 is_other=p.is_other)
        )  # fmt: skip
        self._product = None
        for edit in (self.product, self.unit_price, self.discount, self.description):
            edit.clear()
        self.quantity.setValue(1)
        self.stock.clear()
        self._refill()
        self.sig_changed.emit()
        return True

    def remove_selected(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self._lines):
            del self._lines[row]
            self._refill()
            self.sig_changed.emit()

    # --- the grid -------------------------------------------------------------------------------
    def set_lines(self, rows: tuple[LineRow, ...]) -> None:
        self._lines = [
            dict(product_id=r.product_id, code=r.code, name=r.name, unit=r.unit, quantity=r.quantity,
                 unit_price=r.unit_price, discount=r.discount, description=r.description, is_other=r.is_other)
            for r in rows
        ]  # fmt: skip
        self._refill()

    def lines(self) -> tuple[LineData, ...]:
        return tuple(
            LineData(x["product_id"], x["quantity"], x["unit_price"], x["discount"], x["description"])
            for x in self._lines
        )

    def amount(self) -> int | None:
        """The sum of the lines, None without lines (the amount is then typed)."""
        if not self._lines:
            return None
        return sum(line_total(x["quantity"], x["unit_price"], x["discount"]) for x in self._lines)

    def _refill(self) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(len(self._lines))
        for r, x in enumerate(self._lines):
            name = (x["description"] or x["name"]) if x["is_other"] else x["name"]
            values = (
                x["code"], name, quantity_text(x["quantity"]), x["unit"], format_number(x["unit_price"]),
                format_number(x["discount"]), format_number(line_total(x["quantity"], x["unit_price"], x["discount"])),
            )  # fmt: skip
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if c not in EDITABLE:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(r, c, item)
        self.table.blockSignals(False)
        total = self.amount()
        self.total.setText("" if total is None else f"جمع محصولات: {format_number(total)} ریال")

    def _cell_edited(self, item: QTableWidgetItem) -> None:
        field = EDITABLE.get(item.column())
        line = self._lines[item.row()]
        try:
            if field == "quantity":
                quantity = to_quantity(parse_decimal(item.text()))
                if quantity <= 0:
                    raise ValidationError("تعداد باید بیشتر از صفر باشد.")
                line["quantity"] = quantity
            elif field is not None:
                line[field] = parse_money(item.text())
        except (ValidationError, decimal.InvalidOperation) as exc:
            show_error(self, getattr(exc, "message", "عدد معتبر وارد کنید."))
        self._refill()
        self.sig_changed.emit()

"""The catalogue's price lists: the lists (one the default) and a price per product on each, typed
in the table (an empty cell takes the product off the list)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QInputDialog, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from app.persian import ValidationError, format_number, parse_money, to_persian_digits
from app.ui.common.combo import index_of
from app.ui.common.form_dialog import buttons_row
from app.ui.common.numbers import PersianDigitsDelegate
from app.ui.errors import show_error
from app.ui.ops import op

if TYPE_CHECKING:
    from app.services.core.actor import Actor
    from app.services.core.registry import Services


class PriceListsPanel(QWidget):
    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._s, self._a = services, actor
        self.lists = QComboBox(objectName="priceLists")
        self.lists.currentIndexChanged.connect(lambda _i: self.refresh_prices())
        self.table = QTableWidget(0, 4, objectName="prices")
        self.table.setHorizontalHeaderLabels(["کد", "محصول", "قیمت پیش‌فرض", "قیمت در این لیست"])
        self.table.verticalHeader().hide()
        self.table.itemChanged.connect(self._price_edited)
        self.table.setItemDelegateForColumn(3, PersianDigitsDelegate(self.table))
        top = QHBoxLayout()
        top.addWidget(self.lists, 1)
        top.addLayout(buttons_row(("لیست تازه…", self.new_list), ("پیش‌فرض شود", self.make_default),
                                  ("حذف لیست", self.delete_list)))  # fmt: skip
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table)
        self.refresh()

    def refresh(self, select=None) -> None:
        current = select or self.lists.currentData()
        self._lists = self._s.price_lists.lists(self._a)
        self.lists.blockSignals(True)
        self.lists.clear()
        for p in self._lists:
            self.lists.addItem(p.name + (" (پیش‌فرض)" if p.is_default else ""), p.id)
        self.lists.setCurrentIndex(max(0, index_of(self.lists, current)))
        self.lists.blockSignals(False)
        self.refresh_prices()

    def refresh_prices(self) -> None:
        lists, actor, list_id = self._s.price_lists, self._a, self.lists.currentData()
        prices = op(self, lambda: lists.prices(actor, list_id)).run() if list_id else []  # every product
        if prices is None:
            return
        self._prices = prices
        self.table.blockSignals(True)
        self.table.setRowCount(len(self._prices))
        for r, p in enumerate(self._prices):
            cells = (to_persian_digits(p.code), p.name, format_number(p.default_price),
                     "" if p.price is None else format_number(p.price))  # fmt: skip
            for c, value in enumerate(cells):
                item = QTableWidgetItem(value)
                if c < 3:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(r, c, item)
        self.table.blockSignals(False)

    def _price_edited(self, item: QTableWidgetItem) -> None:
        row, lists, actor, list_id = self._prices[item.row()], self._s.price_lists, self._a, self.lists.currentData()
        try:
            price = parse_money(item.text()) if item.text().strip() else None
        except ValidationError as exc:
            show_error(self, exc.message)
        else:
            self._call(lambda: lists.set_price(actor, list_id, row.product_id, price))
        self.refresh_prices()

    def _call(self, action: Callable[[], object]) -> object | None:
        """Runs a change to the price lists (a refusal is shown); its result, None when refused."""
        return op(self, action).validation(lambda errors: show_error(self, "\n".join(errors.values()))).run()

    def new_list(self) -> None:
        name, ok = QInputDialog.getText(self, "لیست قیمت تازه", "نام لیست (مثلاً عمده‌فروشی):")
        if ok:
            lists, actor = self._s.price_lists, self._a
            list_id = self._call(lambda: lists.save_list(actor, name))
            if list_id is not None:
                self.refresh(list_id)

    def make_default(self) -> None:
        row = next((p for p in self._lists if p.id == self.lists.currentData()), None)
        if row is not None:
            lists, actor = self._s.price_lists, self._a
            if self._call(lambda: lists.save_list(actor, row.name, row.id, True, True)) is not None:
                self.refresh()

    def delete_list(self) -> None:
        list_id = self.lists.currentData()
        if list_id is not None:
            lists, actor = self._s.price_lists, self._a
            if self._call(lambda: lists.delete_list(actor, list_id) or True):
                self.refresh()

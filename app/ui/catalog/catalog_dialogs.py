"""The administrator's catalogue: product groups (a tree), products with stock, importing products
and prices from XLSX/CSV, and the price lists' tab (app/ui/catalog/price_lists_panel.py)."""

from __future__ import annotations

import decimal
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QInputDialog,
    QMessageBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.persian import ValidationError, format_number, to_persian_digits
from app.services.catalog.products import ProductData, ProductQuery
from app.services.core.errors import ValidationFailed
from app.ui.catalog.price_lists_panel import PriceListsPanel
from app.ui.common.combo import index_of
from app.ui.common.form_dialog import FormDialog, buttons_row
from app.ui.common.money_edit import MoneyEdit
from app.ui.common.numbers import QuantitySpinBox
from app.ui.common.numbers import quantity_text as qty_text
from app.ui.errors import show_error
from app.ui.events import RefreshWhenShown, change_bus
from app.ui.ops import op

if TYPE_CHECKING:
    from app.services.core.actor import Actor
    from app.services.core.registry import Services

PRODUCT_HEADERS = ("کد", "نام", "گروه", "واحد", "قیمت پیش‌فرض", "موجودی", "فریز", "وضعیت")


class ProductDialog(FormDialog):
    def __init__(self, services: Services, actor: Actor, product=None, group_id=None, parent=None) -> None:
        super().__init__("محصول", parent)
        self._s, self._a, self._p = services, actor, product
        self.code = self.form.add_line("code", "کد", ltr=True, required=True)
        self.name = self.form.add_line("name", "نام", required=True)
        self.group = self.add("group_id", "گروه", QComboBox())
        self.group.addItem("—", None)
        for g in services.products.groups(actor):
            self.group.addItem(g.name, g.id)
        self.unit = self.form.add_line("unit", "واحد")
        self.price = self.add("default_price", "قیمت پیش‌فرض (ریال)", MoneyEdit())
        self.on_hand = self.add("on_hand", "موجودی", QuantitySpinBox(maximum=10**9))
        self.track = self.add("track_stock", "", QCheckBox("انبارداری", checked=True))
        self.service = self.add("is_service", "", QCheckBox("خدمت است"))
        self.vat = self.add("vat_exempt", "", QCheckBox("معاف از مالیات بر ارزش افزوده"))
        self.active = self.add("is_active", "", QCheckBox("فعال", checked=True))
        self.sstid = self.form.add_line("sstid", "شناسه کالا/خدمت (مودیان)", ltr=True)
        self.unit_code = self.form.add_line("unit_code", "کد واحد (مودیان)", ltr=True)
        self.group.setCurrentIndex(max(0, index_of(self.group, product.group_id if product else group_id)))
        self.unit.setText(product.unit if product else "عدد")
        if product is not None:
            self.code.setText(product.code)
            self.name.setText(product.name)
            self.price.set_value(product.default_price)
            self.on_hand.setValue(float(product.on_hand))
            self.track.setChecked(product.track_stock)
            self.service.setChecked(product.is_service)
            self.vat.setChecked(product.vat_exempt)
            self.active.setChecked(product.is_active)
            self.sstid.setText(product.sstid or "")
            self.unit_code.setText(product.unit_code or "")

    def submit(self) -> Callable[[], object]:
        try:
            price = self.price.value() or 0
        except ValidationError as exc:
            raise ValidationFailed({"default_price": exc.message}) from None
        data = ProductData(
            code=self.code.text(), name=self.name.text(), group_id=self.group.currentData(), unit=self.unit.text(),
            default_price=price, is_service=self.service.isChecked(), vat_exempt=self.vat.isChecked(),
            track_stock=self.track.isChecked(), on_hand=decimal.Decimal(str(self.on_hand.value())),
            is_active=self.active.isChecked(), sstid=self.sstid.text().strip() or None,
            unit_code=self.unit_code.text().strip() or None,
        )  # fmt: skip
        products, actor, p = self._s.products, self._a, self._p
        return lambda: products.save(actor, data, p.id if p else None, p.version if p else None)


class ProductsPanel(RefreshWhenShown, QWidget):
    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._s, self._a = services, actor
        self.groups = QTreeWidget(objectName="productGroups")
        self.groups.setHeaderLabel("گروه‌ها")
        self.groups.currentItemChanged.connect(lambda *_: self.refresh_products())
        self.table = QTableWidget(0, len(PRODUCT_HEADERS), objectName="products")
        self.table.setHorizontalHeaderLabels(PRODUCT_HEADERS)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.doubleClicked.connect(lambda _i: self.edit_product())
        split = QSplitter()
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.groups)
        left_layout.addLayout(buttons_row(("گروه تازه…", self.new_group), ("حذف گروه", self.delete_group)))
        split.addWidget(left)
        split.addWidget(self.table)
        split.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(split)
        layout.addLayout(
            buttons_row(("محصول تازه…", lambda: self.edit_product(new=True)), ("ویرایش…", self.edit_product),
                        ("حذف", self.delete_product), ("ورود از اکسل…", self.ask_import))
        )  # fmt: skip
        change_bus().sig_changed.connect(self._changed)
        self.refresh()

    def _changed(self, table: str, _ids) -> None:
        if table == "product_groups":
            self.refresh_or_defer(self.refresh)
        elif table in ("products", "quotes"):  # stock moves with issued documents; accepted quotes freeze it
            self.refresh_or_defer(self.refresh_products)

    def refresh(self) -> None:
        self.groups.clear()
        everything = QTreeWidgetItem(["همه محصولات"])
        self.groups.addTopLevelItem(everything)
        items, rows = {}, self._s.products.groups(self._a)
        for g in rows:
            items[g.id] = QTreeWidgetItem([g.name])
            items[g.id].setData(0, Qt.ItemDataRole.UserRole, g.id)
        for g in rows:
            (items.get(g.parent_id) or everything).addChild(items[g.id])
        self.groups.expandAll()
        self.groups.setCurrentItem(everything)
        self.refresh_products()

    def _group_id(self):
        item = self.groups.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item else None

    def refresh_products(self) -> None:
        products, actor = self._s.products, self._a
        query = ProductQuery(group_id=self._group_id(), active_only=False)
        rows = op(self, lambda: products.search(actor, query, 0, 5000)).run()  # the whole catalogue: off the GUI thread
        if rows is None:
            return
        self._rows = rows
        self.table.setRowCount(len(self._rows))
        for r, p in enumerate(self._rows):
            values = (to_persian_digits(p.code), p.name, p.group_name or "", p.unit, format_number(p.default_price),
                      qty_text(p.on_hand) if p.track_stock else "—", qty_text(p.frozen) if p.track_stock else "—",
                      "فعال" if p.is_active else "غیرفعال")  # fmt: skip
            for c, value in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(value))

    def _selected(self):
        row = self.table.currentRow()
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def edit_product(self, new: bool = False) -> None:
        product = None if new else self._selected()
        if not new and product is None:
            return
        if ProductDialog(self._s, self._a, product, self._group_id(), self).exec():
            self.refresh_products()

    def delete_product(self) -> None:
        product = self._selected()
        if product is not None:
            products, actor = self._s.products, self._a
            self._call(lambda: products.delete(actor, product.id))

    def new_group(self) -> None:
        name, ok = QInputDialog.getText(self, "گروه تازه", "نام گروه (زیر گروه انتخاب‌شده):")
        if ok:
            products, actor, parent_id = self._s.products, self._a, self._group_id()
            self._call(lambda: products.save_group(actor, name, parent_id), groups=True)

    def delete_group(self) -> None:
        group_id = self._group_id()
        if group_id is not None:
            products, actor = self._s.products, self._a
            self._call(lambda: products.delete_group(actor, group_id), groups=True)

    def ask_import(self) -> None:
        """«ورود از اکسل…»: asks for the file, then imports it."""
        path, _ = QFileDialog.getOpenFileName(self, "ورود محصولات", "", "Excel / CSV (*.xlsx *.csv)")
        if path:
            self.import_file(path)

    def import_file(self, path: str) -> None:
        importer, actor = self._s.product_import, self._a
        result = op(self, lambda: importer.run(actor, Path(path))).run()
        if result is None:
            return
        lines = [f"{format_number(result.created)} محصول تازه، {format_number(result.updated)} به‌روزشده، "
                 f"{format_number(result.prices)} قیمت."]  # fmt: skip
        lines += [f"ردیف {format_number(n)}: {message}" for n, message in result.errors[:20]]
        lines += [f"ردیف {format_number(n)} (هشدار): {message}" for n, message in result.warnings[:20]]
        QMessageBox.information(self, "ورود محصولات", "\n".join(lines))
        self.refresh()

    def _call(self, action: Callable[[], object], groups: bool = False) -> None:
        operation = op(self, action).validation(lambda errors: show_error(self, "\n".join(errors.values())))
        operation.run()
        if operation.succeeded:
            self.refresh() if groups else self.refresh_products()


class CatalogDialog(QDialog):
    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("محصولات و لیست‌های قیمت")
        self.resize(900, 560)
        self.products = ProductsPanel(services, actor)
        self.prices = PriceListsPanel(services, actor)
        tabs = QTabWidget()
        tabs.addTab(self.products, "محصولات")
        tabs.addTab(self.prices, "لیست‌های قیمت")
        tabs.currentChanged.connect(lambda i: self.prices.refresh() if i == 1 else None)
        QVBoxLayout(self).addWidget(tabs)

"""The sales admin screens: stages, lists, extra fields, products, price lists and import."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox, QTableWidgetItem

from app.models.enums import CustomFieldKind
from app.ui import events
from app.ui.catalog.catalog_dialogs import CatalogDialog, ProductDialog
from app.ui.common.combo import index_of
from app.ui.opportunities.admin_dialogs import (
    CustomFieldsDialog,
    FieldDialog,
    PipelinesDialog,
    SalesListsDialog,
    StageDialog,
)
from tests.services.sales_helpers import build
from tests.ui.persian_typing import type_text


@pytest.fixture(autouse=True)
def fresh_change_bus(monkeypatch):
    """Widgets left over from earlier tests stay connected to the old bus and never hear these changes."""
    monkeypatch.setattr(events, "_bus", None)


@pytest.fixture
def sales(services):
    return build(services)


def test_pipeline_stages_are_added_and_ordered(qtbot, sales) -> None:
    dialog = PipelinesDialog(sales.services, sales.admin)
    qtbot.addWidget(dialog)
    assert dialog.stages.rowCount() == 4
    stage = StageDialog(sales.services, sales.admin, dialog.pipeline.currentData(), None, dialog)
    stage.accept()  # no name: refused, stays open
    assert stage.form.rows["name"].error.text() == "نام مرحله را وارد کنید."
    type_text(stage.name, "ارائه نمونه")
    stage.probability.setValue(70)
    stage.accept()
    dialog.refresh()
    assert dialog.stages.rowCount() == 5 and dialog.stages.item(4, 0).text() == "ارائه نمونه"
    dialog.stages.setCurrentCell(4, 0)
    dialog.move(-1)
    assert [st.name for st in sales.services.pipelines.pipelines(sales.admin)[0].stages][3] == "ارائه نمونه"


def test_sales_lists_and_extra_fields(qtbot, sales) -> None:
    lists = SalesListsDialog(sales.services, sales.admin)
    qtbot.addWidget(lists)
    lists.kind.setCurrentIndex(index_of(lists.kind, "campaigns"))
    lists.add_item("نوروز ۱۴۰۶")
    assert lists.items.count() == 1 and lists.items.item(0).text() == "نوروز ۱۴۰۶"
    lists.items.setCurrentRow(0)
    lists.toggle()
    assert "غیرفعال" in lists.items.item(0).text()
    fields = CustomFieldsDialog(sales.services, sales.admin)
    qtbot.addWidget(fields)
    field = FieldDialog(sales.services, sales.admin, None, fields)
    type_text(field.name, "شیوه پرداخت")
    field.kind.setCurrentIndex(index_of(field.kind, CustomFieldKind.CHOICE))
    field.accept()
    assert field.form.rows["choices"].error.text() == "دست‌کم یک گزینه وارد کنید."
    field.choices.setPlainText("نقدی\nاقساطی")
    field.accept()
    fields.refresh()
    assert fields.fields.count() == 1
    assert sales.services.custom_fields.fields(sales.admin)[0].choices == ("نقدی", "اقساطی")


def test_catalogue_products_prices_and_import(qtbot, sales, tmp_path, monkeypatch) -> None:
    dialog = CatalogDialog(sales.services, sales.admin)
    qtbot.addWidget(dialog)
    assert dialog.products.table.rowCount() == 3  # two products and «سایر»
    product = ProductDialog(sales.services, sales.admin, None, None, dialog)
    product.code.setText("M-1")
    type_text(product.name, "ماوس")
    type_text(product.price.edit, "۲۹۰۰۰۰۰")
    product.accept()
    dialog.products.refresh_products()
    assert dialog.products.table.rowCount() == 4
    list_id = sales.services.price_lists.save_list(sales.admin, "عمده‌فروشی")
    dialog.prices.refresh(list_id)
    row = next(i for i, p in enumerate(dialog.prices._prices) if p.code == "M-1")
    dialog.prices.table.setItem(row, 3, QTableWidgetItem("۲٬۷۰۰٬۰۰۰"))
    prices = {p.code: p.price for p in sales.services.price_lists.prices(sales.admin, list_id)}
    assert prices["M-1"] == 2_700_000
    path = tmp_path / "products.csv"
    path.write_text("کد,نام,قیمت\nK-1,کیبورد,1500000\n", encoding="utf-8-sig")
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda *args: shown.append(args[2]))
    dialog.products.import_file(str(path))
    assert "۱ محصول تازه" in shown[0]
    assert sales.services.products.by_code(sales.admin, "K-1").default_price == 1_500_000

"""The buttons that Qt's `clicked(bool)` / `triggered(bool)` broke by passing False into a slot's
optional first parameter (the product import failed on `Path(False)`; adding a list item asked only
because False is falsy): each is clicked here as a user would, not called from code."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QPushButton

from app.services.opportunities.queries import OpportunityQuery
from app.ui import events
from app.ui.activities.record_activities import RecordActivities
from app.ui.catalog.catalog_dialogs import ProductsPanel
from app.ui.common.combo import index_of
from app.ui.opportunities.admin_dialogs import SalesListsDialog
from app.ui.opportunities.filter_bar import OpportunityFilterBar
from app.ui.opportunities.opportunity_form import OpportunityForm
from tests.services.sales_helpers import build


@pytest.fixture(autouse=True)
def fresh_change_bus(monkeypatch):
    monkeypatch.setattr(events, "_bus", None)


@pytest.fixture
def shown(monkeypatch) -> list[str]:
    """Messages a box would have shown (none of these clicks should show one)."""
    messages: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: messages.append(box.text()) or 0)
    return messages


@pytest.fixture
def sales(services):
    return build(services)


def test_the_note_button_asks_for_the_text_and_adds_the_note(qtbot, monkeypatch, sales, shown) -> None:
    asked: list[str] = []

    def answer(_parent, title, _label, *_args, **_kwargs):
        asked.append(title)
        return "مدیرعامل فقط صبح‌ها پاسخ می‌دهد.", True

    monkeypatch.setattr(QInputDialog, "getMultiLineText", answer)
    panel = RecordActivities(sales.services, sales.rep)
    qtbot.addWidget(panel)
    panel.set_record(identity_id=sales.customer)
    panel.note_button.click()
    assert asked == ["یادداشت"] and shown == []
    rows = sales.services.activities.for_record(sales.rep, identity_id=sales.customer)
    assert [r.summary for r in rows] == ["مدیرعامل فقط صبح‌ها پاسخ می‌دهد."]


def test_the_merge_button_asks_which_opportunity_and_merges_it(qtbot, monkeypatch, sales, shown) -> None:
    keep = sales.new(title="اصلی")
    sales.new(title="تکراری")
    monkeypatch.setattr(QInputDialog, "getItem", lambda _p, _t, _l, items, *_a, **_k: (items[0], True))
    form = OpportunityForm(sales.services, sales.rep, keep)
    qtbot.addWidget(form)
    form.merge_button.click()
    assert shown == []
    titles = {r.title for r in sales.services.opportunities.search(sales.rep, OpportunityQuery())}
    assert titles == {"اصلی"} and form.unmerge_button.isVisibleTo(form)


def test_the_save_filters_action_asks_for_a_name_and_saves(qtbot, monkeypatch, sales, shown) -> None:
    monkeypatch.setattr(QInputDialog, "getText", lambda *_a, **_k: ("بانکی", True))
    bar = OpportunityFilterBar(sales.services, sales.rep)
    qtbot.addWidget(bar)
    bar.search.setText("بانک")
    menu = bar.favourites.menu()
    menu.aboutToShow.emit()
    save = next(a for a in menu.actions() if a.text() == "ذخیره فیلترهای فعلی…")
    save.trigger()
    assert shown == []
    saved = sales.services.saved_searches.list(sales.rep, "opportunities")
    assert [(f.name, f.definition["text"]) for f in saved] == [("بانکی", "بانک")]


def _button(widget, text: str) -> QPushButton:
    return next(b for b in widget.findChildren(QPushButton) if b.text() == text)


def test_the_product_import_button_asks_for_the_file_and_imports_it(qtbot, monkeypatch, sales, shown, tmp_path) -> None:
    path = tmp_path / "products.csv"
    path.write_text("کد,نام,قیمت\nK-1,کیبورد,1500000\n", encoding="utf-8-sig")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(path), ""))
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: shown.append(text))
    panel = ProductsPanel(sales.services, sales.admin)
    qtbot.addWidget(panel)
    _button(panel, "ورود از اکسل…").click()
    assert len(shown) == 1 and "۱ محصول تازه" in shown[0]
    assert sales.services.products.by_code(sales.admin, "K-1").default_price == 1_500_000


def test_the_add_list_item_button_asks_for_the_name(qtbot, monkeypatch, sales, shown) -> None:
    asked: list[str] = []
    monkeypatch.setattr(QInputDialog, "getText", lambda _p, title, *_a, **_k: (asked.append(title), ("نوروز", True))[1])
    lists = SalesListsDialog(sales.services, sales.admin)
    qtbot.addWidget(lists)
    lists.kind.setCurrentIndex(index_of(lists.kind, "campaigns"))
    _button(lists, "افزودن…").click()
    assert asked == ["افزودن"] and shown == []
    assert [lists.items.item(i).text() for i in range(lists.items.count())] == ["نوروز"]

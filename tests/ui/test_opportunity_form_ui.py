"""The opportunity form: refused save keeps typing, products drive the amount, won through the dialog."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from app.models import OpportunityStatus
from app.services.catalog.products import ProductQuery
from app.services.opportunities.queries import OpportunityQuery
from app.ui import events
from app.ui.common.money_edit import MoneyEdit
from app.ui.opportunities.close_dialogs import WonDialog
from app.ui.opportunities.opportunity_form import OpportunityForm
from tests.services.sales_helpers import build
from tests.ui.persian_typing import type_text


@pytest.fixture(autouse=True)
def fresh_change_bus(monkeypatch):
    """Widgets left over from earlier tests stay connected to the old bus and never hear these changes."""
    monkeypatch.setattr(events, "_bus", None)


@pytest.fixture
def sales(services):
    return build(services)


@pytest.fixture
def form(qtbot, sales):
    widget = OpportunityForm(sales.services, sales.rep, None)
    qtbot.addWidget(widget)
    widget.resize(900, 1200)
    yield widget


def test_money_edit_groups_digits_and_says_the_amount_in_words(qtbot) -> None:
    edit = MoneyEdit()
    qtbot.addWidget(edit)
    type_text(edit.edit, "۱۲۰۰۰۰۰")
    assert edit.edit.text() == "۱٬۲۰۰٬۰۰۰" and edit.value() == 1_200_000
    assert edit.words.text() == "یک میلیون و دویست هزار ریال"


def test_a_refused_save_shows_messages_and_keeps_what_was_typed(form) -> None:
    type_text(form.title_edit, "   ")
    assert form.save() is False
    assert form.rows["identity_id"].error.text() == "هویت مرتبط را انتخاب کنید."
    assert form.rows["title"].error.text() == "عنوان فرصت را وارد کنید."
    assert form.title_edit.text() == "   "


def test_products_make_the_amount_and_the_form_saves_and_wins(qtbot, form, sales) -> None:
    form.set_identity(sales.customer, "شرکت آلفا")
    type_text(form.title_edit, "فروش پرینتر")
    printer = sales.services.products.search(sales.rep, ProductQuery(text="P-1"))[0]
    form.lines.choose(printer)
    assert "موجودی: ۴۰" in form.lines.stock.text()
    form.lines.quantity.setValue(2)
    assert form.lines.add_current()
    assert form.amount.value() == 370_000_000 and form.amount.edit.isReadOnly()
    assert form.is_dirty()
    assert form.save() is True, {k: r.error.text() for k, r in form.rows.items() if r.error.text()}
    assert form.detail is not None and form.detail.amount == 370_000_000 and not form.is_dirty()
    assert form.detail.probability == 10 and form.detail.stage_name == "جدید"

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, WonDialog)
        dialog.final_amount.set_value(360_000_000)
        dialog.accept()

    QTimer.singleShot(0, answer)
    form.won_button.click()
    assert form.detail.status is OpportunityStatus.WON and form.detail.won_amount == 360_000_000
    assert form.restore_button.isHidden()
    assert "برنده" in form.result.text()
    if form.history is not None:  # read off the GUI thread, once its tab is shown
        form.show()
        form.tabs.setCurrentWidget(form.history)
        qtbot.waitUntil(lambda: form.history.rows() > 0)
        assert form.history.rows() > 0


def test_merging_from_the_form_and_undoing_it(qtbot, sales) -> None:
    keep = sales.new(title="اصلی", amount=5_000_000)
    other = sales.new(title="تکراری", amount=7_000_000)
    form = OpportunityForm(sales.services, sales.rep, keep)
    qtbot.addWidget(form)
    assert form.merge_button.isVisibleTo(form) and not form.unmerge_button.isVisibleTo(form)
    assert form.merge_other(other)
    assert form.unmerge_button.isVisibleTo(form)
    titles = {r.title for r in sales.services.opportunities.search(sales.rep, OpportunityQuery())}
    assert titles == {"اصلی"}
    form.undo_merge()
    titles = {r.title for r in sales.services.opportunities.search(sales.rep, OpportunityQuery())}
    assert titles == {"اصلی", "تکراری"} and not form.unmerge_button.isVisibleTo(form)

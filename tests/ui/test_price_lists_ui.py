"""Price lists in the line editors, as an own-documents rep: a list chosen before any product prices
every product added afterwards; changing it with lines asks whether to reprice them (discounts kept)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from app.ui.documents.invoice_form import InvoiceForm
from app.ui.documents.quote_form import QuoteForm
from app.ui.opportunities.opportunity_form import OpportunityForm
from tests.ui.line_editing import pick_product
from tests.ui.persian_typing import type_text


@pytest.fixture
def lists(sales):
    """Wholesale prices P-1 at 170,000,000 (its own price is 185,000,000); C-2 is on no list."""
    wholesale = sales.services.price_lists.save_list(sales.admin, "عمده‌فروشی")
    sales.services.price_lists.set_price(sales.admin, wholesale, sales.products["P-1"], 170_000_000)
    return wholesale


@pytest.fixture
def answers(monkeypatch):
    """Answers every question with the next of `answers.replies`; keeps what was asked."""

    class Answers:
        replies: list = []
        asked: list = []

    def question(_parent, title, text, *_a, **_k):
        Answers.asked.append((title, text))
        return Answers.replies.pop(0)

    monkeypatch.setattr(QMessageBox, "question", question)
    return Answers


def choose_list(combo, name: str) -> None:
    combo.setCurrentIndex(combo.findText(name))


def prices(form: OpportunityForm) -> list[tuple[int, int]]:
    return [(line.unit_price, line.discount) for line in form.lines.lines()]


def test_opportunity_list_chosen_first_prices_the_products_added_then(qtbot, tabs, sales, lists) -> None:
    form = tabs.open_record("opportunity", None)
    form.set_identity(sales.customer, "شرکت آلفا")
    choose_list(form.price_list, "عمده‌فروشی")
    pick_product(qtbot, form.lines.product, "P-1")
    assert form.lines.unit_price.text() == "۱۷۰٬۰۰۰٬۰۰۰"
    form.lines.add_button.click()
    assert prices(form) == [(170_000_000, 0)]
    assert form.amount.value() == 170_000_000


def test_changing_the_opportunity_list_asks_to_reprice_the_lines(qtbot, tabs, sales, lists, answers) -> None:
    form = tabs.open_record("opportunity", None)
    form.set_identity(sales.customer, "شرکت آلفا")
    type_text(form.title_edit, "پرینتر")
    pick_product(qtbot, form.lines.product, "P-1")
    type_text(form.lines.discount, "5000000")
    form.lines.add_button.click()
    pick_product(qtbot, form.lines.product, "C-2")
    form.lines.add_button.click()
    assert prices(form) == [(185_000_000, 5_000_000), (180_000, 0)]

    answers.replies = [QMessageBox.StandardButton.No]
    choose_list(form.price_list, "عمده‌فروشی")
    assert answers.asked[-1][0] == "تغییر لیست قیمت" and "دوباره محاسبه شود؟" in answers.asked[-1][1]
    assert prices(form) == [(185_000_000, 5_000_000), (180_000, 0)]  # kept, as the rep said
    assert form.price_list.currentText() == "عمده‌فروشی"

    answers.replies = [QMessageBox.StandardButton.Yes] * 2
    choose_list(form.price_list, "لیست قیمت هویت / پیش‌فرض")
    assert prices(form) == [(185_000_000, 5_000_000), (180_000, 0)]
    choose_list(form.price_list, "عمده‌فروشی")
    assert prices(form) == [(170_000_000, 5_000_000), (180_000, 0)]  # repriced, the discount kept
    assert form.amount.value() == 170_000_000 - 5_000_000 + 180_000
    assert form.save()
    stored = sales.services.opportunity_records.get(sales.rep, form.detail.id)
    assert stored.price_list_id == lists and [line.unit_price for line in stored.lines] == [170_000_000, 180_000]


def line_prices(form) -> list[tuple[int, int]]:
    return [(line.unit_price, line.discount) for line in form.lines.drafts()]


def test_a_quote_prices_at_its_list_and_asks_before_repricing(qtbot, tabs, sales, lists, answers) -> None:
    quote = tabs.open_record("quote", None)
    assert isinstance(quote, QuoteForm)
    quote.prefill(sales.customer, "شرکت آلفا")
    choose_list(quote.price_list, "عمده‌فروشی")  # no lines yet: nothing to ask
    assert answers.asked == []
    pick_product(qtbot, quote.lines.product, "P-1")
    pick_product(qtbot, quote.lines.product, "C-2")
    assert line_prices(quote) == [(170_000_000, 0), (180_000, 0)]
    discount = quote.lines.table.item(0, 5)
    discount.setText("۱۰٬۰۰۰٬۰۰۰")

    answers.replies = [QMessageBox.StandardButton.Yes]
    choose_list(quote.price_list, "لیست قیمت مشتری / پیش‌فرض")
    assert answers.asked[-1][0] == "تغییر لیست قیمت"
    assert line_prices(quote) == [(185_000_000, 10_000_000), (180_000, 0)]
    answers.replies = [QMessageBox.StandardButton.No]
    choose_list(quote.price_list, "عمده‌فروشی")
    assert line_prices(quote) == [(185_000_000, 10_000_000), (180_000, 0)]  # kept: the rep said no
    quote.buttons["save"].click()
    assert quote._view is not None and quote._view.price_list_id == lists
    tabs.close_tab(tabs.indexOf(quote))
    reopened = tabs.open_record("quote", quote._view.id)
    assert reopened is not quote and reopened.price_list.currentText() == "عمده‌فروشی"


def test_an_invoice_from_an_opportunity_prices_new_lines_at_its_list(qtbot, tabs, sales, lists) -> None:
    deal = tabs.open_record("opportunity", None)
    deal.set_identity(sales.customer, "شرکت آلفا")
    type_text(deal.title_edit, "پرینتر عمده")
    choose_list(deal.price_list, "عمده‌فروشی")
    pick_product(qtbot, deal.lines.product, "C-2")
    deal.lines.add_button.click()
    assert deal.save()
    deal.documents.invoice_button.click()
    invoice = tabs.currentWidget()
    assert isinstance(invoice, InvoiceForm) and invoice.price_list.currentText() == "عمده‌فروشی"
    pick_product(qtbot, invoice.lines.product, "P-1")
    assert line_prices(invoice) == [(180_000, 0), (170_000_000, 0)]

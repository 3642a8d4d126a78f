"""Quotes and invoices issued from the opportunity form, its «اسناد» tab, and the opportunity chosen on
a draft document; driven through the widgets as an own-documents rep."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from app.models import OpportunityStatus
from app.models.enums import QuoteState
from app.services.catalog.products import ProductQuery
from app.services.documents.quotes import QuoteQuery
from app.ui.documents.invoice_form import InvoiceForm
from app.ui.documents.quote_form import QuoteForm
from app.ui.opportunities.opportunity_form import OpportunityForm
from tests.ui.persian_typing import type_text


@pytest.fixture
def yes(monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)


def add_product(form: OpportunityForm, sales, code: str, quantity: int, discount: str = "") -> None:
    product = sales.services.products.search(sales.rep, ProductQuery(text=code))[0]
    form.lines.choose(product)
    form.lines.quantity.setValue(quantity)
    type_text(form.lines.discount, discount)
    assert form.lines.add_current()


def test_quotes_and_an_invoice_from_the_opportunity_and_its_documents_tab(qtbot, tabs, sales, yes) -> None:
    services, rep = sales.services, sales.rep
    wholesale = services.price_lists.save_list(sales.admin, "عمده")
    services.price_lists.set_price(sales.admin, wholesale, sales.products["P-1"], 170_000_000)
    form = tabs.open_record("opportunity", None)
    assert form.documents.quote_button.isHidden()  # nothing to copy from before it is saved
    form.set_identity(sales.customer, "شرکت آلفا")
    type_text(form.title_edit, "پرینتر برای شعبه")
    form.price_list.setCurrentIndex(form.price_list.findText("عمده"))
    assert form.save()
    add_product(form, sales, "P-1", 2, "5000000")
    assert form.save()

    form.documents.quote_button.click()
    first = tabs.currentWidget()
    assert isinstance(first, QuoteForm) and first is not form
    line = first._view.lines[0]
    assert (line.unit_price, line.quantity, line.discount) == (170_000_000, 2, 5_000_000)
    assert first._view.price_list_id == wholesale and first._view.opportunity_id == form.detail.id
    assert first.opportunity.currentText().startswith("پرینتر برای شعبه")

    tabs.setCurrentIndex(tabs.indexOf(form))  # the negotiation goes on: a cable and a second quote
    add_product(form, sales, "C-2", 10)
    form.documents.quote_button.click()
    second = tabs.currentWidget()
    assert isinstance(second, QuoteForm) and second is not first and len(second._view.lines) == 2
    quotes = services.quotes.search(rep, QuoteQuery(opportunity_id=form.detail.id))
    assert len(quotes) == 2

    first.accept()  # «فرصت … برنده بسته شود؟» answered yes
    second.accept()  # the last one accepted wins
    won = services.opportunity_records.get(rep, form.detail.id)
    assert won.status is OpportunityStatus.WON and won.won_amount == second._view.totals.total

    tabs.setCurrentIndex(tabs.indexOf(form))
    form.tabs.setCurrentWidget(form.documents.tab)
    qtbot.waitUntil(lambda: len(form.documents.tab.entries) == 2)  # read in the background once shown
    shown = [(e.label, e.state) for e in form.documents.tab.entries]
    assert shown == [("پیش‌فاکتور", "پذیرفته‌شده")] * 2
    assert form.documents.tab.balance.text() == "مانده: بی‌حساب"

    form.documents.invoice_button.click()
    invoice = tabs.currentWidget()
    assert isinstance(invoice, InvoiceForm) and len(invoice._view.lines) == 2
    invoice.issue()
    total = invoice._view.totals.total
    tabs.setCurrentIndex(tabs.indexOf(form))

    def issued_shown() -> None:  # read in the background once the form is shown again
        assert ("صورتحساب", "پرداخت‌نشده") in [(e.label, e.state) for e in form.documents.tab.entries]

    qtbot.waitUntil(issued_shown)
    balance = services.balances.opportunity_balance(rep, form.detail.id)
    assert balance.balance == total and form.documents.tab.balance.text() == f"مانده: {balance.describe()}"

    row = next(i for i, e in enumerate(form.documents.tab.entries) if e.kind == "invoice")
    form.documents.tab.open_row(row)
    assert tabs.currentWidget() is invoice


def test_an_opportunity_without_products_says_so_beside_the_products(qtbot, tabs, sales) -> None:
    form = tabs.open_record("opportunity", sales.new(title="بی‌محصول"))
    form.documents.quote_button.click()
    assert tabs.currentWidget() is form
    assert form.rows["lines"].error.text() == "این فرصت هنوز محصولی ندارد؛ محصولات را در فرصت وارد کنید."


def test_the_opportunity_is_chosen_and_changed_on_a_draft_quote(qtbot, tabs, sales) -> None:
    services, rep = sales.services, sales.rep
    deal = sales.new(title="شبکه")
    sales.new(title="پرینتر")
    third = sales.new(title="دوربین")
    form = tabs.open_record("quote", None)
    assert [form.opportunity.itemText(i) for i in range(form.opportunity.count())] == ["— بدون فرصت —"]
    form.prefill(sales.customer, "شرکت آلفا")
    titles = [form.opportunity.itemText(i) for i in range(form.opportunity.count())]
    assert titles[0] == "— بدون فرصت —" and len(titles) == 4 and "شبکه (باز)" in titles
    form.opportunity.setCurrentIndex(titles.index("شبکه (باز)"))
    product = services.products.search(rep, ProductQuery(text="C-2"))[0]
    form.lines.add_line(product)
    assert form.save()
    assert services.quotes.get(rep, form._view.id).opportunity_id == deal

    form.opportunity.setCurrentIndex(form.opportunity.findText("دوربین (باز)"))
    assert form.save()
    assert services.quotes.get(rep, form._view.id).opportunity_id == third
    form.opportunity.setCurrentIndex(0)
    assert form.save()
    assert services.quotes.get(rep, form._view.id).opportunity_id is None
    assert services.quotes.get(rep, form._view.id).state is QuoteState.DRAFT

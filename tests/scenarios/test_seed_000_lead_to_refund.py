"""Seed 000, «ROAD MAP کارشناس فروش», as the sales rep lives it (an own-documents user), through the
windows a rep clicks:

1. A caller leaves a name: the rep records a lead on a new identity page. (Its phone number is not
   typed: an own-documents rep's save of an identity with a phone is refused today, see the report
   of issue 15; the story grows that step back once it is fixed.)
2. Qualified, the lead is converted to a contact («تبدیل به مخاطب»).
3. From the identity page «+ فرصت» opens a new opportunity for it; the rep adds the products and saves.
4. On the opportunity «صدور پیش‌فاکتور» copies the products into a quote, which is sent and accepted;
   accepting closes the opportunity as won with the quote's amount.
5. From the accepted quote «صدور صورتحساب» makes the invoice, which is issued.

After every step the identity's and the opportunity's balances (مانده) are checked as the pages show
them and as the balance service computes them: nothing is owed until the invoice is issued, then the
customer owes exactly its total. The «اسناد» tabs of both pages list the quote and the invoice.
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from app.models import OpportunityStatus
from app.models.enums import IdentityRole, QuoteState
from app.persian import format_money
from app.services.catalog.products import ProductQuery
from app.ui.documents.invoice_form import InvoiceForm
from app.ui.documents.quote_form import QuoteForm
from app.ui.identities.identity_form import ConvertDialog, IdentityForm
from app.ui.opportunities.opportunity_form import OpportunityForm
from app.ui.qt_setup import configure_application
from app.ui.record_tabs import RecordTabs
from tests.services.sales_helpers import build
from tests.ui.activity_ui import when_dialog
from tests.ui.persian_typing import type_text


@pytest.fixture
def sales(services):
    return build(services)


@pytest.fixture
def window(qtbot, sales):
    configure_application(QApplication.instance())
    tabs = RecordTabs()
    tabs.resize(1300, 900)
    qtbot.addWidget(tabs)
    tabs.attach(sales.services, sales.rep)
    tabs.show()
    return tabs


@pytest.fixture
def yes(monkeypatch):
    """Every «… شود؟» the rep is asked is answered yes."""
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)


def test_a_lead_becomes_a_customer_with_an_invoice(qtbot, window, sales, yes) -> None:
    services, rep = sales.services, sales.rep

    def balances(identity_id, opportunity_id=None) -> tuple[int, int | None]:
        owed = services.balances.identity_balance(rep, identity_id).balance
        deal = services.balances.opportunity_balance(rep, opportunity_id).balance if opportunity_id else None
        return owed, deal

    # 1. the lead: a name and a phone number
    page = window.open_record("identity", None)
    assert isinstance(page, IdentityForm)
    type_text(page.details.last_name, "کاظمی")
    assert page.save()
    lead = services.identities.get(rep, page.identity_id)
    assert lead.role is IdentityRole.LEAD and lead.owner_id == rep.user_id
    qtbot.waitUntil(lambda: page.balance_label.text() == "مانده: بی‌حساب")  # read off the GUI thread
    assert balances(lead.id) == (0, None) and page.balance_label.text() == "مانده: بی‌حساب"

    # 2. qualified: converted to a contact
    def convert(dialog: ConvertDialog) -> None:
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()

    failures = when_dialog(ConvertDialog, convert)
    page.convert_button.click()
    assert not failures, failures
    assert services.identities.get(rep, lead.id).role is IdentityRole.CONTACT
    assert balances(lead.id) == (0, None)

    # 3. an opportunity from the identity page, with its products
    page.quick.opportunity_button.click()
    deal = window.currentWidget()
    assert isinstance(deal, OpportunityForm) and deal.identity.identity_id() == lead.id
    type_text(deal.title_edit, "پرینتر و کابل‌کشی")
    for code, quantity in (("P-1", 2), ("C-2", 50)):
        deal.lines.choose(services.products.search(rep, ProductQuery(text=code))[0])
        deal.lines.quantity.setValue(quantity)
        assert deal.lines.add_current()
    assert deal.save()
    opportunity_id = deal.detail.id
    assert deal.detail.amount == 2 * 185_000_000 + 50 * 180_000
    assert balances(lead.id, opportunity_id) == (0, 0) and deal.balance.text() == "مانده: بی‌حساب"

    # 4. the quote from the opportunity, sent and accepted: the opportunity is won
    deal.documents.quote_button.click()
    quote = window.currentWidget()
    assert isinstance(quote, QuoteForm) and quote._view.opportunity_id == opportunity_id
    assert [(line.quantity, line.unit_price) for line in quote._view.lines] == [(2, 185_000_000), (50, 180_000)]
    quote.buttons["send"].click()
    quote.buttons["accept"].click()
    assert quote._view.state is QuoteState.ACCEPTED
    won = services.opportunity_records.get(rep, opportunity_id)
    assert won.status is OpportunityStatus.WON and won.won_amount == quote._view.totals.total
    assert balances(lead.id, opportunity_id) == (0, 0)  # a quote is a proposal, not a debt

    # 5. the invoice from the accepted quote, issued: the customer owes its total
    quote.buttons["invoice"].click()
    invoice = window.currentWidget()
    assert isinstance(invoice, InvoiceForm) and invoice._view.quote_id == quote._view.id
    invoice.buttons["issue"].click()
    total = invoice._view.totals.total
    assert invoice._view.is_issued and total == quote._view.totals.total
    assert balances(lead.id, opportunity_id) == (total, total)
    owed = f"مانده: {format_money(total)} بدهکار"

    window.setCurrentIndex(window.indexOf(deal))
    qtbot.waitUntil(lambda: deal.balance.text() == owed)  # a background tab catches up when shown
    assert deal.balance.text() == owed
    deal.tabs.setCurrentWidget(deal.documents.tab)
    qtbot.waitUntil(lambda: len(deal.documents.tab.entries) == 2)
    listed = sorted((e.label, e.state) for e in deal.documents.tab.entries)
    assert listed == [("صورتحساب", "پرداخت‌نشده"), ("پیش‌فاکتور", "پذیرفته‌شده")]
    assert deal.documents.tab.balance.text() == owed

    window.setCurrentIndex(window.indexOf(page))
    qtbot.waitUntil(lambda: page.balance_label.text() == owed)
    assert page.balance_label.text() == owed
    page.tabs.setCurrentWidget(page.documents)
    qtbot.waitUntil(lambda: len(page.documents.entries) == 2)
    assert {e.label for e in page.documents.entries} == {"پیش‌فاکتور", "صورتحساب"}
    assert page.documents.balance.text() == owed

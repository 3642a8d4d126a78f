"""Seed 000 with a contract instead of an invoice («در برخی از شرکتها بجای صدور فاکتور فروش، قرارداد مالی
تنظیم میشود»), as the own-documents rep lives it, through the windows a rep clicks:

1. From the customer's page «+ فرصت» opens an opportunity; the rep adds a printer and saves.
2. On the opportunity «صدور پیش‌فاکتور» copies it into a quote, which is sent and accepted.
3. On the opportunity «قرارداد» makes a draft contract with the accepted quote's lines; «تقسیم ماهانه»
   splits its amount into three monthly instalments from its start, and «ثبت نهایی قرارداد» signs it:
   it takes number ۱ of the contract series and the customer owes the three instalments.
4. «ثبت دریافت قسط» on the contract opens a receipt for the first instalment, allocated to it.
5. The contract is cancelled the seed's way («برای لغو قرارداد تاریخ پایان قرارداد را تغییر دهید»):
   «تغییر تاریخ پایان (لغو)» moves its end to the second instalment's due date; the third is no
   longer owed.

After every step the identity's and the opportunity's balances are checked as the pages show them
and as the balance service computes them; the identity's «سوابق» and the opportunity's «اسناد» list
the contract.
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from app.models.enums import IdentityRole, QuoteState
from app.services.catalog.products import ProductQuery
from app.ui.documents.contract_form import ContractForm, EndDateDialog
from app.ui.documents.quote_form import QuoteForm
from app.ui.documents.receipt_form import ReceiptForm
from app.ui.opportunities.opportunity_form import OpportunityForm
from app.ui.qt_setup import configure_application
from app.ui.record_tabs import RecordTabs
from tests.scenarios.test_seed_000_lead_to_refund import numbered, shown, timeline_rows
from tests.ui.activity_ui import when_dialog
from tests.ui.persian_typing import type_text


@pytest.fixture
def window(qtbot, sales):
    configure_application(QApplication.instance())
    tabs = RecordTabs()
    tabs.resize(1300, 900)
    qtbot.addWidget(tabs)
    tabs.attach(sales.services, sales.rep)
    tabs.show()
    return tabs


def test_an_accepted_quote_becomes_a_contract_paid_by_instalments_and_cancelled_by_its_end_date(
    qtbot, window, sales, yes
) -> None:
    services, rep = sales.services, sales.rep
    page = window.open_record("identity", sales.customer)

    def check(balance: int, deal: OpportunityForm) -> None:
        assert services.balances.identity_balance(rep, sales.customer).balance == balance
        assert services.balances.opportunity_balance(rep, deal.detail.id).balance == balance
        window.setCurrentIndex(window.indexOf(page))
        qtbot.waitUntil(lambda: page.balance_label.text() == shown(balance))
        window.setCurrentIndex(window.indexOf(deal))
        qtbot.waitUntil(lambda: deal.balance.text() == shown(balance))

    # 1. an opportunity from the customer's page, with a printer
    page.quick.opportunity_button.click()
    deal = window.currentWidget()
    assert isinstance(deal, OpportunityForm)
    type_text(deal.title_edit, "پرینتر با قرارداد پشتیبانی")
    deal.lines.choose(services.products.search(rep, ProductQuery(text="P-1"))[0])
    assert deal.lines.add_current()
    assert deal.save()

    # 2. the quote, sent and accepted
    deal.documents.quote_button.click()
    quote = window.currentWidget()
    assert isinstance(quote, QuoteForm)
    quote.buttons["send"].click()
    quote.buttons["accept"].click()
    assert quote._view.state is QuoteState.ACCEPTED
    check(0, deal)

    # 3. the contract from the opportunity: the quote's lines, three monthly instalments, signed
    window.setCurrentIndex(window.indexOf(deal))
    deal.documents.contract_button.click()
    contract = window.currentWidget()
    assert isinstance(contract, ContractForm) and contract._view.quote_id == quote._view.id
    total = quote._view.totals.total
    assert contract._view.totals.total == total and contract.schedule.table.rowCount() == 0
    assert not contract.buttons["end"].isVisible()  # a draft's end date is edited in the form
    contract.schedule.count.setValue(3)
    contract.schedule.split.click()
    assert contract.schedule.table.rowCount() == 3 and contract.is_dirty()
    contract.buttons["sign"].click()
    signed = contract._view
    assert signed.is_signed and signed.number == 1 and contract.badge.text() == "ثبت نهایی"
    assert sum(i.amount for i in signed.instalments) == total and signed.owed == total
    assert services.identities.get(rep, sales.customer).role is IdentityRole.CUSTOMER
    check(total, deal)
    page.tabs.setCurrentWidget(page.timeline)
    qtbot.waitUntil(lambda: ("قرارداد", numbered("قرارداد", 1)) in timeline_rows(page))
    deal.tabs.setCurrentWidget(deal.documents.tab)
    qtbot.waitUntil(lambda: any(e.kind == "contract" for e in deal.documents.tab.entries))

    # 4. a receipt for the first instalment
    first, second, third = signed.instalments
    window.setCurrentIndex(window.indexOf(contract))
    contract.buttons["receipt"].click()
    receipt = window.currentWidget()
    assert isinstance(receipt, ReceiptForm) and receipt.amount.value() == first.amount
    assert receipt.allocations.rowCount() == 3  # the three instalments owed, this receipt on the first
    receipt.buttons["save"].click()
    assert [(i.instalment_id, i.amount) for i in receipt._view.instalments] == [(first.id, first.amount)]
    check(total - first.amount, deal)
    window.setCurrentIndex(window.indexOf(contract))
    qtbot.waitUntil(lambda: contract._view.paid == first.amount)  # the open form follows the receipt

    # 5. cancelled by moving the end date to the second instalment's due date
    def move(dialog: EndDateDialog) -> None:
        dialog.date.set_date_value(second.due_date)
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()

    failures = when_dialog(EndDateDialog, move)
    contract.buttons["end"].click()
    assert not failures, failures
    moved = contract._view
    assert moved.end_date == second.due_date and [i.owed for i in moved.instalments] == [True, True, False]
    assert contract.schedule.table.item(2, 4).text() == "لغوشده"
    assert moved.due == second.amount
    check(second.amount, deal)  # owed now: the first two instalments, of which the first is paid

"""Balances as domain.md says: invoices and refunds debit, receipts and returns credit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from app.models.enums import MoneyDirection, PaymentMethod, PaymentStatus
from app.services.core.errors import AccessDenied
from app.services.documents.lines import LineDraft
from app.services.documents.receipts import Allocation, ReceiptDraft
from app.services.documents.returns import ReturnDraft, ReturnLineDraft
from tests.services.doc_helpers import DAY, invoice_draft, issued_invoice, office, opportunity


@pytest.fixture
def o(services):
    return office(services)


def _receipt(o, amount, invoice=None, opp=None, direction=MoneyDirection.IN, identity=None, **values):
    allocations = [Allocation(invoice.id, amount)] if invoice is not None else []
    draft = ReceiptDraft(
        identity or o.customer, amount, DAY, PaymentMethod.CASH, direction, opportunity_id=opp,
        allocations=allocations, **values,
    )  # fmt: skip
    return o.services.receipts.create(o.rep, draft)


def test_the_sources_example_invoice_then_receipt_leaves_15_million_debit(o) -> None:
    opp = opportunity(o)
    invoice = issued_invoice(o, [LineDraft("پروژه", Decimal(1), 20_000_000, 0, 0)], opportunity_id=opp)
    assert o.services.balances.opportunity_balance(o.rep, opp).balance == 20_000_000
    _receipt(o, 5_000_000, invoice, opp)
    balance = o.services.balances.opportunity_balance(o.rep, opp)
    assert (balance.debit, balance.credit, balance.balance) == (20_000_000, 5_000_000, 15_000_000)
    assert balance.side == "بدهکار" and balance.describe() == "۱۵٬۰۰۰٬۰۰۰ ریال بدهکار"
    assert o.services.balances.identity_balance(o.rep, o.customer).balance == 15_000_000
    view = o.services.invoices.get(o.rep, invoice.id)
    assert (view.paid, view.due, view.payment_status) == (5_000_000, 15_000_000, PaymentStatus.PARTLY_PAID)


def test_mixed_items_drafts_and_other_opportunities(o) -> None:
    opp = opportunity(o)
    other_opp = opportunity(o)
    inv1 = issued_invoice(o, [LineDraft("کالا", Decimal(2), 1_000_000, 0, 10, o.products["A"])], opportunity_id=opp)
    issued_invoice(o, [LineDraft("خدمت", Decimal(1), 3_000_000, 0, 0)], opportunity_id=other_opp)
    o.services.invoices.create(o.rep, invoice_draft(o))
    ret = o.services.returns.create(
        o.rep, ReturnDraft(inv1.id, DAY + dt.timedelta(days=1), [ReturnLineDraft(inv1.lines[0].id, Decimal(1))])
    )
    assert o.services.balances.identity_balance(o.rep, o.customer).balance == 2_200_000 + 3_000_000  # draft: nothing
    ret = o.services.returns.issue(o.rep, ret.id)
    assert ret.totals.total == 1_100_000
    _receipt(o, 500_000, inv1, opp)
    _receipt(o, 1_100_000, None, opp)  # unallocated, still a credit of the opportunity
    _receipt(o, 200_000, None, opp, MoneyDirection.OUT, sales_return_id=ret.id)  # a refund: debit again
    _receipt(o, 7_000, identity=o.person)  # someone else's
    b = o.services.balances.opportunity_balance(o.rep, opp)
    assert (b.debit, b.credit) == (2_200_000 + 200_000, 1_100_000 + 500_000 + 1_100_000)
    assert b.balance == -300_000 and b.side == "بستانکار"
    assert o.services.balances.identity_balance(o.rep, o.customer).balance == -300_000 + 3_000_000
    many = o.services.balances.identity_balances(o.rep, [o.customer, o.person])
    assert many[o.person].balance == -7_000
    assert o.services.invoices.get(o.rep, inv1.id).payment_status is PaymentStatus.PARTLY_PAID


def test_paid_in_full_after_a_return_and_deleted_receipts_count_no_more(o) -> None:
    invoice = issued_invoice(o, [LineDraft("کالا", Decimal(4), 100_000, 0, 0, o.products["A"])])
    ret = o.services.returns.create(
        o.rep, ReturnDraft(invoice.id, DAY, [ReturnLineDraft(invoice.lines[0].id, Decimal(1))])
    )
    o.services.returns.issue(o.rep, ret.id)
    receipt = _receipt(o, 300_000, invoice)
    assert o.services.invoices.get(o.rep, invoice.id).payment_status is PaymentStatus.PAID
    o.services.receipts.delete(o.rep, receipt.id)
    assert o.services.invoices.get(o.rep, invoice.id).payment_status is PaymentStatus.UNPAID
    assert o.services.balances.identity_balance(o.rep, o.customer).balance == 300_000


def test_a_balance_needs_the_record_to_be_visible(o) -> None:
    with pytest.raises(AccessDenied):
        o.services.balances.identity_balance(o.other, o.customer)
    assert o.services.balances.identity_balances(o.other, [o.customer]) == {}
    assert o.services.balances.identity_balance(o.rep, o.person).describe() == "بی‌حساب"

"""Receipts and payments: methods, cheques, split and partial allocation, refunds, numbering."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from app.models.enums import MoneyDirection, PaymentMethod, PaymentStatus
from app.services.core.errors import AccessDenied, ValidationFailed
from app.services.documents.lines import LineDraft
from app.services.documents.receipts import Allocation, ReceiptDraft, ReceiptQuery
from tests.services.doc_helpers import DAY, issued_invoice, office


@pytest.fixture
def o(services):
    return office(services)


def _lines(amount):
    return [LineDraft("کالا", Decimal(1), amount, 0, 0)]


def _draft(o, amount, *allocations, method=PaymentMethod.CASH, **values):
    return ReceiptDraft(o.customer, amount, DAY, method, allocations=list(allocations), **values)


def test_one_receipt_split_over_two_invoices_and_partial_payments(o) -> None:
    a, b = issued_invoice(o, _lines(1_000_000)), issued_invoice(o, _lines(2_000_000))
    receipt = o.services.receipts.create(
        o.rep, _draft(o, 2_000_000, Allocation(a.id, 1_000_000), Allocation(b.id, 500_000),
                      method=PaymentMethod.CARD_TO_CARD, reference="۱۲۳۴۵۶"),
    )  # fmt: skip
    assert receipt.number == 1 and receipt.unallocated == 500_000 and receipt.reference == "123456"
    assert o.services.invoices.get(o.rep, a.id).payment_status is PaymentStatus.PAID
    assert o.services.invoices.get(o.rep, b.id).payment_status is PaymentStatus.PARTLY_PAID
    due = {i.id: i.due for i in o.services.receipts.open_invoices(o.rep, o.customer)}
    assert due == {a.id: 0, b.id: 1_500_000}
    with pytest.raises(ValidationFailed) as caught:
        o.services.receipts.create(o.rep, _draft(o, 2_000_000, Allocation(b.id, 1_600_000)))
    assert "allocations.0" in caught.value.errors
    second = o.services.receipts.create(o.rep, _draft(o, 1_500_000, Allocation(b.id, 1_500_000)))
    assert second.number == 2
    assert o.services.invoices.get(o.rep, b.id).payment_status is PaymentStatus.PAID


def test_editing_a_receipt_frees_its_own_allocations(o) -> None:
    invoice = issued_invoice(o, _lines(1_000_000))
    receipt = o.services.receipts.create(o.rep, _draft(o, 1_000_000, Allocation(invoice.id, 1_000_000)))
    draft = receipt.as_draft()
    edited = o.services.receipts.update(o.rep, receipt.id, draft)
    assert edited.allocations[0].amount == 1_000_000 and edited.number == receipt.number
    due = o.services.receipts.open_invoices(o.rep, o.customer, receipt_id=receipt.id)
    assert due[0].due == 1_000_000  # as the edit form sees it


def test_cheques_need_number_sayad_id_bank_and_due_date(o) -> None:
    with pytest.raises(ValidationFailed) as caught:
        o.services.receipts.create(o.rep, _draft(o, 100, method=PaymentMethod.CHEQUE))
    assert set(caught.value.errors) == {"cheque_number", "cheque_sayad", "cheque_bank", "cheque_due"}
    cheque = o.services.receipts.create(
        o.rep,
        _draft(o, 5_000_000, method=PaymentMethod.CHEQUE, cheque_number="۷۸۹۰۱۲", cheque_bank="ملت",
               cheque_due=DAY + dt.timedelta(days=30), cheque_sayad="1234567890123456"),
    )  # fmt: skip
    assert (cheque.cheque_number, cheque.cheque_bank) == ("789012", "ملت")
    cash = o.services.receipts.create(o.rep, _draft(o, 100, cheque_number="123"))
    assert cash.cheque_number == ""  # only cheques keep cheque details


def test_every_method_and_the_payments_series(o) -> None:
    for method in PaymentMethod:
        extra = (
            {"cheque_number": "1", "cheque_bank": "ملی", "cheque_due": DAY, "cheque_sayad": "1234567890123456"}
            if method is PaymentMethod.CHEQUE
            else {}
        )
        o.services.receipts.create(o.rep, _draft(o, 1000, method=method, **extra))
    payment = o.services.receipts.create(o.rep, _draft(o, 500, direction=MoneyDirection.OUT))
    assert payment.number == 1 and payment.direction is MoneyDirection.OUT
    assert o.services.receipts.count(o.rep, ReceiptQuery(direction=MoneyDirection.IN)) == len(PaymentMethod)
    assert o.services.receipts.count(o.rep, ReceiptQuery(method=PaymentMethod.POS)) == 1
    with pytest.raises(ValidationFailed):
        invoice = issued_invoice(o, _lines(1000))
        o.services.receipts.create(o.rep, _draft(o, 500, Allocation(invoice.id, 500), direction=MoneyDirection.OUT))


def test_refusals_and_access(o) -> None:
    for amount in (0, -5, 1.5):
        with pytest.raises(ValidationFailed):
            o.services.receipts.create(o.rep, _draft(o, amount))
    with pytest.raises(AccessDenied):
        o.services.receipts.create(o.other, _draft(o, 1000))
    receipt = o.services.receipts.create(o.rep, _draft(o, 1000))
    with pytest.raises(AccessDenied):
        o.services.receipts.get(o.other, receipt.id)
    assert o.services.receipts.search(o.other, ReceiptQuery()) == []
    assert [r.id for r in o.services.receipts.search(o.rep, ReceiptQuery(text="1"))] == [receipt.id]

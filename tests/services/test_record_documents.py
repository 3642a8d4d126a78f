"""«اسناد» of a record in one call: every kind with its state, newest first, the balance, in a fixed
handful of queries; and `concerns`, which tells a view whether a write touched the record."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from decimal import Decimal

import pytest
from sqlalchemy import event

from app.models.enums import MoneyDirection, PaymentMethod
from app.services.core.errors import AccessDenied
from app.services.documents.lines import LineDraft
from app.services.documents.quotes import QuoteDraft
from app.services.documents.receipts import Allocation, ReceiptDraft
from app.services.documents.returns import ReturnDraft, ReturnLineDraft
from tests.services.doc_helpers import DAY, issued_invoice, office, opportunity


@pytest.fixture
def o(services):
    return office(services)


@contextmanager
def counted(db):
    statements: list[str] = []

    def listener(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)


def _lines(o, quantity=2):
    return [LineDraft("کالا", Decimal(quantity), 1_000_000, 0, 0, o.products["A"])]


def test_an_opportunitys_documents_with_states_and_balance_in_a_few_queries(o) -> None:
    s, rep = o.services, o.rep
    opp = opportunity(o)
    quote = s.quotes.create(rep, QuoteDraft(o.customer, DAY, _lines(o), opportunity_id=opp))
    invoice = issued_invoice(o, _lines(o), opportunity_id=opp, day=DAY + dt.timedelta(days=1))
    later = DAY + dt.timedelta(days=2)
    receipt = s.receipts.create(
        rep, ReceiptDraft(o.customer, 500_000, later, PaymentMethod.CASH, MoneyDirection.IN, opportunity_id=opp,
                          allocations=[Allocation(invoice.id, 500_000)]),
    )  # fmt: skip
    ret = s.returns.create(rep, ReturnDraft(invoice.id, later, [ReturnLineDraft(invoice.lines[0].id, Decimal(1))]))
    issued_invoice(o, _lines(o), day=later)  # the customer's, not the opportunity's

    with counted(s.db) as statements:
        view = s.record_documents.of_record(rep, opportunity_id=opp)
    shown = [(e.kind, e.label, e.state) for e in view.entries]
    assert shown == [
        ("receipt", "دریافت", "ثبت‌شده"),
        ("return", "برگشت از فروش", "پیش‌نویس"),
        ("invoice", "صورتحساب", "پرداخت جزئی"),
        ("quote", "پیش‌فاکتور", "پیش‌نویس"),
    ]
    assert [e.id for e in view.entries] == [receipt.id, ret.id, invoice.id, quote.id]
    assert view.balance == s.balances.opportunity_balance(rep, opp)
    assert view.balance.balance == invoice.totals.total - 500_000
    # the policy's team lookup, the record, one per kind (five with contracts), the balance (the four
    # searches and the balance it replaces opened five transactions and read the customer with every list)
    assert len([q for q in statements if q.lstrip().upper().startswith("SELECT")]) <= 8

    whole = s.record_documents.of_record(rep, identity_id=o.customer)
    assert len(whole.entries) == 5 and whole.balance == s.balances.identity_balance(rep, o.customer)


def test_concerns_says_whether_changed_rows_belong_to_the_record(o) -> None:
    s, rep = o.services, o.rep
    opp, other = opportunity(o), opportunity(o)
    mine = issued_invoice(o, _lines(o), opportunity_id=opp)
    theirs = issued_invoice(o, _lines(o), opportunity_id=other)
    paying_mine = s.receipts.create(  # recorded on the other opportunity, but it pays this one's invoice
        rep, ReceiptDraft(o.customer, 100_000, DAY, PaymentMethod.CASH, MoneyDirection.IN, opportunity_id=other,
                          allocations=[Allocation(mine.id, 100_000)]),
    )  # fmt: skip
    assert s.record_documents.concerns(rep, {"invoices": frozenset({mine.id})}, opportunity_id=opp)
    assert not s.record_documents.concerns(rep, {"invoices": frozenset({theirs.id})}, opportunity_id=opp)
    assert s.record_documents.concerns(rep, {"receipts": frozenset({paying_mine.id})}, opportunity_id=opp)
    assert s.record_documents.concerns(rep, {"invoices": frozenset({theirs.id})}, identity_id=o.customer)
    assert not s.record_documents.concerns(rep, {"invoices": frozenset({theirs.id})}, identity_id=o.person)
    assert not s.record_documents.concerns(rep, {}, opportunity_id=opp)


def test_someone_elses_record_is_refused(o) -> None:
    with pytest.raises(AccessDenied):
        o.services.record_documents.of_record(o.other, identity_id=o.customer)

"""The cardboard's document sections: the rep's sent quotes awaiting an answer, unpaid invoices."""

from __future__ import annotations

import datetime as dt

from app.models.enums import PaymentMethod, QuoteState, Settlement
from app.services.documents.quotes import QuoteDraft
from app.services.documents.receipts import Allocation, ReceiptDraft
from tests.services.doc_helpers import DAY, example_lines, issued_invoice, office


def test_quotes_awaiting_an_answer_and_invoices_awaiting_payment(services) -> None:
    o = office(services)
    far = dt.date.today() + dt.timedelta(days=10)
    waiting = o.services.quotes.create(o.rep, QuoteDraft(o.customer, DAY, example_lines(o), far))
    o.services.quotes.set_state(o.rep, waiting.id, QuoteState.SENT)
    o.services.quotes.create(o.rep, QuoteDraft(o.customer, DAY, example_lines(o), far))  # a draft: not waiting
    expired = o.services.quotes.create(o.rep, QuoteDraft(o.customer, DAY, example_lines(o), DAY))
    o.services.quotes.set_state(o.rep, expired.id, QuoteState.SENT)
    unpaid, paid = issued_invoice(o), issued_invoice(o)
    o.services.receipts.create(
        o.rep,
        ReceiptDraft(
            o.customer, paid.totals.total, DAY, PaymentMethod.CASH, allocations=[Allocation(paid.id, paid.totals.total)]
        ),
    )
    board = o.services.cardboard.load(o.rep)
    quotes, invoices = board.extra["quotes_awaiting"], board.extra["invoices_awaiting"]
    assert (quotes.total, [r.id for r in quotes.rows]) == (1, [waiting.id])
    assert quotes.rows[0].kind == "quote" and quotes.rows[0].amount == 8_470_000
    assert (invoices.total, [r.id for r in invoices.rows]) == (1, [unpaid.id])
    assert invoices.rows[0].kind == "invoice" and "مانده" in invoices.rows[0].subtitle
    other = o.services.cardboard.load(o.other)
    assert other.extra["quotes_awaiting"].total == 0 and other.extra["invoices_awaiting"].total == 0


def test_unpaid_invoices_past_their_due_date_are_marked_overdue(services) -> None:
    """A cash sale is due on its issue date, a credit sale 30 days later; paid ones and those not yet due
    are not overdue; the rows say the days overdue in Persian digits, the longest overdue first."""
    o = office(services)
    today = dt.date.today()
    credit_late = issued_invoice(o, day=today - dt.timedelta(days=40), settlement=Settlement.CREDIT)  # 10 days
    cash_paid = issued_invoice(o, day=today - dt.timedelta(days=25))
    credit_running = issued_invoice(o, day=today - dt.timedelta(days=20), settlement=Settlement.CREDIT)
    cash_late = issued_invoice(o, day=today - dt.timedelta(days=12))  # 12 days
    part_paid = issued_invoice(o, day=today - dt.timedelta(days=3))  # 3 days
    issued_invoice(o, day=today)  # due today: not yet overdue
    for invoice, amount in ((cash_paid, cash_paid.totals.total), (part_paid, 1_000_000)):
        o.services.receipts.create(
            o.rep,
            ReceiptDraft(o.customer, amount, today, PaymentMethod.CASH, allocations=[Allocation(invoice.id, amount)]),
        )
    overdue = o.services.cardboard.load(o.rep).extra["invoices_overdue"]
    assert overdue.total == 3
    assert [r.id for r in overdue.rows] == [cash_late.id, credit_late.id, part_paid.id]
    late = [r.title.split(" · ")[0] for r in overdue.rows]
    assert late == ["۱۲ روز از سررسید گذشته", "۱۰ روز از سررسید گذشته", "۳ روز از سررسید گذشته"]
    assert overdue.rows[2].amount == part_paid.totals.total - 1_000_000 and overdue.rows[2].kind == "invoice"
    assert [r.when for r in overdue.rows] == [cash_late.issue_date, credit_late.issue_date + dt.timedelta(days=30),
                                              part_paid.issue_date]  # fmt: skip
    assert credit_running.id not in {r.id for r in overdue.rows}
    assert o.services.cardboard.load(o.other).extra["invoices_overdue"].total == 0  # another rep's own work only
    assert o.services.cardboard.load(o.rep).extra["invoices_awaiting"].total == 5  # every unpaid one still waits

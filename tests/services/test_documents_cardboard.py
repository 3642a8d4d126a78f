"""The cardboard's document sections: the rep's sent quotes awaiting an answer, unpaid invoices."""

from __future__ import annotations

import datetime as dt

from app.models.enums import PaymentMethod, QuoteState
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

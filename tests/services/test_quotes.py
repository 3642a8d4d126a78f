"""Quotes: numbers per fiscal year, states (expiry on read), freezing stock, closing the opportunity."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from app.models import Opportunity, OpportunityStatus
from app.models.enums import QuoteState, Settlement
from app.services.core.actor import SYSTEM
from app.services.core.errors import AccessDenied, ConcurrentChange, ServiceError, ValidationFailed
from app.services.documents.lines import LineDraft
from app.services.documents.quotes import QuoteDraft, QuoteQuery
from tests.services.doc_helpers import DAY, example_lines, office, opportunity

FAR = DAY + dt.timedelta(days=3650)


@pytest.fixture
def o(services):
    return office(services)


def _quote(o, day=DAY, valid=FAR, **values):
    return o.services.quotes.create(o.rep, QuoteDraft(o.customer, day, example_lines(o), valid, **values))


def test_quotes_are_numbered_per_fiscal_year_and_compute_like_invoices(o) -> None:
    first, second = _quote(o), _quote(o, settlement=Settlement.BOTH)
    next_year = _quote(o, day=dt.date(2026, 3, 25))
    assert (first.number, second.number, next_year.number) == (1, 2, 1)
    assert (first.fiscal_year, next_year.fiscal_year) == (1404, 1405)
    assert first.totals.total == 8_470_000 and first.state is QuoteState.DRAFT
    assert second.settlement is Settlement.BOTH


def test_state_moves_and_refusals(o) -> None:
    quote = _quote(o)
    quotes = o.services.quotes
    assert quotes.set_state(o.rep, quote.id, QuoteState.SENT).state is QuoteState.SENT
    assert quotes.set_state(o.rep, quote.id, QuoteState.REJECTED).state is QuoteState.REJECTED
    assert quotes.set_state(o.rep, quote.id, QuoteState.SENT).state is QuoteState.SENT
    accepted = quotes.set_state(o.rep, quote.id, QuoteState.ACCEPTED)
    with pytest.raises(ServiceError):
        quotes.update(o.rep, quote.id, accepted.as_draft())  # accepted: frozen
    with pytest.raises(ServiceError):
        quotes.set_state(o.rep, quote.id, QuoteState.EXPIRED)  # never by hand
    draft = quotes.set_state(o.rep, quote.id, QuoteState.DRAFT)
    edited = quotes.update(o.rep, quote.id, draft.as_draft())
    assert edited.version > draft.version
    with pytest.raises(ConcurrentChange):
        quotes.update(o.rep, quote.id, draft.as_draft())  # the form's version is stale


def test_a_sent_quote_past_its_validity_reads_expired_and_can_be_extended(o) -> None:
    quote = _quote(o, day=DAY, valid=DAY + dt.timedelta(days=1))
    o.services.quotes.set_state(o.rep, quote.id, QuoteState.SENT)
    assert o.services.quotes.get(o.rep, quote.id).state is QuoteState.EXPIRED
    assert o.services.quotes.count(o.rep, QuoteQuery(state=QuoteState.EXPIRED)) == 1
    assert o.services.quotes.count(o.rep, QuoteQuery(state=QuoteState.SENT)) == 0
    with pytest.raises(ServiceError):
        o.services.quotes.set_state(o.rep, quote.id, QuoteState.ACCEPTED)
    assert o.services.quotes.expire_overdue(o.rep) == 1
    extended = o.services.quotes.update(
        o.rep, quote.id, QuoteDraft(o.customer, dt.date.today(), example_lines(o), dt.date.today() + dt.timedelta(7))
    )
    assert extended.state is QuoteState.DRAFT
    assert o.services.quotes.set_state(o.rep, quote.id, QuoteState.SENT).state is QuoteState.SENT


def test_accepting_freezes_stock_and_may_close_the_opportunity_as_won(o) -> None:
    opp = opportunity(o)
    quote = _quote(o, opportunity_id=opp)
    product = o.products["A"]
    assert o.services.products.get(o.rep, product).frozen == 0
    o.services.quotes.set_state(o.rep, quote.id, QuoteState.ACCEPTED, close_opportunity=True)
    row = o.services.products.get(o.rep, product)
    assert (row.frozen, row.available) == (3, 97)
    with o.services.db.read(SYSTEM) as s:
        won = s.get(Opportunity, opp)
        assert (won.status, won.closed_on, won.won_amount) == (OpportunityStatus.WON, dt.date.today(), 8_470_000)
    o.services.quotes.set_state(o.rep, quote.id, QuoteState.SENT)  # undo: the freeze ends
    assert o.services.products.get(o.rep, product).frozen == 0


def test_issue_quote_from_an_opportunity_copies_its_products(o) -> None:
    opp = opportunity(o, lines=[("A", 2, 1_000_000, 100_000), ("S", 1, 4_000_000, 0)])
    quote = o.services.quotes.from_opportunity(o.rep, opp)
    assert quote.opportunity_id == opp and quote.valid_until == dt.date.today() + dt.timedelta(days=30)
    assert [(line.description, line.quantity, line.discount) for line in quote.lines] == [
        ("کالای نمونه الف", 2, 100_000), ("خدمات نصب", 1, 0),
    ]  # fmt: skip
    assert o.services.quotes.from_opportunity(o.rep, opp).number == quote.number + 1  # several per opportunity
    with pytest.raises(ValidationFailed):
        o.services.quotes.from_opportunity(o.rep, opportunity(o))  # no products


def test_validation_access_lists_and_delete(o) -> None:
    with pytest.raises(ValidationFailed) as caught:
        o.services.quotes.create(o.rep, QuoteDraft(o.customer, DAY, example_lines(o), DAY - dt.timedelta(days=1)))
    assert "valid_until" in caught.value.errors
    with pytest.raises(ValidationFailed):
        o.services.quotes.create(o.rep, QuoteDraft(o.customer, DAY, [LineDraft("x", Decimal("0.0001"), 5)]))
    quote = _quote(o)
    with pytest.raises(AccessDenied):
        o.services.quotes.get(o.other, quote.id)
    assert o.services.quotes.search(o.other, QuoteQuery()) == []
    rows = o.services.quotes.search(o.rep, QuoteQuery(text="نگین"))
    assert [r.id for r in rows] == [quote.id] and rows[0].state is QuoteState.DRAFT
    o.services.quotes.delete(o.rep, quote.id)
    assert o.services.quotes.count(o.rep, QuoteQuery()) == 0

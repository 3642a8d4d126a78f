"""The document lists by a period of their date: a relative Jalali period follows the (frozen) calendar,
fixed days stay put; on invoices, quotes and receipts alike."""

from __future__ import annotations

import pytest

from app.models.enums import PaymentMethod
from app.persian import parse_date
from app.services.core.periods import DateFilter, PeriodKind
from app.services.documents.invoice_views import InvoiceQuery
from app.services.documents.quotes import QuoteDraft, QuoteQuery
from app.services.documents.receipts import ReceiptDraft, ReceiptQuery
from tests.services.doc_helpers import example_lines, invoice_draft, office

DAYS = ("1404/12/29", "1405/01/01", "1405/02/10")


@pytest.fixture
def o(services):
    o = office(services)
    for day in map(parse_date, DAYS):
        services.invoices.create(o.rep, invoice_draft(o, day=day))
        services.quotes.create(o.rep, QuoteDraft(o.customer, day, example_lines(o)))
        services.receipts.create(o.rep, ReceiptDraft(o.customer, 1_000_000, day, PaymentMethod.CASH))
    return o


def counts(o, period) -> tuple[int, int, int]:
    s, rep = o.services, o.rep
    return (
        s.invoices.count(rep, InvoiceQuery(period=period)),
        s.quotes.count(rep, QuoteQuery(period=period)),
        s.receipts.count(rep, ReceiptQuery(period=period)),
    )


def test_a_relative_period_follows_the_calendar(o, monkeypatch) -> None:
    this_month = DateFilter(PeriodKind.THIS_MONTH)
    monkeypatch.setattr("app.services.core.periods.today", lambda: parse_date("1404/12/29"))
    assert counts(o, this_month) == (1, 1, 1)
    assert counts(o, DateFilter(PeriodKind.TODAY)) == (1, 1, 1)
    monkeypatch.setattr("app.services.core.periods.today", lambda: parse_date("1405/01/03"))
    assert counts(o, this_month) == (1, 1, 1)
    assert counts(o, DateFilter(PeriodKind.LAST_MONTH)) == (1, 1, 1)
    # its week began on Saturday 1405/01/01: Friday 1404/12/29 ended the week before
    assert counts(o, DateFilter(PeriodKind.THIS_WEEK)) == (1, 1, 1)
    assert counts(o, DateFilter(PeriodKind.FISCAL_YEAR)) == (2, 2, 2)
    assert counts(o, None) == (3, 3, 3)


def test_fixed_days(o) -> None:
    assert counts(o, DateFilter.fixed(parse_date("1405/01/01"), None)) == (2, 2, 2)
    assert counts(o, DateFilter.fixed(None, parse_date("1405/01/01"))) == (2, 2, 2)

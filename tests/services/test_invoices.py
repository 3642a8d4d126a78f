"""Invoices through the service: arithmetic vectors, issuing, numbers, stock, customer, tax fields."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.models import Identity, IdentityRole, Product
from app.models.enums import BuyerType, DocumentState, PaymentStatus, QuoteState, Settlement
from app.services.core.actor import SYSTEM
from app.services.core.errors import AccessDenied, ValidationFailed
from app.services.documents.invoice_views import InvoiceQuery
from app.services.documents.lines import LineDraft
from app.services.documents.quotes import QuoteDraft
from tests.services.doc_helpers import DAY, example_lines, invoice_draft, issued_invoice, office, opportunity


@pytest.fixture
def o(services):
    return office(services)


def _on_hand(o, code: str) -> float:
    with o.services.db.read(SYSTEM) as s:
        return s.get(Product, o.products[code]).on_hand


def test_the_worked_example_of_iran_rules_through_the_service(o) -> None:
    inv = o.services.invoices.create(o.rep, invoice_draft(o))
    a, b = inv.lines
    assert (a.amount, a.discount, a.amount_after_discount, a.vat_rate, a.vat, a.total) == (
        3_750_000, 50_000, 3_700_000, 10, 370_000, 4_070_000,
    )  # fmt: skip
    assert (b.amount, b.vat, b.total) == (4_000_000, 400_000, 4_400_000)
    t = inv.totals
    assert (t.total_before_discount, t.total_discount, t.total_after_discount, t.total_vat, t.total) == (
        7_750_000, 50_000, 7_700_000, 770_000, 8_470_000,
    )  # fmt: skip
    assert inv.state is DocumentState.DRAFT and inv.number is None


@pytest.mark.parametrize(
    ("day", "unit_price", "expected_rate", "expected_vat"),
    [
        (dt.date(2024, 3, 19), 5322, 9, 478),  # 1402/12/29: 9%, 478.98 floored
        (dt.date(2024, 3, 20), 5322, 10, 532),  # 1403/01/01: 10%
        (dt.date(2023, 6, 1), 1_234_567, 9, 111_111),
        (DAY, 1_234_567, 10, 123_456),
        (dt.date(2023, 6, 1), 61_000_000, 9, 5_490_000),
    ],
)
def test_vat_is_floored_per_line_at_the_rate_of_the_document_date(o, day, unit_price, expected_rate, expected_vat):
    inv = o.services.invoices.create(o.rep, invoice_draft(o, [LineDraft("خدمت", Decimal(1), unit_price)], day=day))
    assert (inv.lines[0].vat_rate, inv.lines[0].vat) == (expected_rate, expected_vat)


def test_moadian_published_example_and_exempt_products(o) -> None:
    lines = [
        LineDraft("کالا", Decimal(5), 12_200_000, 0, 9),
        LineDraft("", Decimal(2), 300_000, 0, None, o.products["X"]),
    ]
    inv = o.services.invoices.create(o.rep, invoice_draft(o, lines))
    assert (inv.lines[0].amount, inv.lines[0].vat, inv.lines[0].total) == (61_000_000, 5_490_000, 66_490_000)
    assert (inv.lines[1].vat_rate, inv.lines[1].vat, inv.lines[1].description) == (0, 0, "کتاب درسی")
    assert inv.totals.total == 66_490_000 + 600_000


def test_the_admins_vat_table_sets_later_years(o) -> None:
    o.services.vat_rates.save_rate(o.admin, dt.date(2026, 3, 21), 12)  # 1405/01/01
    assert o.services.vat_rates.rate_on(o.rep, dt.date(2026, 4, 1)) == 12
    assert o.services.vat_rates.rate_on(o.rep, DAY) == 10
    inv = o.services.invoices.create(
        o.rep, invoice_draft(o, [LineDraft("خدمت", Decimal(1), 1000)], dt.date(2026, 5, 1))
    )
    assert inv.lines[0].vat == 120
    with pytest.raises(AccessDenied):
        o.services.vat_rates.save_rate(o.rep, dt.date(2027, 3, 21), 15)
    rates = o.services.vat_rates.rates(o.rep)
    assert [r.rate for r in rates] == [9, 10, 12] and rates[-1].builtin is False


def test_fractional_quantities_round_half_up_to_the_rial(o) -> None:
    inv = o.services.invoices.create(
        o.rep, invoice_draft(o, [LineDraft("کابل", Decimal("2.5"), 333, 0, 10, None, "متر")])
    )
    assert (inv.lines[0].amount, inv.lines[0].vat, inv.lines[0].unit) == (833, 83, "متر")


def test_bad_lines_are_refused_with_the_row_named(o) -> None:
    lines = [LineDraft("خوب", Decimal(1), 100), LineDraft("بد", Decimal(1), 100, 500), LineDraft("", Decimal(1), 5)]
    with pytest.raises(ValidationFailed) as caught:
        o.services.invoices.create(o.rep, invoice_draft(o, lines))
    assert set(caught.value.errors) == {"lines.1", "lines.2"}
    assert caught.value.errors["lines.1"].startswith("ردیف ۲")
    with pytest.raises(ValidationFailed) as caught:
        o.services.invoices.create(o.rep, invoice_draft(o, []))
    assert "lines" in caught.value.errors


def test_issuing_numbers_takes_stock_copies_the_buyer_and_makes_a_customer(o) -> None:
    assert _on_hand(o, "A") == 100
    first = issued_invoice(o)
    second = issued_invoice(o)
    assert (first.number, second.number) == (1, 2) and first.fiscal_year == 1404
    assert first.state is DocumentState.ISSUED and first.issued_at is not None
    assert _on_hand(o, "A") == 94
    buyer = first.buyer
    assert buyer.buyer_type is BuyerType.LEGAL
    assert (buyer.national_id, buyer.economic_code, buyer.postal_code) == (
        "10380284790",
        "14004800101010",
        "8136613699",
    )
    assert buyer.registration_no == "452187" and buyer.phone == "031-32221100" and "چهارباغ" in buyer.address
    assert first.lines[0].sstid == "2710000138624" and first.lines[0].unit_code == "1627"
    assert first.settlement is Settlement.CASH
    with o.services.db.read(SYSTEM) as s:
        assert s.get(Identity, o.customer).role is IdentityRole.CUSTOMER


def test_a_new_fiscal_year_starts_again_at_one(o) -> None:
    issued_invoice(o, day=dt.date(2026, 3, 19))  # 1404/12/28
    later = issued_invoice(o, day=dt.date(2026, 3, 21))  # 1405/01/01
    assert (later.fiscal_year, later.number) == (1405, 1)


def test_an_invoice_cannot_be_dated_before_the_last_issued_one(o) -> None:
    issued_invoice(o, day=DAY)
    draft = o.services.invoices.create(o.rep, invoice_draft(o, day=DAY - dt.timedelta(days=3)))
    with pytest.raises(ValidationFailed) as caught:
        o.services.invoices.issue(o.rep, draft.id)
    assert "issue_date" in caught.value.errors
    assert o.services.invoices.get(o.rep, draft.id).number is None  # nothing consumed


def test_invoice_from_an_accepted_quote_ends_the_freeze(o) -> None:
    quote = o.services.quotes.create(
        o.rep, QuoteDraft(o.customer, DAY, example_lines(o), DAY + dt.timedelta(days=3650))
    )
    with pytest.raises(Exception, match="پذیرفته"):
        o.services.invoices.from_quote(o.rep, quote.id)
    o.services.quotes.set_state(o.rep, quote.id, QuoteState.ACCEPTED)
    assert o.services.products.get(o.rep, o.products["A"]).frozen == 3
    draft = o.services.invoices.from_quote(o.rep, quote.id)
    assert draft.quote_id == quote.id and draft.quote_number == quote.number and draft.totals.total == 8_470_000
    assert o.services.invoices.from_quote(o.rep, quote.id).id == draft.id  # the same draft, not a second one
    o.services.invoices.issue(o.rep, draft.id)
    assert o.services.products.get(o.rep, o.products["A"]).frozen == 0
    assert _on_hand(o, "A") == 97


def test_an_invoice_names_the_list_it_was_priced_at_the_quotes_else_the_opportunitys(o) -> None:
    wholesale = o.services.price_lists.save_list(o.admin, "عمده‌فروشی")
    retail = o.services.price_lists.save_list(o.admin, "خرده‌فروشی")
    assert o.services.invoices.create(o.rep, invoice_draft(o)).price_list_id is None  # none to name
    quote = o.services.quotes.create(
        o.rep, QuoteDraft(o.customer, DAY, example_lines(o), DAY + dt.timedelta(days=3650), price_list_id=retail)
    )
    o.services.quotes.set_state(o.rep, quote.id, QuoteState.ACCEPTED)
    assert o.services.invoices.from_quote(o.rep, quote.id).price_list_id == retail
    opp = opportunity(o, lines=[("A", 2, 1_000_000, 0)])
    detail = o.services.opportunity_records.get(o.rep, opp)
    data = replace(detail.to_data(), price_list_id=wholesale)
    o.services.opportunity_records.update(o.rep, opp, data, detail.version)
    assert o.services.invoices.from_opportunity(o.rep, opp).price_list_id == wholesale


def test_invoice_from_an_opportunity_copies_its_products(o) -> None:
    opp = opportunity(o, lines=[("A", 2, 1_000_000, 0), ("S", 1, 500_000, 10_000)])
    inv = o.services.invoices.from_opportunity(o.rep, opp)
    assert inv.opportunity_id == opp and [line.quantity for line in inv.lines] == [2, 1]
    assert inv.totals.total_after_discount == 2_490_000


def test_someone_elses_identity_or_mismatched_opportunity_is_refused(o) -> None:
    with pytest.raises(AccessDenied):
        o.services.invoices.create(o.other, invoice_draft(o))
    opp = opportunity(o, identity_id=o.person)
    with pytest.raises(ValidationFailed) as caught:
        o.services.invoices.create(o.rep, invoice_draft(o, opportunity_id=opp))
    assert "opportunity_id" in caught.value.errors


def test_lists_search_by_number_and_name_and_filter_by_payment(o) -> None:
    first = issued_invoice(o)
    issued_invoice(o)
    o.services.invoices.create(o.rep, invoice_draft(o))
    rows = o.services.invoices.search(o.rep, InvoiceQuery())
    assert len(rows) == 3 and o.services.invoices.count(o.rep, InvoiceQuery()) == 3
    assert [r.number for r in o.services.invoices.search(o.rep, InvoiceQuery(text="۱"))] == [1]
    assert o.services.invoices.count(o.rep, InvoiceQuery(text="نگین")) == 3
    unpaid = o.services.invoices.search(o.rep, InvoiceQuery(payment=PaymentStatus.UNPAID))
    assert {r.id for r in unpaid} >= {first.id} and all(r.payment_status is PaymentStatus.UNPAID for r in unpaid)
    assert o.services.invoices.search(o.other, InvoiceQuery()) == []
    with o.services.db.read(SYSTEM) as s:
        assert s.scalar(select(Product.on_hand).where(Product.id == o.products["S"])) == 0  # services: untracked

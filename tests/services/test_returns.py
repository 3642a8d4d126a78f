"""Returns: capped by what was invoiced minus what was returned, own series, restock, proportional discount."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest

from app.models import Product
from app.services.core.actor import SYSTEM
from app.services.core.errors import AccessDenied, ServiceError, ValidationFailed
from app.services.documents.lines import LineDraft
from app.services.documents.returns import ReturnDraft, ReturnLineDraft, ReturnQuery
from tests.services.doc_helpers import DAY, invoice_draft, issued_invoice, office

LATER = DAY + dt.timedelta(days=2)


@pytest.fixture
def o(services):
    return office(services)


@pytest.fixture
def invoice(o):
    return issued_invoice(o)  # line 0: 3 × کالای نمونه الف, discount 50,000; line 1: service


def _draft(invoice, *quantities, day=LATER):
    lines = [ReturnLineDraft(invoice.lines[i].id, Decimal(q)) for i, q in quantities]
    return ReturnDraft(invoice.id, day, lines)


def _on_hand(o) -> float:
    with o.services.db.read(SYSTEM) as s:
        return s.get(Product, o.products["A"]).on_hand


def test_a_return_is_capped_by_what_is_left_on_the_invoice(o, invoice) -> None:
    returns = o.services.returns
    with pytest.raises(ValidationFailed) as caught:
        returns.create(o.rep, _draft(invoice, (0, 4)))
    assert "حداکثر ۳" in caught.value.errors["lines.0"]
    first = returns.issue(o.rep, returns.create(o.rep, _draft(invoice, (0, 2))).id)
    with pytest.raises(ValidationFailed):
        returns.create(o.rep, _draft(invoice, (0, 2)))
    with pytest.raises(ValidationFailed):
        returns.create(o.rep, _draft(invoice, (0, "0.5"), (0, "0.6")))  # the same line twice, 1.1 > 1
    left = {r.invoice_line_id: r.remaining for r in returns.returnable(o.rep, invoice.id)}
    assert left[invoice.lines[0].id] == 1 and left[invoice.lines[1].id] == 1
    second = returns.issue(o.rep, returns.create(o.rep, _draft(invoice, (0, 1), (1, 1))).id)
    assert (first.number, second.number) == (1, 2) and first.fiscal_year == 1404
    assert all(r.remaining == 0 for r in returns.returnable(o.rep, invoice.id))


def test_two_drafts_cannot_both_be_issued_beyond_the_invoice(o, invoice) -> None:
    a = o.services.returns.create(o.rep, _draft(invoice, (0, 2)))
    b = o.services.returns.create(o.rep, _draft(invoice, (0, 2)))
    o.services.returns.issue(o.rep, a.id)
    with pytest.raises(ValidationFailed):
        o.services.returns.issue(o.rep, b.id)
    assert o.services.returns.get(o.rep, b.id).number is None


def test_discount_is_shared_and_the_last_part_takes_the_rest_to_the_rial(o) -> None:
    invoice = issued_invoice(o, [LineDraft("", Decimal(3), 1_000_000, 100_000, 10, o.products["A"])])
    first = o.services.returns.issue(o.rep, o.services.returns.create(o.rep, _draft(invoice, (0, 1))).id)
    rest = o.services.returns.issue(o.rep, o.services.returns.create(o.rep, _draft(invoice, (0, 2))).id)
    assert (first.lines[0].discount, rest.lines[0].discount) == (33_333, 66_667)
    assert first.lines[0].vat == 96_666 and first.totals.total == 1_063_333
    assert first.lines[0].amount_after_discount + rest.lines[0].amount_after_discount == 2_900_000


def test_issuing_restocks_and_the_draft_does_not(o, invoice) -> None:
    assert _on_hand(o) == 97
    ret = o.services.returns.create(o.rep, _draft(invoice, (0, 2)))
    assert _on_hand(o) == 97
    issued = o.services.returns.issue(o.rep, ret.id)
    assert _on_hand(o) == 99
    assert issued.invoice_number == invoice.number and issued.lines[0].product_code == "A"
    assert o.services.returns.count(o.rep, ReturnQuery(invoice_id=invoice.id)) == 1


def test_refusals(o, invoice) -> None:
    draft_invoice = o.services.invoices.create(o.rep, invoice_draft(o))
    with pytest.raises(ServiceError):
        o.services.returns.create(o.rep, ReturnDraft(draft_invoice.id, LATER, []))
    with pytest.raises(ValidationFailed):
        o.services.returns.create(o.rep, ReturnDraft(invoice.id, LATER, []))
    with pytest.raises(AccessDenied):
        o.services.returns.create(o.other, _draft(invoice, (0, 1)))
    early = o.services.returns.create(o.rep, _draft(invoice, (0, 1), day=DAY - dt.timedelta(days=1)))
    with pytest.raises(ValidationFailed):
        o.services.returns.issue(o.rep, early.id)
    updated = o.services.returns.update(o.rep, early.id, _draft(invoice, (1, 1)))
    assert updated.lines[0].description == "خدمات نصب" and updated.sources == [invoice.lines[1].id]
    o.services.returns.delete(o.rep, early.id)
    assert o.services.returns.count(o.rep, ReturnQuery()) == 0


def test_a_preview_prices_a_draft_as_saving_would_and_writes_nothing(o, invoice) -> None:
    returns = o.services.returns
    draft = returns.create(o.rep, _draft(invoice, (0, 3), (1, 1)))
    changed = _draft(invoice, (0, 1))
    preview = returns.preview(o.rep, draft.id, changed)
    assert preview.total == 1_356_666 and preview.total_discount == 16_667  # a third of the discount
    assert returns.get(o.rep, draft.id).totals.total == 8_470_000  # nothing saved
    assert returns.update(o.rep, draft.id, replace(changed, version=draft.version)).totals == preview
    assert returns.preview(o.rep, draft.id, _draft(invoice)).total == 0
    with pytest.raises(ValidationFailed) as caught:
        returns.preview(o.rep, draft.id, _draft(invoice, (0, 4)))
    assert "حداکثر ۳" in caught.value.errors["lines.0"]
    with pytest.raises(AccessDenied):
        returns.preview(o.other, draft.id, changed)

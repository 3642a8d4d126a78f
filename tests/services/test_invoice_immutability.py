"""An issued invoice (or return) never changes: every mutating service call and any direct ORM change fails."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.models import Invoice, InvoiceLine, SalesReturn, SalesReturnLine, utcnow
from app.services.core.actor import SYSTEM
from app.services.core.document_guard import ALLOW_RELINK, DocumentLocked
from app.services.documents.lines import LineDraft
from app.services.documents.returns import ReturnDraft, ReturnLineDraft
from tests.services.doc_helpers import DAY, invoice_draft, issued_invoice, office


@pytest.fixture
def o(services):
    return office(services)


@pytest.fixture
def issued(o):
    return issued_invoice(o)


def _mutations(o, inv):
    invoices = o.services.invoices
    return {
        "update": lambda: invoices.update(o.rep, inv.id, inv.as_draft()),
        "update (new lines)": lambda: invoices.update(
            o.rep, inv.id, invoice_draft(o, [LineDraft("ارزان‌تر", Decimal(1), 1)], version=inv.version)
        ),
        "delete": lambda: invoices.delete(o.rep, inv.id),
        "issue again": lambda: invoices.issue(o.rep, inv.id),
        "as admin": lambda: invoices.update(o.admin, inv.id, inv.as_draft()),
    }


@pytest.mark.parametrize(
    "call", ["update", "update (new lines)", "delete", "issue again", "as admin"]
)  # fmt: skip
def test_every_mutating_service_call_on_an_issued_invoice_fails(o, issued, call) -> None:
    before = o.services.invoices.get(o.rep, issued.id)
    with pytest.raises(DocumentLocked) as caught:
        _mutations(o, issued)[call]()
    assert "برگشت از فروش" in caught.value.message
    assert o.services.invoices.get(o.rep, issued.id) == before


def _change_header(s, inv_id):
    s.get(Invoice, inv_id).total = 1


def _change_line(s, inv_id):
    line = s.scalars(select(InvoiceLine).where(InvoiceLine.invoice_id == inv_id)).first()
    line.unit_price = 1


def _add_line(s, inv_id):
    s.add(InvoiceLine(invoice_id=inv_id, description="افزوده", quantity=Decimal(1), unit_price=1))


def _delete_line(s, inv_id):
    s.delete(s.scalars(select(InvoiceLine).where(InvoiceLine.invoice_id == inv_id)).first())


def _soft_delete(s, inv_id):
    s.get(Invoice, inv_id).deleted_at = utcnow()


def _hard_delete(s, inv_id):
    for line in s.scalars(select(InvoiceLine).where(InvoiceLine.invoice_id == inv_id)):
        s.delete(line)
    s.delete(s.get(Invoice, inv_id))


def _back_to_draft(s, inv_id):
    s.get(Invoice, inv_id).state = "draft"


def _buyer(s, inv_id):
    s.get(Invoice, inv_id).buyer_name = "دیگری"


@pytest.mark.parametrize(
    "change",
    [_change_header, _change_line, _add_line, _delete_line, _soft_delete, _hard_delete, _back_to_draft, _buyer],
)
def test_a_direct_orm_change_is_refused_by_the_flush_guard(o, issued, change) -> None:
    with pytest.raises(DocumentLocked), o.services.db.write(SYSTEM) as s:
        change(s, issued.id)
    assert o.services.invoices.get(o.rep, issued.id).totals == issued.totals


def test_nothing_changes_after_the_issuing_flush_even_in_the_same_transaction(o) -> None:
    draft = o.services.invoices.create(o.rep, invoice_draft(o))
    with pytest.raises(DocumentLocked), o.services.db.write(SYSTEM) as s:
        inv = s.get(Invoice, draft.id)
        inv.state, inv.number, inv.fiscal_year = "issued", 99, 1404
        s.flush()
        inv.notes = "بعد از صدور"


def test_a_draft_stays_editable_and_merging_may_relink_an_issued_invoice(o, issued) -> None:
    draft = o.services.invoices.create(o.rep, invoice_draft(o))
    edited = o.services.invoices.update(o.rep, draft.id, invoice_draft(o, notes="ویرایش", version=draft.version))
    assert edited.notes == "ویرایش"
    with o.services.db.write(SYSTEM) as s:
        s.info[ALLOW_RELINK] = True
        s.get(Invoice, issued.id).identity_id = o.person
    with pytest.raises(DocumentLocked), o.services.db.write(SYSTEM) as s:
        s.info[ALLOW_RELINK] = True
        s.get(Invoice, issued.id).total = 5  # relinking permits the links only


def test_an_issued_return_is_immutable_too(o, issued) -> None:
    ret = o.services.returns.create(
        o.rep, ReturnDraft(issued.id, DAY + dt.timedelta(days=1), [ReturnLineDraft(issued.lines[0].id, Decimal(1))])
    )
    ret = o.services.returns.issue(o.rep, ret.id)
    for call in (
        lambda: o.services.returns.update(o.rep, ret.id, ret.as_draft()),
        lambda: o.services.returns.delete(o.rep, ret.id),
        lambda: o.services.returns.issue(o.rep, ret.id),
    ):
        with pytest.raises(DocumentLocked):
            call()
    with pytest.raises(DocumentLocked), o.services.db.write(SYSTEM) as s:
        s.get(SalesReturn, ret.id).notes = "تغییر"
    with pytest.raises(DocumentLocked), o.services.db.write(SYSTEM) as s:
        s.scalars(select(SalesReturnLine)).first().quantity = Decimal(2)

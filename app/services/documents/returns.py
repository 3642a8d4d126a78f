"""Returns (صورتحساب برگشت از فروش): goods of one issued invoice come back.

A return names lines of its invoice and quantities, never more than invoiced minus what issued
returns already took back; it is issued with its own gapless series, restocks the goods, credits
the customer's balance and is immutable afterwards (the same guard as invoices).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, aliased

from app.models import Identity, Invoice, InvoiceLine, SalesReturn, SalesReturnLine, User, utcnow
from app.models.enums import DocumentState
from app.persian import fiscal_year, to_persian_digits
from app.services.core.access import SKIP, fetch, with_customers
from app.services.core.actor import Actor
from app.services.core.database import Database
from app.services.core.document_guard import DOCUMENT_FLOW, DocumentLocked
from app.services.core.errors import ServiceError, ValidationFailed
from app.services.core.periods import DateFilter

from . import numbering, stock
from .common import check_version, clean_notes, identity_names, user_names
from .lines import LineDraft, LineView, Totals, apply_totals, build_lines, line_view, load_lines, totals_of
from .list_filters import list_conditions

RETURN = "صورتحساب برگشت از فروش"
_owner = aliased(User)


@dataclass(frozen=True)
class ReturnLineDraft:
    invoice_line_id: uuid.UUID
    quantity: Decimal


@dataclass(frozen=True)
class ReturnDraft:
    invoice_id: uuid.UUID
    issue_date: dt.date
    lines: list[ReturnLineDraft] = field(default_factory=list)
    notes: str = ""
    version: int | None = None


@dataclass(frozen=True)
class ReturnableLine:
    invoice_line_id: uuid.UUID
    position: int
    description: str
    unit: str
    unit_price: int
    vat_rate: int
    invoiced: Decimal
    returned: Decimal  # by issued returns (other than the one being edited)
    remaining: Decimal


@dataclass(frozen=True)
class ReturnView:
    id: uuid.UUID
    number: int | None
    fiscal_year: int | None
    state: DocumentState
    invoice_id: uuid.UUID
    invoice_number: int | None
    invoice_fiscal_year: int | None
    identity_id: uuid.UUID
    identity_name: str
    opportunity_id: uuid.UUID | None
    issue_date: dt.date
    notes: str
    lines: list[LineView]
    sources: list[uuid.UUID]  # the invoice line of each line, in order
    totals: Totals
    issued_at: dt.datetime | None
    owner_id: uuid.UUID | None
    owner_name: str | None
    version: int

    @property
    def is_issued(self) -> bool:
        return self.state is DocumentState.ISSUED

    def as_draft(self) -> ReturnDraft:
        lines = [ReturnLineDraft(src, line.quantity) for src, line in zip(self.sources, self.lines, strict=True)]
        return ReturnDraft(self.invoice_id, self.issue_date, lines, self.notes, self.version)


@dataclass(frozen=True)
class ReturnQuery:
    text: str = ""
    state: DocumentState | None = None
    invoice_id: uuid.UUID | None = None
    identity_id: uuid.UUID | None = None
    opportunity_id: uuid.UUID | None = None
    period: DateFilter | None = None  # of the issue date
    sort: str = "number"
    descending: bool = True


@dataclass(frozen=True)
class ReturnRow:
    id: uuid.UUID
    number: int | None
    fiscal_year: int | None
    state: DocumentState
    issue_date: dt.date
    invoice_number: int | None
    identity_name: str
    total: int
    owner_name: str | None


def _returned(s: Session, invoice_id: uuid.UUID, except_return: uuid.UUID | None) -> dict:
    """invoice line -> (quantity, discount) already taken back by issued returns."""
    stmt = (
        select(SalesReturnLine.invoice_line_id, func.sum(SalesReturnLine.quantity), func.sum(SalesReturnLine.discount))
        .join(SalesReturn, SalesReturn.id == SalesReturnLine.return_id)
        .where(
            SalesReturn.invoice_id == invoice_id,
            SalesReturn.state == DocumentState.ISSUED,
            SalesReturn.deleted_at.is_(None),
            SalesReturnLine.deleted_at.is_(None),
        )
        .group_by(SalesReturnLine.invoice_line_id)
        .execution_options(**{SKIP: True})
    )
    if except_return is not None:
        stmt = stmt.where(SalesReturn.id != except_return)
    return {lid: (Decimal(str(q or 0)), int(d or 0)) for lid, q, d in s.execute(stmt)}


def _issued_invoice(s: Session, invoice_id: uuid.UUID) -> Invoice:
    invoice = fetch(s, Invoice, invoice_id, "صورتحساب")
    if invoice.state is not DocumentState.ISSUED:
        raise ServiceError("برگشت از فروش فقط برای صورتحساب صادرشده ثبت می‌شود.")
    return invoice


def _editable(ret: SalesReturn) -> None:
    if ret.state is DocumentState.ISSUED:
        raise DocumentLocked("صورتحساب برگشت از فروش")


def _line_drafts(
    s: Session, invoice: Invoice, drafts: list[ReturnLineDraft], except_return
) -> list[tuple[InvoiceLine, LineDraft]]:
    """Return lines priced as on the invoice; ValidationFailed if a quantity exceeds what is left.

    A partial quantity takes its share of the line's discount (rounded half up); the last part of
    a line takes the rest of it, so all returns of a line add up to the invoice line exactly.
    """
    if not drafts:
        raise ValidationFailed({"lines": "دست‌کم یک ردیف و مقدار برگشتی را انتخاب کنید."})
    source = {line.id: line for line in load_lines(s, InvoiceLine, "invoice_id", invoice.id)}
    taken = _returned(s, invoice.id, except_return)
    wanted: dict[uuid.UUID, Decimal] = defaultdict(Decimal)
    discounted: dict[uuid.UUID, int] = defaultdict(int)
    errors, result = {}, []
    for i, draft in enumerate(drafts):
        row = to_persian_digits(str(i + 1))
        line = source.get(draft.invoice_line_id)
        if line is None:
            errors[f"lines.{i}"] = f"ردیف {row}: این ردیف در صورتحساب مرجع نیست."
            continue
        quantity = Decimal(draft.quantity)
        if not quantity.is_finite() or quantity <= 0:
            errors[f"lines.{i}"] = f"ردیف {row}: مقدار برگشتی باید بیشتر از صفر باشد."
            continue
        wanted[line.id] += quantity
        done_q, done_d = taken.get(line.id, (Decimal(0), 0))
        sold = Decimal(line.quantity)
        left = sold - done_q
        if wanted[line.id] > left:
            errors[f"lines.{i}"] = (
                f"ردیف {row}: حداکثر {_qty(left)} {line.unit} قابل برگشت است (فروخته‌شده {_qty(sold)})."
            )
            continue
        if wanted[line.id] == left:
            discount = line.discount - done_d - discounted[line.id]
        else:
            share = Decimal(line.discount) * quantity / sold
            discount = int(share.to_integral_value(rounding=ROUND_HALF_UP))
        discount = max(discount, 0)
        discounted[line.id] += discount
        draft_line = LineDraft(
            line.description, quantity, line.unit_price, discount, line.vat_rate, line.product_id, line.unit
        )
        result.append((line, draft_line))
    if errors:
        raise ValidationFailed(errors)
    return result


def _qty(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return to_persian_digits(text.replace(".", "٫"))


def _filters(query: ReturnQuery) -> list:
    equal = (
        (SalesReturn.state, query.state),
        (SalesReturn.invoice_id, query.invoice_id),
        (SalesReturn.identity_id, query.identity_id),
        (SalesReturn.opportunity_id, query.opportunity_id),
    )
    return list_conditions(SalesReturn, equal, query.text, dated=(SalesReturn.issue_date, query.period))


class ReturnService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def returnable(
        self, actor: Actor, invoice_id: uuid.UUID, return_id: uuid.UUID | None = None
    ) -> list[ReturnableLine]:
        """The invoice's lines with what may still be returned. Raises NotFound/AccessDenied,
        ServiceError (draft invoice). Reads only."""
        with self._db.read(actor) as s:
            invoice = _issued_invoice(s, invoice_id)
            taken = _returned(s, invoice.id, return_id)
            result = []
            for line in load_lines(s, InvoiceLine, "invoice_id", invoice.id):
                done = taken.get(line.id, (Decimal(0), 0))[0]
                quantity = Decimal(line.quantity)
                result.append(
                    ReturnableLine(
                        line.id, line.position, line.description, line.unit, line.unit_price, line.vat_rate,
                        quantity, done, quantity - done,
                    )
                )  # fmt: skip
            return result

    def get(self, actor: Actor, return_id: uuid.UUID) -> ReturnView:
        """One return with its lines. Raises NotFound/AccessDenied. Reads only."""
        with self._db.read(actor) as s:
            return self._view(s, fetch(s, SalesReturn, return_id, RETURN))

    def search(self, actor: Actor, query: ReturnQuery, offset: int = 0, limit: int = 200) -> list[ReturnRow]:
        """A page of the returns the actor may see. Reads only."""
        sorts = {
            "number": (SalesReturn.fiscal_year, SalesReturn.number),
            "issue_date": (SalesReturn.issue_date,),
            "identity_name": (Identity.name_sort,),
            "total": (SalesReturn.total,),
        }
        order = [c.desc() if query.descending else c.asc() for c in sorts.get(query.sort, sorts["number"])]
        invoice = aliased(Invoice)
        stmt = (
            select(
                SalesReturn.id,
                SalesReturn.number,
                SalesReturn.fiscal_year,
                SalesReturn.state,
                SalesReturn.issue_date,
                invoice.number,
                Identity.display_name,
                SalesReturn.total,
                _owner.display_name,
            )
            .join(Identity, Identity.id == SalesReturn.identity_id)
            .join(invoice, invoice.id == SalesReturn.invoice_id)
            .outerjoin(_owner, _owner.id == SalesReturn.owner_id)
            .where(and_(*_filters(query)))
            .order_by(*order, SalesReturn.created_at.desc(), SalesReturn.id)
            .offset(offset)
            .limit(limit)
        )
        with self._db.read(actor) as s:
            return [ReturnRow(*row) for row in s.execute(with_customers(stmt))]

    def count(self, actor: Actor, query: ReturnQuery) -> int:
        """How many returns `search` would list. Reads only."""
        stmt = (
            select(func.count())
            .select_from(SalesReturn)
            .join(Identity, Identity.id == SalesReturn.identity_id)
            .where(and_(*_filters(query)))
        )
        with self._db.read(actor) as s:
            return s.scalar(with_customers(stmt))

    def create(self, actor: Actor, draft: ReturnDraft) -> ReturnView:
        """A draft return of an issued invoice. Raises ValidationFailed (quantities over what is left),
        ServiceError (draft invoice), AccessDenied. Writes."""
        with self._db.write(actor) as s:
            invoice = _issued_invoice(s, draft.invoice_id)
            ret = SalesReturn(
                invoice_id=invoice.id,
                identity_id=invoice.identity_id,
                opportunity_id=invoice.opportunity_id,
                owner_id=actor.user_id or invoice.owner_id,
                state=DocumentState.DRAFT,
            )
            self._fill(s, ret, invoice, draft)
            return self._view(s, ret)

    def preview(self, actor: Actor, return_id: uuid.UUID, draft: ReturnDraft) -> Totals:
        """The totals the draft return would have once saved (its form shows them while quantities are
        typed), priced and refused exactly as saving would. No line: zeros. Raises ValidationFailed,
        NotFound/AccessDenied. Reads only."""
        if not draft.lines:
            return Totals()
        with self._db.read(actor) as s:
            invoice = _issued_invoice(s, draft.invoice_id)
            pairs = _line_drafts(s, invoice, draft.lines, return_id)
            day = draft.issue_date or invoice.issue_date
            return build_lines(s, [d for _, d in pairs], day, SalesReturnLine, live_products=False)[1]

    def update(self, actor: Actor, return_id: uuid.UUID, draft: ReturnDraft) -> ReturnView:
        """Replaces a draft return's date, notes and lines. Refuses an issued return. Writes."""
        with self._db.write(actor) as s:
            ret = fetch(s, SalesReturn, return_id, RETURN)
            _editable(ret)
            check_version(ret, draft.version)
            if draft.invoice_id != ret.invoice_id:
                raise ValidationFailed({"invoice_id": "صورتحساب مرجع یک برگشت را نمی‌توان عوض کرد."})
            invoice = _issued_invoice(s, ret.invoice_id)
            ret.updated_at = utcnow()  # lines replaced: the header's version moves too
            for line in load_lines(s, SalesReturnLine, "return_id", ret.id):
                s.delete(line)
            self._fill(s, ret, invoice, draft)
            return self._view(s, ret)

    def delete(self, actor: Actor, return_id: uuid.UUID) -> None:
        """Moves a draft return to the recycle bin; an issued one is refused. Writes."""
        with self._db.write(actor) as s:
            ret = fetch(s, SalesReturn, return_id, RETURN)
            _editable(ret)
            ret.deleted_at = utcnow()

    def issue(self, actor: Actor, return_id: uuid.UUID, version: int | None = None) -> ReturnView:
        """Numbers (own gapless series) and issues a draft return; restocks its goods; immutable
        afterwards. The quantities are checked again under the series lock. Writes."""
        with self._db.write(actor) as s:
            ret = fetch(s, SalesReturn, return_id, RETURN)
            _editable(ret)
            check_version(ret, version)
            invoice = _issued_invoice(s, ret.invoice_id)
            if ret.issue_date < invoice.issue_date:
                raise ValidationFailed({"issue_date": "تاریخ برگشت نمی‌تواند پیش از تاریخ صورتحساب مرجع باشد."})
            year = fiscal_year(ret.issue_date)
            number = numbering.next_number(s, numbering.RETURN, year, ret.issue_date)  # serialises returns
            lines = load_lines(s, SalesReturnLine, "return_id", ret.id)
            drafts = [ReturnLineDraft(line.invoice_line_id, Decimal(line.quantity)) for line in lines]
            _line_drafts(s, invoice, drafts, ret.id)  # still within what is left?
            stock.restock(s, lines)
            ret.number, ret.fiscal_year, ret.issued_at = number, year, utcnow()
            DOCUMENT_FLOW.check(ret.state, DocumentState.ISSUED)
            ret.state = DocumentState.ISSUED  # the last change
            s.flush()
            stock.note_server_moves(s, lines)
            return self._view(s, ret)

    def _fill(self, s: Session, ret: SalesReturn, invoice: Invoice, draft: ReturnDraft) -> None:
        if draft.issue_date is None:
            raise ValidationFailed({"issue_date": "تاریخ برگشت را وارد کنید."})
        pairs = _line_drafts(s, invoice, draft.lines, ret.id)
        lines, totals = build_lines(s, [d for _, d in pairs], draft.issue_date, SalesReturnLine, live_products=False)
        ret.issue_date = draft.issue_date
        ret.notes = clean_notes(draft.notes)
        apply_totals(ret, totals)
        s.add(ret)
        s.flush()
        for line, (source, _) in zip(lines, pairs, strict=True):
            line.return_id, line.invoice_line_id = ret.id, source.id
            line.product_code, line.description = source.product_code, source.description
            s.add(line)
        s.flush()

    def _view(self, s: Session, ret: SalesReturn) -> ReturnView:
        invoice_number, invoice_year = s.execute(
            select(Invoice.number, Invoice.fiscal_year)
            .where(Invoice.id == ret.invoice_id)
            .execution_options(**{SKIP: True})
        ).one()
        lines = load_lines(s, SalesReturnLine, "return_id", ret.id)
        return ReturnView(
            id=ret.id,
            number=ret.number,
            fiscal_year=ret.fiscal_year,
            state=ret.state,
            invoice_id=ret.invoice_id,
            invoice_number=invoice_number,
            invoice_fiscal_year=invoice_year,
            identity_id=ret.identity_id,
            identity_name=identity_names(s, [ret.identity_id]).get(ret.identity_id, ""),
            opportunity_id=ret.opportunity_id,
            issue_date=ret.issue_date,
            notes=ret.notes or "",
            lines=[line_view(line) for line in lines],
            sources=[line.invoice_line_id for line in lines],
            totals=totals_of(ret),
            issued_at=ret.issued_at,
            owner_id=ret.owner_id,
            owner_name=user_names(s, [ret.owner_id]).get(ret.owner_id),
            version=ret.version,
        )

"""Invoices (صورتحساب فروش کالا و خدمات): draft -> issued, then never changed again.

Issuing, in one write transaction: copy the buyer's tax details and the lines' tax codes, take
the stock, turn the identity into a customer, then (as late as possible) take the next number of
the fiscal year's series from the locked counter and mark the invoice issued. Corrections of an
issued invoice go through a return (app.services.documents.returns).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import Session, aliased

from app.models import (
    Identity,
    Invoice,
    InvoiceLine,
    Opportunity,
    OpportunityLine,
    Product,
    Quote,
    QuoteLine,
    User,
    utcnow,
)
from app.models.enums import DocumentState, QuoteState
from app.persian import fiscal_year
from app.services.core.access import SKIP, fetch, with_customers
from app.services.core.actor import Actor
from app.services.core.database import Database
from app.services.core.document_guard import DOCUMENT_FLOW, DocumentLocked
from app.services.core.errors import ServiceError, ValidationFailed
from app.services.sync import state as sync_state

from . import numbering, stock
from .common import (
    Buyer,
    buyer_of,
    check_version,
    clean_notes,
    default_owner,
    identity_for_document,
    identity_names,
    mark_customer,
    opportunity_for_document,
    opportunity_titles,
    today,
    user_names,
)
from .invoice_views import (
    PAID,
    RETURNED,
    STATUS,
    InvoiceDraft,
    InvoiceQuery,
    InvoiceRow,
    InvoiceView,
    paid_expr,
    returned_expr,
)
from .lines import LineDraft, apply_totals, build_lines, line_view, load_lines, totals_of
from .list_filters import list_conditions
from .quote_state import effective_state

INVOICE = "صورتحساب"
_owner = aliased(User)
SORT_COLUMNS = {
    "number": (Invoice.fiscal_year, Invoice.number),
    "issue_date": (Invoice.issue_date,),
    "identity_name": (Identity.name_sort,),
    "total": (Invoice.total,),
    "state": (Invoice.state,),
    "paid": (PAID,),
}


def _editable(invoice: Invoice) -> None:
    if invoice.state is DocumentState.ISSUED:
        raise DocumentLocked()


def _filters(query: InvoiceQuery) -> list:
    equal = (
        (Invoice.state, query.state),
        (Invoice.identity_id, query.identity_id),
        (Invoice.opportunity_id, query.opportunity_id),
    )
    conditions = list_conditions(
        Invoice,
        equal,
        query.text,
        dated=(Invoice.issue_date, query.period),
        by_code=lambda code: Invoice.provisional_number == code,  # «P-L3-7»: issued on a laptop
    )
    if query.payment is not None:
        conditions += [Invoice.state == DocumentState.ISSUED, STATUS == query.payment.value]
    return conditions


class InvoiceService:
    def __init__(self, db: Database) -> None:
        self._db = db

    # --- reading ---------------------------------------------------------------------
    def get(self, actor: Actor, invoice_id: uuid.UUID) -> InvoiceView:
        """One invoice with its lines and payments. Anyone who may see it; raises NotFound/AccessDenied."""
        with self._db.read(actor) as s:
            return self._view(s, fetch(s, Invoice, invoice_id, INVOICE))

    def _select(self, query: InvoiceQuery) -> Select:
        opportunity = aliased(Opportunity)
        return (
            select(
                Invoice.id,
                Invoice.number,
                Invoice.fiscal_year,
                Invoice.state,
                Invoice.issue_date,
                Identity.display_name,
                opportunity.title,
                Invoice.total,
                PAID,
                RETURNED,
                _owner.display_name,
                Invoice.provisional_number,
            )
            .join(Identity, Identity.id == Invoice.identity_id)
            .outerjoin(opportunity, opportunity.id == Invoice.opportunity_id)
            .outerjoin(_owner, _owner.id == Invoice.owner_id)
            .where(and_(*_filters(query)))
        )

    def search(self, actor: Actor, query: InvoiceQuery, offset: int = 0, limit: int = 200) -> list[InvoiceRow]:
        """A page of the invoices the actor may see, sorted in SQL (drafts first by number). Reads only."""
        columns = SORT_COLUMNS.get(query.sort, SORT_COLUMNS["number"])
        order = [c.desc() if query.descending else c.asc() for c in columns]
        stmt = self._select(query).order_by(*order, Invoice.created_at.desc(), Invoice.id).offset(offset).limit(limit)
        with self._db.read(actor) as s:
            return [InvoiceRow(*row) for row in s.execute(with_customers(stmt))]

    def count(self, actor: Actor, query: InvoiceQuery) -> int:
        """How many invoices `search` would list. Reads only."""
        stmt = (
            select(func.count())
            .select_from(Invoice)
            .join(Identity, Identity.id == Invoice.identity_id)
            .where(and_(*_filters(query)))
        )
        with self._db.read(actor) as s:
            return s.scalar(with_customers(stmt))

    # --- drafts ----------------------------------------------------------------------
    def create(self, actor: Actor, draft: InvoiceDraft) -> InvoiceView:
        """A new draft invoice owned by the actor. Raises ValidationFailed/AccessDenied. Writes."""
        with self._db.write(actor) as s:
            identity = identity_for_document(s, draft.identity_id)
            invoice = Invoice(owner_id=default_owner(actor, identity), state=DocumentState.DRAFT)
            self._fill(s, invoice, draft)
            s.add(invoice)
            s.flush()
            return self._view(s, invoice)

    def update(self, actor: Actor, invoice_id: uuid.UUID, draft: InvoiceDraft) -> InvoiceView:
        """Replaces a draft's header and lines. Refuses an issued invoice (DocumentLocked),
        a stale form (ConcurrentChange), bad input (ValidationFailed). Writes."""
        with self._db.write(actor) as s:
            invoice = fetch(s, Invoice, invoice_id, INVOICE)
            _editable(invoice)
            check_version(invoice, draft.version)
            identity_for_document(s, draft.identity_id)
            invoice.updated_at = utcnow()  # lines replaced: the header's version moves too
            for line in load_lines(s, InvoiceLine, "invoice_id", invoice.id):
                s.delete(line)
            self._fill(s, invoice, draft)
            s.flush()
            return self._view(s, invoice)

    def delete(self, actor: Actor, invoice_id: uuid.UUID) -> None:
        """Moves a draft to the recycle bin; an issued invoice is refused (DocumentLocked). Writes."""
        with self._db.write(actor) as s:
            invoice = fetch(s, Invoice, invoice_id, INVOICE)
            _editable(invoice)
            invoice.deleted_at = utcnow()

    def _fill(self, s: Session, invoice: Invoice, draft: InvoiceDraft) -> None:
        errors = {}
        if draft.issue_date is None:
            errors["issue_date"] = "تاریخ صورتحساب را وارد کنید."
        if errors:
            raise ValidationFailed(errors)
        opportunity = opportunity_for_document(s, draft.opportunity_id, draft.identity_id)
        if draft.quote_id is not None:
            quote = fetch(s, Quote, draft.quote_id, "پیش‌فاکتور")
            if quote.identity_id != draft.identity_id:
                raise ValidationFailed({"identity_id": "مشتری صورتحساب با مشتری پیش‌فاکتور یکی نیست."})
        lines, totals = build_lines(s, draft.lines, draft.issue_date, InvoiceLine)
        invoice.identity_id = draft.identity_id
        invoice.opportunity_id = opportunity.id if opportunity is not None else None
        invoice.quote_id = draft.quote_id
        invoice.issue_date = draft.issue_date
        invoice.settlement = draft.settlement
        invoice.notes = clean_notes(draft.notes)
        apply_totals(invoice, totals)
        s.add(invoice)
        s.flush()
        for line in lines:
            line.invoice_id = invoice.id
            s.add(line)

    def from_quote(self, actor: Actor, quote_id: uuid.UUID) -> InvoiceView:
        """A draft invoice with an accepted quote's lines (or the quote's existing draft). Writes."""
        with self._db.write(actor) as s:
            quote = fetch(s, Quote, quote_id, "پیش‌فاکتور")
            if effective_state(quote.state, quote.valid_until) is not QuoteState.ACCEPTED:
                raise ServiceError("فقط از پیش‌فاکتور پذیرفته‌شده می‌توان صورتحساب ساخت.")
            existing = s.scalars(
                select(Invoice)
                .where(Invoice.quote_id == quote.id, Invoice.deleted_at.is_(None))
                .order_by(Invoice.state.desc())
                .execution_options(**{SKIP: True})
            ).all()
            if any(i.state is DocumentState.ISSUED for i in existing):
                raise ServiceError("برای این پیش‌فاکتور قبلاً صورتحساب صادر شده است.")
            if existing:
                return self._view(s, fetch(s, Invoice, existing[0].id, INVOICE))
            lines = [line_view(q).as_draft() for q in load_lines(s, QuoteLine, "quote_id", quote.id)]
            draft = InvoiceDraft(
                quote.identity_id, today(), lines, quote.opportunity_id, quote.settlement, quote.notes or "", quote.id
            )
            identity = identity_for_document(s, quote.identity_id)
            invoice = Invoice(owner_id=default_owner(actor, identity), state=DocumentState.DRAFT)
            self._fill(s, invoice, draft)
            s.flush()
            return self._view(s, invoice)

    def from_opportunity(self, actor: Actor, opportunity_id: uuid.UUID) -> InvoiceView:
        """A draft invoice with the opportunity's products copied. Writes."""
        with self._db.write(actor) as s:
            opportunity = fetch(s, Opportunity, opportunity_id, "فرصت")
            identity = identity_for_document(s, opportunity.identity_id)
            draft = InvoiceDraft(identity.id, today(), opportunity_lines(s, opportunity.id), opportunity.id)
            invoice = Invoice(owner_id=default_owner(actor, identity), state=DocumentState.DRAFT)
            self._fill(s, invoice, draft)
            s.flush()
            return self._view(s, invoice)

    # --- issuing ---------------------------------------------------------------------
    def issue(self, actor: Actor, invoice_id: uuid.UUID, version: int | None = None) -> InvoiceView:
        """Numbers and issues a draft: gapless per fiscal year, stock taken, buyer copied, identity
        becomes a customer; the invoice is immutable afterwards. Anyone who may edit the draft.
        Raises DocumentLocked (already issued), ValidationFailed, ConcurrentChange. Writes."""
        with self._db.write(actor) as s:
            invoice = fetch(s, Invoice, invoice_id, INVOICE)
            _editable(invoice)
            check_version(invoice, version)
            lines = load_lines(s, InvoiceLine, "invoice_id", invoice.id)
            if not lines:
                raise ValidationFailed({"lines": "صورتحساب بدون ردیف صادر نمی‌شود."})
            identity = identity_for_document(s, invoice.identity_id)
            self._copy_tax_fields(s, invoice, identity, lines)
            stock.reduce(s, lines)
            mark_customer(s, identity)
            view = self._view(s, invoice, lines, identity.display_name)  # its lookups before the lock
            year = fiscal_year(invoice.issue_date)
            code = sync_state.device_code(s)
            if code:  # a laptop: a provisional number; the office gives the legal one at sync
                invoice.provisional_number = provisional_numbers(s, code, 1)[0]
                number = None
            else:
                # Locked until COMMIT; refuses a date before the last issued invoice's (numbers follow dates).
                # Only the numbering's own writes follow the lock (tests/server/test_numbering_processes.py).
                number = numbering.next_number(s, numbering.INVOICE, year, invoice.issue_date)
            invoice.number, invoice.fiscal_year, invoice.issued_at = number, year, utcnow()
            DOCUMENT_FLOW.check(invoice.state, DocumentState.ISSUED)
            invoice.state = DocumentState.ISSUED  # the last change: nothing may follow it
            s.flush()
            stock.note_server_moves(s, lines)
            return replace(
                view,
                provisional_number=invoice.provisional_number,
                number=number,
                fiscal_year=year,
                state=invoice.state,
                issued_at=invoice.issued_at,
                buyer=_buyer(invoice),
                version=invoice.version,
            )

    def issue_many(self, actor: Actor, invoice_ids: list[uuid.UUID]) -> list[IssuedNumber]:
        """Issues several drafts in one transaction (all or none), numbered in date order (then in
        the given order). The same rules as `issue`; raises DocumentLocked, ValidationFailed
        (naming the draft at fault), NotFound/AccessDenied. Writes."""
        ids = list(dict.fromkeys(invoice_ids))
        if not ids:
            return []
        with self._db.write(actor) as s:
            found = {i.id: i for i in s.scalars(select(Invoice).where(Invoice.id.in_(ids)))}
            invoices = [found.get(i) or fetch(s, Invoice, i, INVOICE) for i in ids]  # fetch raises
            for invoice in invoices:
                if invoice.deleted_at is not None:
                    fetch(s, Invoice, invoice.id, INVOICE)
                _editable(invoice)
            all_lines = s.scalars(
                select(InvoiceLine)
                .where(InvoiceLine.invoice_id.in_(ids), InvoiceLine.deleted_at.is_(None))
                .order_by(InvoiceLine.position, InvoiceLine.id)
            ).all()
            lines_of: dict = {i: [] for i in ids}
            for line in all_lines:
                lines_of[line.invoice_id].append(line)
            identities: dict = {}
            products = _products(s, all_lines)
            for invoice in invoices:
                if not lines_of[invoice.id]:
                    name = identity_names(s, [invoice.identity_id]).get(invoice.identity_id, "")
                    raise ValidationFailed({"lines": f"پیش‌نویس صورتحساب «{name}» ردیف ندارد."})
                identity = identities.get(invoice.identity_id)
                if identity is None:
                    identity = identities[invoice.identity_id] = identity_for_document(s, invoice.identity_id)
                    mark_customer(s, identity)
                self._copy_tax_fields(s, invoice, identity, lines_of[invoice.id], products)
            stock.reduce(s, all_lines)
            invoices.sort(key=lambda inv: inv.issue_date)  # stable: the given order within a day
            by_year: dict[int, list[Invoice]] = {}
            for invoice in invoices:
                by_year.setdefault(fiscal_year(invoice.issue_date), []).append(invoice)
            now = utcnow()
            code = sync_state.device_code(s)
            for year, group in sorted(by_year.items()):
                if code:  # a laptop: provisional numbers (see `issue`)
                    for invoice, provisional in zip(group, provisional_numbers(s, code, len(group)), strict=True):
                        invoice.provisional_number = provisional
                    numbers: list[int | None] = [None] * len(group)
                else:
                    numbers = numbering.next_numbers(
                        s, numbering.INVOICE, year, len(group), [inv.issue_date for inv in group]
                    )
                for invoice, number in zip(group, numbers, strict=True):
                    invoice.number, invoice.fiscal_year, invoice.issued_at = number, year, now
                    DOCUMENT_FLOW.check(invoice.state, DocumentState.ISSUED)
                    invoice.state = DocumentState.ISSUED
            s.flush()
            stock.note_server_moves(s, all_lines)
            return [IssuedNumber(inv.id, inv.fiscal_year, inv.number, inv.provisional_number) for inv in invoices]

    def _copy_tax_fields(
        self, s: Session, invoice: Invoice, identity: Identity, lines: list[InvoiceLine], products: dict | None = None
    ) -> None:
        buyer = _buyers(s).get(identity.id) or _buyers(s).setdefault(identity.id, buyer_of(s, identity))
        invoice.buyer_type = buyer.buyer_type
        invoice.buyer_name = buyer.name[:300]
        invoice.buyer_national_id = buyer.national_id or None
        invoice.buyer_economic_code = buyer.economic_code or None
        invoice.buyer_registration_no = buyer.registration_no or None
        invoice.buyer_postal_code = buyer.postal_code or None
        invoice.buyer_address = buyer.address[:400] or None
        invoice.buyer_phone = buyer.phone or None
        if products is None:
            products = _products(s, lines)
        for line in lines:
            product = products.get(line.product_id)
            if product is not None:
                line.sstid, line.unit_code = product.sstid, product.unit_code

    # --- views -----------------------------------------------------------------------
    @staticmethod
    def _owner_name(s: Session, owner_id) -> str | None:
        actor = s.info.get("actor")
        if actor is not None and owner_id is not None and owner_id == actor.user_id:
            return actor.display_name
        return user_names(s, [owner_id]).get(owner_id)

    def _view(
        self, s: Session, invoice: Invoice, lines: list[InvoiceLine] | None = None, identity_name: str | None = None
    ) -> InvoiceView:
        """The view of `invoice`; `lines` and `identity_name` when the caller has them loaded already,
        which also means nothing was paid or returned yet (just issued)."""
        fresh = lines is not None
        if lines is None:
            lines = load_lines(s, InvoiceLine, "invoice_id", invoice.id)
        paid = returned = 0
        if not fresh:
            paid, returned = s.execute(
                select(paid_expr(invoice.id), returned_expr(invoice.id)).execution_options(**{SKIP: True})
            ).one()
        if identity_name is None:
            identity_name = identity_names(s, [invoice.identity_id]).get(invoice.identity_id, "")
        quote_number = price_list_id = None
        if invoice.quote_id is not None:
            quote = s.execute(
                select(Quote.number, Quote.price_list_id)
                .where(Quote.id == invoice.quote_id)
                .execution_options(**{SKIP: True})
            ).first()
            quote_number, price_list_id = quote if quote is not None else (None, None)
        if price_list_id is None and invoice.opportunity_id is not None:
            price_list_id = s.scalar(
                select(Opportunity.price_list_id)
                .where(Opportunity.id == invoice.opportunity_id)
                .execution_options(**{SKIP: True})
            )
        return InvoiceView(
            id=invoice.id,
            number=invoice.number,
            fiscal_year=invoice.fiscal_year,
            state=invoice.state,
            identity_id=invoice.identity_id,
            identity_name=identity_name,
            opportunity_id=invoice.opportunity_id,
            opportunity_title=opportunity_titles(s, [invoice.opportunity_id]).get(invoice.opportunity_id),
            quote_id=invoice.quote_id,
            quote_number=quote_number,
            issue_date=invoice.issue_date,
            settlement=invoice.settlement,
            notes=invoice.notes or "",
            lines=[line_view(line) for line in lines],
            totals=totals_of(invoice),
            paid=int(paid or 0),
            returned=int(returned or 0),
            issued_at=invoice.issued_at,
            buyer=_buyer(invoice),
            owner_id=invoice.owner_id,
            owner_name=self._owner_name(s, invoice.owner_id),
            version=invoice.version,
            price_list_id=price_list_id,
            provisional_number=invoice.provisional_number,
        )


def _buyer(invoice: Invoice) -> Buyer | None:
    """The buyer's details as copied when the invoice was issued (None for a draft)."""
    if invoice.state is not DocumentState.ISSUED:
        return None
    return Buyer(
        invoice.buyer_type,
        invoice.buyer_name or "",
        invoice.buyer_national_id or "",
        invoice.buyer_economic_code or "",
        invoice.buyer_registration_no or "",
        invoice.buyer_postal_code or "",
        invoice.buyer_address or "",
        invoice.buyer_phone or "",
    )


def _products(s: Session, lines) -> dict:
    ids = {line.product_id for line in lines if line.product_id is not None}
    return {p.id: p for p in s.scalars(select(Product).where(Product.id.in_(ids)))} if ids else {}


def _buyers(s: Session) -> dict:
    """Buyer copies made in this transaction, by identity (issuing many invoices of one customer)."""
    return s.info.setdefault("document_buyers", {})


def provisional_numbers(s: Session, device_code: str, count: int) -> list[str]:
    """«P-L3-7»…: the laptop's own invoice counter, one series for all years (fiscal year 0) since a
    provisional number stays on its invoice for good and must never repeat (also above the ones its
    invoices already carry: a laptop copied again gets them back from the office)."""
    prefix = f"P-{device_code}-"
    given = s.scalars(
        select(Invoice.provisional_number)
        .where(Invoice.provisional_number.startswith(prefix, autoescape=True))
        .execution_options(**{SKIP: True})
    )
    used = max((int(p.removeprefix(prefix)) for p in given if p.removeprefix(prefix).isdigit()), default=0)
    series = numbering.device_series(numbering.INVOICE, device_code)
    return [f"{prefix}{n}" for n in numbering.next_device_numbers(s, series, 0, count, used)]


@dataclass(frozen=True)
class IssuedNumber:
    id: uuid.UUID
    fiscal_year: int
    number: int | None  # None: issued on a laptop (provisional_number) until the office numbers it
    provisional_number: str | None = None


def opportunity_lines(s: Session, opportunity_id: uuid.UUID) -> list[LineDraft]:
    """The opportunity's products as document lines (the "issue quote/invoice" one-click copy)."""
    rows = s.scalars(
        select(OpportunityLine)
        .where(OpportunityLine.opportunity_id == opportunity_id, OpportunityLine.deleted_at.is_(None))
        .order_by(OpportunityLine.position, OpportunityLine.id)
    )
    return [
        LineDraft(
            description=row.description or "",
            quantity=row.quantity,
            unit_price=row.unit_price,
            discount=row.discount,
            product_id=row.product_id,
        )
        for row in rows
    ]

"""Quotes (پیش‌فاکتور): priced proposals, several per opportunity, numbered per fiscal year.

An accepted quote freezes the stock it names (computed in app.services.documents.stock) until an
invoice made from it is issued; accepting may also close its opportunity as won.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, aliased

from app.models import Identity, Invoice, Opportunity, OpportunityStatus, Quote, QuoteLine, User, utcnow
from app.models.enums import DocumentState, QuoteState, Settlement
from app.persian import fiscal_year
from app.services.core.access import SKIP, fetch, with_customers
from app.services.core.actor import Actor
from app.services.core.database import Database
from app.services.core.errors import ServiceError, ValidationFailed
from app.services.core.periods import DateFilter
from app.services.sync import state as sync_state

from . import numbering
from .common import (
    check_version,
    clean_notes,
    default_owner,
    identity_for_document,
    identity_names,
    opportunity_for_document,
    opportunity_titles,
    today,
    user_names,
)
from .doc_numbers import quote_number
from .invoices import opportunity_lines
from .lines import LineDraft, LineView, Totals, apply_totals, build_lines, line_view, load_lines, totals_of
from .list_filters import list_conditions
from .quote_state import EDITABLE, QUOTE_FLOW, effective_state, state_sql

QUOTE = "پیش‌فاکتور"
DEFAULT_VALIDITY_DAYS = 30
_owner = aliased(User)


@dataclass(frozen=True)
class QuoteDraft:
    identity_id: uuid.UUID | None
    issue_date: dt.date
    lines: list[LineDraft] = field(default_factory=list)
    valid_until: dt.date | None = None
    opportunity_id: uuid.UUID | None = None
    price_list_id: uuid.UUID | None = None
    settlement: Settlement = Settlement.CASH  # payment terms: cash / credit / both
    notes: str = ""
    version: int | None = None


@dataclass(frozen=True)
class QuoteView:
    id: uuid.UUID
    number: int
    fiscal_year: int
    state: QuoteState  # effective: a sent quote past its validity reads as expired
    identity_id: uuid.UUID
    identity_name: str
    opportunity_id: uuid.UUID | None
    opportunity_title: str | None
    price_list_id: uuid.UUID | None
    issue_date: dt.date
    valid_until: dt.date | None
    settlement: Settlement
    notes: str
    lines: list[LineView]
    totals: Totals
    invoice_id: uuid.UUID | None  # the invoice made from it (draft or issued), if any
    invoice_issued: bool
    owner_id: uuid.UUID | None
    owner_name: str | None
    version: int
    device_code: str = ""  # a laptop's quote: numbered in that laptop's own series

    @property
    def editable(self) -> bool:
        return self.state in EDITABLE

    @property
    def number_text(self) -> str:
        """«L3-12» for a laptop's quote, «12» for the office's."""
        return quote_number(self.number, self.device_code)

    def as_draft(self) -> QuoteDraft:
        return QuoteDraft(
            self.identity_id,
            self.issue_date,
            [line.as_draft() for line in self.lines],
            self.valid_until,
            self.opportunity_id,
            self.price_list_id,
            self.settlement,
            self.notes,
            self.version,
        )


@dataclass(frozen=True)
class QuoteQuery:
    text: str = ""
    state: QuoteState | None = None  # effective state
    identity_id: uuid.UUID | None = None
    opportunity_id: uuid.UUID | None = None
    owner_id: uuid.UUID | None = None
    period: DateFilter | None = None  # of the issue date
    sort: str = "number"
    descending: bool = True


@dataclass(frozen=True)
class QuoteRow:
    id: uuid.UUID
    number: int
    fiscal_year: int
    state: QuoteState
    issue_date: dt.date
    valid_until: dt.date | None
    identity_name: str
    opportunity_title: str | None
    total: int
    owner_name: str | None
    device_code: str = ""

    @property
    def number_text(self) -> str:
        return quote_number(self.number, self.device_code)


def _filters(query: QuoteQuery, state) -> list:
    equal = (
        (state, query.state.value if query.state is not None else None),
        (Quote.identity_id, query.identity_id),
        (Quote.opportunity_id, query.opportunity_id),
        (Quote.owner_id, query.owner_id),
    )
    return list_conditions(Quote, equal, query.text, dated=(Quote.issue_date, query.period), by_code=_by_code)


def _by_code(code: str):
    """«L3-12»: a laptop's quote."""
    device, _, number = code.rpartition("-")
    return and_(Quote.device_code == device, Quote.number == int(number))


class QuoteService:
    def __init__(self, db: Database) -> None:
        self._db = db

    # --- reading ---------------------------------------------------------------------
    def get(self, actor: Actor, quote_id: uuid.UUID) -> QuoteView:
        """One quote with its lines. Anyone who may see it; raises NotFound/AccessDenied. Reads only."""
        with self._db.read(actor) as s:
            return self._view(s, fetch(s, Quote, quote_id, QUOTE))

    def search(self, actor: Actor, query: QuoteQuery, offset: int = 0, limit: int = 200) -> list[QuoteRow]:
        """A page of the quotes the actor may see, newest number first by default. Reads only."""
        state = state_sql()
        sorts = {
            "number": (Quote.fiscal_year, Quote.number),
            "issue_date": (Quote.issue_date,),
            "valid_until": (Quote.valid_until,),
            "identity_name": (Identity.name_sort,),
            "total": (Quote.total,),
            "state": (state,),
        }
        columns = sorts.get(query.sort, sorts["number"])
        order = [c.desc() if query.descending else c.asc() for c in columns]
        opportunity = aliased(Opportunity)
        stmt = (
            select(
                Quote.id,
                Quote.number,
                Quote.fiscal_year,
                state,
                Quote.issue_date,
                Quote.valid_until,
                Identity.display_name,
                opportunity.title,
                Quote.total,
                _owner.display_name,
                Quote.device_code,
            )
            .join(Identity, Identity.id == Quote.identity_id)
            .outerjoin(opportunity, opportunity.id == Quote.opportunity_id)
            .outerjoin(_owner, _owner.id == Quote.owner_id)
            .where(and_(*_filters(query, state)))
            .order_by(*order, Quote.id)
            .offset(offset)
            .limit(limit)
        )
        with self._db.read(actor) as s:
            return [QuoteRow(r[0], r[1], r[2], QuoteState(r[3]), *r[4:]) for r in s.execute(with_customers(stmt))]

    def count(self, actor: Actor, query: QuoteQuery) -> int:
        """How many quotes `search` would list. Reads only."""
        stmt = (
            select(func.count())
            .select_from(Quote)
            .join(Identity, Identity.id == Quote.identity_id)
            .where(and_(*_filters(query, state_sql())))
        )
        with self._db.read(actor) as s:
            return s.scalar(with_customers(stmt))

    # --- writing ---------------------------------------------------------------------
    def create(self, actor: Actor, draft: QuoteDraft) -> QuoteView:
        """A new draft quote with the next quote number of its fiscal year. Raises ValidationFailed,
        AccessDenied (someone else's identity or opportunity). Writes."""
        with self._db.write(actor) as s:
            identity = identity_for_document(s, draft.identity_id)
            quote = Quote(owner_id=default_owner(actor, identity), state=QuoteState.DRAFT)
            self._fill(s, quote, draft)
            _number(s, quote)
            s.flush()
            return self._view(s, quote)

    def update(self, actor: Actor, quote_id: uuid.UUID, draft: QuoteDraft) -> QuoteView:
        """Replaces the header and lines of a quote that is not accepted. Raises ServiceError
        (accepted), ConcurrentChange (stale form), ValidationFailed. Writes."""
        with self._db.write(actor) as s:
            quote = fetch(s, Quote, quote_id, QUOTE)
            check_version(quote, draft.version)
            if effective_state(quote.state, quote.valid_until) not in EDITABLE:
                raise ServiceError("پیش‌فاکتور پذیرفته‌شده قابل ویرایش نیست؛ ابتدا آن را به پیش‌نویس برگردانید.")
            identity_for_document(s, draft.identity_id)
            quote.updated_at = utcnow()  # lines replaced: the header's version moves too
            for line in load_lines(s, QuoteLine, "quote_id", quote.id):
                s.delete(line)
            self._fill(s, quote, draft)
            s.flush()
            return self._view(s, quote)

    def delete(self, actor: Actor, quote_id: uuid.UUID) -> None:
        """Moves a quote to the recycle bin, unless an invoice was issued from it. Writes."""
        with self._db.write(actor) as s:
            quote = fetch(s, Quote, quote_id, QUOTE)
            if _invoice_of(s, quote.id)[1]:
                raise ServiceError("از این پیش‌فاکتور صورتحساب صادر شده و حذف نمی‌شود.")
            quote.deleted_at = utcnow()

    def set_state(
        self, actor: Actor, quote_id: uuid.UUID, state: QuoteState, close_opportunity: bool = False
    ) -> QuoteView:
        """Moves a quote (send, accept, reject, back to draft). Accepting freezes its stock and, with
        `close_opportunity`, marks its opportunity won today. Raises ServiceError for a move the
        state table refuses. Writes."""
        with self._db.write(actor) as s:
            quote = fetch(s, Quote, quote_id, QUOTE)
            current = effective_state(quote.state, quote.valid_until)
            QUOTE_FLOW.check(current, state)
            if current is QuoteState.ACCEPTED and _invoice_of(s, quote.id)[1]:
                raise ServiceError("از این پیش‌فاکتور صورتحساب صادر شده و پذیرش آن برگشت‌پذیر نیست.")
            quote.state = state
            if state is QuoteState.ACCEPTED and close_opportunity and quote.opportunity_id is not None:
                _close_won(s, quote)
            s.flush()
            return self._view(s, quote)

    def from_opportunity(self, actor: Actor, opportunity_id: uuid.UUID, issue_date: dt.date | None = None) -> QuoteView:
        """ "Issue quote" on an opportunity: a draft quote with its products copied. Writes."""
        with self._db.write(actor) as s:
            opportunity = fetch(s, Opportunity, opportunity_id, "فرصت")
            identity = identity_for_document(s, opportunity.identity_id)
            day = issue_date or today()
            lines = opportunity_lines(s, opportunity.id)
            if not lines:
                raise ValidationFailed({"lines": "این فرصت هنوز محصولی ندارد؛ محصولات را در فرصت وارد کنید."})
            draft = QuoteDraft(
                identity.id,
                day,
                lines,
                day + dt.timedelta(days=DEFAULT_VALIDITY_DAYS),
                opportunity.id,
                opportunity.price_list_id,
            )
            quote = Quote(owner_id=default_owner(actor, identity), state=QuoteState.DRAFT)
            self._fill(s, quote, draft)
            _number(s, quote)
            s.flush()
            return self._view(s, quote)

    def expire_overdue(self, actor: Actor, day: dt.date | None = None) -> int:
        """Writes "expired" on the actor's visible sent quotes past their validity; returns how many.
        (Reads already show them expired; this keeps the stored state in step.) Writes."""
        day = day or today()
        with self._db.write(actor) as s:
            stmt = select(Quote).where(
                Quote.state == QuoteState.SENT, Quote.valid_until < day, Quote.deleted_at.is_(None)
            )
            quotes = list(s.scalars(stmt))
            for quote in quotes:
                quote.state = QuoteState.EXPIRED
            return len(quotes)

    def _fill(self, s: Session, quote: Quote, draft: QuoteDraft) -> None:
        errors = {}
        if draft.issue_date is None:
            errors["issue_date"] = "تاریخ پیش‌فاکتور را وارد کنید."
        elif draft.valid_until is not None and draft.valid_until < draft.issue_date:
            errors["valid_until"] = "تاریخ اعتبار نمی‌تواند پیش از تاریخ پیش‌فاکتور باشد."
        if errors:
            raise ValidationFailed(errors)
        opportunity = opportunity_for_document(s, draft.opportunity_id, draft.identity_id)
        lines, totals = build_lines(s, draft.lines, draft.issue_date, QuoteLine)
        quote.identity_id = draft.identity_id
        quote.opportunity_id = opportunity.id if opportunity is not None else None
        quote.price_list_id = draft.price_list_id
        quote.issue_date, quote.valid_until = draft.issue_date, draft.valid_until
        quote.settlement = draft.settlement
        quote.notes = clean_notes(draft.notes)
        if quote.state is QuoteState.EXPIRED and (draft.valid_until is None or draft.valid_until >= today()):
            quote.state = QuoteState.DRAFT  # extended: it may be sent again
        apply_totals(quote, totals)
        s.add(quote)
        s.flush()
        for line in lines:
            line.quote_id = quote.id
            s.add(line)

    def _view(self, s: Session, quote: Quote) -> QuoteView:
        invoice_id, issued = _invoice_of(s, quote.id)
        return QuoteView(
            id=quote.id,
            number=quote.number,
            fiscal_year=quote.fiscal_year,
            state=effective_state(quote.state, quote.valid_until),
            identity_id=quote.identity_id,
            identity_name=identity_names(s, [quote.identity_id]).get(quote.identity_id, ""),
            opportunity_id=quote.opportunity_id,
            opportunity_title=opportunity_titles(s, [quote.opportunity_id]).get(quote.opportunity_id),
            price_list_id=quote.price_list_id,
            issue_date=quote.issue_date,
            valid_until=quote.valid_until,
            settlement=quote.settlement,
            notes=quote.notes or "",
            lines=[line_view(line) for line in load_lines(s, QuoteLine, "quote_id", quote.id)],
            totals=totals_of(quote),
            invoice_id=invoice_id,
            invoice_issued=issued,
            owner_id=quote.owner_id,
            owner_name=user_names(s, [quote.owner_id]).get(quote.owner_id),
            version=quote.version,
            device_code=quote.device_code or "",
        )


def _number(s: Session, quote: Quote) -> None:
    """The next quote number of its fiscal year: the office's series, or on a laptop its own
    ("quote@L3", printed «L3-12»), so a quote made offline never needs renumbering."""
    year = fiscal_year(quote.issue_date)
    code = sync_state.device_code(s) or ""
    if code:
        used = s.scalar(
            select(func.max(Quote.number))
            .where(Quote.device_code == code, Quote.fiscal_year == year)
            .execution_options(**{SKIP: True})
        )
        series = numbering.device_series(numbering.QUOTE, code)
        (number,) = numbering.next_device_numbers(s, series, year, 1, used or 0)
    else:
        number = numbering.next_number(s, numbering.QUOTE, year)
    quote.number, quote.fiscal_year, quote.device_code = number, year, code


def _invoice_of(s: Session, quote_id: uuid.UUID) -> tuple[uuid.UUID | None, bool]:
    """The invoice made from the quote (an issued one first) and whether it is issued."""
    row = s.execute(
        select(Invoice.id, Invoice.state)
        .where(Invoice.quote_id == quote_id, Invoice.deleted_at.is_(None))
        .order_by((Invoice.state == DocumentState.ISSUED).desc())
        .limit(1)
        .execution_options(**{SKIP: True})
    ).first()
    return (None, False) if row is None else (row[0], row[1] is DocumentState.ISSUED)


def _close_won(s: Session, quote: Quote) -> None:
    """Marks the quote's opportunity won today; already won, the last quote accepted sets the final
    amount (several quotes per deal, the one the customer finally took wins) and the date stays."""
    opportunity = fetch(s, Opportunity, quote.opportunity_id, "فرصت")
    if opportunity.status is not OpportunityStatus.WON:
        opportunity.status = OpportunityStatus.WON
        opportunity.closed_on = today()
    opportunity.won_amount = quote.total

"""Financial contracts (قرارداد مالی): draft -> signed; afterwards only the end date moves.

A draft's schedule may be incomplete; signing needs one summing to the contract's amount. Signing, in
one write transaction: the identity becomes a customer, then (as late as possible) the next number of
the fiscal year's «contract» series is taken from the locked counter. What a signed contract makes the
customer owe, and how moving its end date cancels instalments: contract_views.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, aliased

from app.models import ContractInstalment, ContractLine, Identity, Opportunity, Quote, QuoteLine, User, utcnow
from app.models.contract import Contract
from app.models.enums import DocumentState, QuoteState
from app.persian import fiscal_year, format_date
from app.persian import to_persian_digits as fa
from app.services.core.access import SKIP, fetch, with_customers
from app.services.core.actor import Actor
from app.services.core.database import Database
from app.services.core.document_guard import DOCUMENT_FLOW, DocumentLocked
from app.services.core.errors import ServiceError, ValidationFailed

from . import numbering
from .common import (
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
from .contract_views import (
    ContractDraft,
    ContractQuery,
    ContractRow,
    ContractView,
    InstalmentView,
    add_months,
    check_instalments,
    check_schedule,
    instalment_paid_expr,
)
from .invoices import opportunity_lines
from .lines import apply_totals, build_lines, line_view, load_lines, totals_of
from .list_filters import list_conditions
from .quote_state import effective_state

CONTRACT = "قرارداد"
_owner = aliased(User)
SORT_COLUMNS = {
    "number": (Contract.fiscal_year, Contract.number),
    "issue_date": (Contract.issue_date,),
    "identity_name": (Identity.name_sort,),
    "total": (Contract.total,),
    "end_date": (Contract.end_date,),
    "state": (Contract.state,),
}


def _editable(contract: Contract) -> None:
    if contract.state is DocumentState.ISSUED:
        raise DocumentLocked(CONTRACT)


def _filters(query: ContractQuery) -> list:
    equal = (
        (Contract.state, query.state),
        (Contract.identity_id, query.identity_id),
        (Contract.opportunity_id, query.opportunity_id),
    )
    return list_conditions(Contract, equal, query.text, dated=(Contract.issue_date, query.period))


def _instalments(s: Session, contract: Contract) -> list[InstalmentView]:
    stmt = (
        select(
            ContractInstalment.id,
            ContractInstalment.position,
            ContractInstalment.due_date,
            ContractInstalment.amount,
            instalment_paid_expr(ContractInstalment.id),
        )
        .where(ContractInstalment.contract_id == contract.id, ContractInstalment.deleted_at.is_(None))
        .order_by(ContractInstalment.position, ContractInstalment.due_date)
        .execution_options(**{SKIP: True})
    )
    signed = contract.state is DocumentState.ISSUED
    return [
        InstalmentView(i, position, due, amount, paid, signed and due <= contract.end_date)
        for i, position, due, amount, paid in s.execute(stmt)
    ]


class ContractService:
    def __init__(self, db: Database) -> None:
        self._db = db

    # --- reading ---------------------------------------------------------------------
    def get(self, actor: Actor, contract_id: uuid.UUID) -> ContractView:
        """One contract with its lines and instalments (paid, owed). Raises NotFound/AccessDenied. Reads only."""
        with self._db.read(actor) as s:
            return self._view(s, fetch(s, Contract, contract_id, CONTRACT))

    def search(self, actor: Actor, query: ContractQuery, offset: int = 0, limit: int = 200) -> list[ContractRow]:
        """A page of the contracts the actor may see, sorted in SQL. Reads only."""
        opportunity = aliased(Opportunity)
        columns = SORT_COLUMNS.get(query.sort, SORT_COLUMNS["number"])
        order = [c.desc() if query.descending else c.asc() for c in columns]
        stmt = (
            select(
                Contract.id,
                Contract.number,
                Contract.fiscal_year,
                Contract.state,
                Contract.issue_date,
                Identity.display_name,
                opportunity.title,
                Contract.start_date,
                Contract.end_date,
                Contract.total,
                _owner.display_name,
            )
            .join(Identity, Identity.id == Contract.identity_id)
            .outerjoin(opportunity, opportunity.id == Contract.opportunity_id)
            .outerjoin(_owner, _owner.id == Contract.owner_id)
            .where(and_(*_filters(query)))
            .order_by(*order, Contract.created_at.desc(), Contract.id)
            .offset(offset)
            .limit(limit)
        )
        with self._db.read(actor) as s:
            return [ContractRow(*row) for row in s.execute(with_customers(stmt))]

    def count(self, actor: Actor, query: ContractQuery) -> int:
        """How many contracts `search` would list. Reads only."""
        stmt = (
            select(func.count())
            .select_from(Contract)
            .join(Identity, Identity.id == Contract.identity_id)
            .where(and_(*_filters(query)))
        )
        with self._db.read(actor) as s:
            return s.scalar(with_customers(stmt))

    # --- drafts ----------------------------------------------------------------------
    def create(self, actor: Actor, draft: ContractDraft) -> ContractView:
        """A new draft contract owned by the actor. Raises ValidationFailed/AccessDenied. Writes."""
        with self._db.write(actor) as s:
            identity = identity_for_document(s, draft.identity_id)
            contract = Contract(owner_id=default_owner(actor, identity), state=DocumentState.DRAFT)
            self._fill(s, contract, draft)
            return self._view(s, contract)

    def update(self, actor: Actor, contract_id: uuid.UUID, draft: ContractDraft) -> ContractView:
        """Replaces a draft's header, lines and instalments. Refuses a signed contract (DocumentLocked),
        a stale form (ConcurrentChange), bad input (ValidationFailed). Writes."""
        with self._db.write(actor) as s:
            contract = fetch(s, Contract, contract_id, CONTRACT)
            _editable(contract)
            check_version(contract, draft.version)
            identity_for_document(s, draft.identity_id)
            contract.updated_at = utcnow()  # lines replaced: the header's version moves too
            for row in load_lines(s, ContractLine, "contract_id", contract.id):
                s.delete(row)
            for row in load_lines(s, ContractInstalment, "contract_id", contract.id):
                s.delete(row)
            self._fill(s, contract, draft)
            return self._view(s, contract)

    def from_opportunity(self, actor: Actor, opportunity_id: uuid.UUID) -> ContractView:
        """A draft contract for the opportunity: the lines of its accepted quote (the newest), else its own
        products; from today for a year, the schedule still to be made. Raises NotFound/AccessDenied. Writes."""
        with self._db.write(actor) as s:
            opportunity = fetch(s, Opportunity, opportunity_id, "فرصت")
            quotes = s.scalars(
                select(Quote)
                .where(Quote.opportunity_id == opportunity.id, Quote.deleted_at.is_(None))
                .order_by(Quote.issue_date.desc(), Quote.created_at.desc())
                .execution_options(**{SKIP: True})
            ).all()
            quote = next((q for q in quotes if effective_state(q.state, q.valid_until) is QuoteState.ACCEPTED), None)
            if quote is not None:
                lines = [line_view(q).as_draft() for q in load_lines(s, QuoteLine, "quote_id", quote.id)]
            else:
                lines = opportunity_lines(s, opportunity.id)
            return self._new_draft(s, actor, opportunity.identity_id, lines, opportunity.id, quote)

    def from_quote(self, actor: Actor, quote_id: uuid.UUID) -> ContractView:
        """A draft contract with an accepted quote's lines (or the quote's existing draft). Raises ServiceError
        (not accepted, or already signed for it), NotFound/AccessDenied. Writes."""
        with self._db.write(actor) as s:
            quote = fetch(s, Quote, quote_id, "پیش‌فاکتور")
            if effective_state(quote.state, quote.valid_until) is not QuoteState.ACCEPTED:
                raise ServiceError("فقط از پیش‌فاکتور پذیرفته‌شده می‌توان قرارداد ساخت.")
            existing = s.scalars(
                select(Contract)
                .where(Contract.quote_id == quote.id, Contract.deleted_at.is_(None))
                .execution_options(**{SKIP: True})
            ).all()
            if any(c.state is DocumentState.ISSUED for c in existing):
                raise ServiceError("برای این پیش‌فاکتور قبلاً قرارداد ثبت شده است.")
            if existing:
                return self._view(s, fetch(s, Contract, existing[0].id, CONTRACT))
            lines = [line_view(q).as_draft() for q in load_lines(s, QuoteLine, "quote_id", quote.id)]
            return self._new_draft(s, actor, quote.identity_id, lines, quote.opportunity_id, quote)

    def _new_draft(self, s: Session, actor: Actor, identity_id, lines, opportunity_id, quote) -> ContractView:
        """A draft from today for a year, the schedule still to be made."""
        identity = identity_for_document(s, identity_id)
        start = today()
        end = add_months(start, 12) - dt.timedelta(days=1)
        notes = (quote.notes or "") if quote is not None else ""
        draft = ContractDraft(identity.id, start, start, end, lines, [], opportunity_id, notes, quote and quote.id)
        contract = Contract(owner_id=default_owner(actor, identity), state=DocumentState.DRAFT)
        self._fill(s, contract, draft)
        return self._view(s, contract)

    def delete(self, actor: Actor, contract_id: uuid.UUID) -> None:
        """Moves a draft to the recycle bin; a signed contract is refused (DocumentLocked). Writes."""
        with self._db.write(actor) as s:
            contract = fetch(s, Contract, contract_id, CONTRACT)
            _editable(contract)
            contract.deleted_at = utcnow()

    def _fill(self, s: Session, contract: Contract, draft: ContractDraft) -> None:
        errors: dict[str, str] = {}
        for name, value in (("issue_date", draft.issue_date), ("start_date", draft.start_date)):
            if value is None:
                errors[name] = "تاریخ را وارد کنید."
        if draft.end_date is None:
            errors["end_date"] = "تاریخ پایان را وارد کنید."
        elif draft.start_date is not None and draft.end_date < draft.start_date:
            errors["end_date"] = "تاریخ پایان نمی‌تواند پیش از تاریخ شروع باشد."
        if errors:
            raise ValidationFailed(errors)
        opportunity = opportunity_for_document(s, draft.opportunity_id, draft.identity_id)
        if draft.quote_id is not None and fetch(s, Quote, draft.quote_id, "پیش‌فاکتور").identity_id != draft.identity_id:
            raise ValidationFailed({"identity_id": "مشتری قرارداد با مشتری پیش‌فاکتور یکی نیست."})
        lines, totals = build_lines(s, draft.lines, draft.issue_date, ContractLine)
        check_instalments(draft)
        contract.identity_id = draft.identity_id
        contract.opportunity_id = opportunity.id if opportunity is not None else None
        contract.quote_id = draft.quote_id
        contract.issue_date, contract.start_date, contract.end_date = draft.issue_date, draft.start_date, draft.end_date
        contract.notes = clean_notes(draft.notes)
        apply_totals(contract, totals)
        s.add(contract)
        s.flush()
        for line in lines:
            line.contract_id = contract.id
            s.add(line)
        ordered = sorted(draft.instalments, key=lambda i: i.due_date)
        for position, instalment in enumerate(ordered):
            s.add(
                ContractInstalment(
                    contract_id=contract.id, position=position, due_date=instalment.due_date, amount=instalment.amount
                )
            )
        s.flush()

    # --- signing and cancelling --------------------------------------------------------
    def sign(self, actor: Actor, contract_id: uuid.UUID, version: int | None = None) -> ContractView:
        """Numbers and signs a draft (gapless per fiscal year); the identity becomes a customer and owes
        its instalments. Raises DocumentLocked (already signed), ValidationFailed, ConcurrentChange. Writes."""
        with self._db.write(actor) as s:
            contract = fetch(s, Contract, contract_id, CONTRACT)
            _editable(contract)
            check_version(contract, version)
            check_schedule(load_lines(s, ContractInstalment, "contract_id", contract.id), contract.total)
            mark_customer(s, identity_for_document(s, contract.identity_id))
            year = fiscal_year(contract.issue_date)
            number = numbering.next_number(s, numbering.CONTRACT, year, contract.issue_date)
            contract.number, contract.fiscal_year, contract.issued_at = number, year, utcnow()
            DOCUMENT_FLOW.check(contract.state, DocumentState.ISSUED)
            contract.state = DocumentState.ISSUED
            s.flush()
            return self._view(s, contract)

    def change_end_date(
        self, actor: Actor, contract_id: uuid.UUID, end_date: dt.date, version: int | None = None
    ) -> ContractView:
        """Moves a signed contract's end date: earlier cancels the instalments due after it (no longer owed),
        later owes them again. Refused before the start date or before an instalment that has received
        money (ValidationFailed on "end_date"); ConcurrentChange, AccessDenied. Writes."""
        with self._db.write(actor) as s:
            contract = fetch(s, Contract, contract_id, CONTRACT)
            check_version(contract, version)
            if contract.state is not DocumentState.ISSUED:
                raise ServiceError("تاریخ پایان پیش‌نویس را در فرم قرارداد تغییر دهید.")
            if end_date is None or end_date < contract.start_date:
                raise ValidationFailed({"end_date": "تاریخ پایان نمی‌تواند پیش از تاریخ شروع باشد."})
            for instalment in _instalments(s, contract):
                if instalment.due_date > end_date and instalment.paid > 0:
                    when = format_date(instalment.due_date)
                    message = (
                        f"از قسط {fa(str(instalment.position + 1))} (سررسید {when}) مبلغی دریافت شده و لغو نمی‌شود."
                    )
                    raise ValidationFailed({"end_date": message})
            contract.end_date = end_date
            s.flush()
            return self._view(s, contract)

    def _view(self, s: Session, contract: Contract) -> ContractView:
        lines = load_lines(s, ContractLine, "contract_id", contract.id)
        return ContractView(
            id=contract.id,
            number=contract.number,
            fiscal_year=contract.fiscal_year,
            state=contract.state,
            identity_id=contract.identity_id,
            identity_name=identity_names(s, [contract.identity_id]).get(contract.identity_id, ""),
            opportunity_id=contract.opportunity_id,
            opportunity_title=opportunity_titles(s, [contract.opportunity_id]).get(contract.opportunity_id),
            quote_id=contract.quote_id,
            issue_date=contract.issue_date,
            start_date=contract.start_date,
            end_date=contract.end_date,
            notes=contract.notes or "",
            lines=[line_view(line) for line in lines],
            instalments=_instalments(s, contract),
            totals=totals_of(contract),
            issued_at=contract.issued_at,
            owner_id=contract.owner_id,
            owner_name=user_names(s, [contract.owner_id]).get(contract.owner_id),
            version=contract.version,
        )

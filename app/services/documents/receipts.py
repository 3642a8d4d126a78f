"""Receipts (دریافت: money in) and payments (پرداخت: money out, e.g. a refund after a return).

A receipt may be split over several issued invoices and contract instalments of its customer (partial
and split payments; instalments in contract_payments); an invoice reads paid / partly paid / unpaid
from these allocations. Receipts and payments are
numbered per fiscal year in a series each; unlike invoices they may be corrected or deleted.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from sqlalchemy import BigInteger, and_, cast, func, select
from sqlalchemy.orm import Session, aliased

from app.models import Identity, Invoice, Receipt, ReceiptAllocation, SalesReturn, User, utcnow
from app.models.enums import ChequeState, DocumentState, MoneyDirection, PaymentMethod
from app.persian import ValidationError, fiscal_year, format_money, normalize_text, to_ascii_digits
from app.persian import to_persian_digits as fa
from app.services.core.access import SKIP, fetch, with_customers
from app.services.core.actor import Actor
from app.services.core.database import Database
from app.services.core.errors import ValidationFailed
from app.services.core.periods import DateFilter

from . import cheques, contract_payments, numbering
from .common import (
    check_version,
    clean_notes,
    default_owner,
    identity_for_document,
    identity_names,
    opportunity_for_document,
    opportunity_titles,
    user_names,
)
from .contract_payments import InstalmentAllocationView, InstalmentShare
from .doc_numbers import invoice_number
from .invoice_views import paid_expr, returned_expr
from .list_filters import list_conditions

RECEIPT = "دریافت"
MAX_AMOUNT = 10**17
_owner = aliased(User)


@dataclass(frozen=True)
class Allocation:
    invoice_id: uuid.UUID
    amount: int


@dataclass(frozen=True)
class ReceiptDraft:
    identity_id: uuid.UUID | None
    amount: int
    received_on: dt.date
    method: PaymentMethod
    direction: MoneyDirection = MoneyDirection.IN
    reference: str = ""
    cheque_number: str = ""
    cheque_bank: str = ""
    cheque_due: dt.date | None = None
    cheque_sayad: str = ""  # شناسه صیادی: required on a new cheque
    cheque_branch: str = ""
    opportunity_id: uuid.UUID | None = None
    sales_return_id: uuid.UUID | None = None  # a refund paying back a return
    notes: str = ""
    allocations: list[Allocation] = field(default_factory=list)
    version: int | None = None
    instalments: list[InstalmentShare] = field(default_factory=list)  # contract instalments it pays


@dataclass(frozen=True)
class AllocationView:
    invoice_id: uuid.UUID
    invoice_number: int | None
    invoice_fiscal_year: int | None
    amount: int


@dataclass(frozen=True)
class ReceiptView:
    id: uuid.UUID
    number: int
    fiscal_year: int
    direction: MoneyDirection
    identity_id: uuid.UUID
    identity_name: str
    opportunity_id: uuid.UUID | None
    opportunity_title: str | None
    amount: int
    received_on: dt.date
    method: PaymentMethod
    reference: str
    cheque_number: str
    cheque_bank: str
    cheque_due: dt.date | None
    cheque_sayad: str
    cheque_branch: str
    cheque_state: ChequeState | None  # received cheques only
    sales_return_id: uuid.UUID | None
    sales_return_number: int | None  # the return a payment settles
    sales_return_date: dt.date | None
    notes: str
    allocations: list[AllocationView]
    owner_id: uuid.UUID | None
    owner_name: str | None
    version: int
    instalments: list[InstalmentAllocationView] = field(default_factory=list)

    @property
    def unallocated(self) -> int:
        return self.amount - sum(a.amount for a in self.allocations) - sum(i.amount for i in self.instalments)

    def as_draft(self) -> ReceiptDraft:
        return ReceiptDraft(
            self.identity_id,
            self.amount,
            self.received_on,
            self.method,
            self.direction,
            self.reference,
            self.cheque_number,
            self.cheque_bank,
            self.cheque_due,
            self.cheque_sayad,
            self.cheque_branch,
            self.opportunity_id,
            self.sales_return_id,
            self.notes,
            [Allocation(a.invoice_id, a.amount) for a in self.allocations],
            self.version,
            [InstalmentShare(i.instalment_id, i.amount) for i in self.instalments],
        )


@dataclass(frozen=True)
class ReceiptQuery:
    text: str = ""
    direction: MoneyDirection | None = None
    method: PaymentMethod | None = None
    identity_id: uuid.UUID | None = None
    opportunity_id: uuid.UUID | None = None
    cheque_states: tuple[ChequeState, ...] = ()  # received cheques in these states only
    period: DateFilter | None = None  # of the day received or paid
    sort: str = "received_on"
    descending: bool = True


@dataclass(frozen=True)
class ReceiptRow:
    id: uuid.UUID
    number: int
    fiscal_year: int
    direction: MoneyDirection
    received_on: dt.date
    identity_name: str
    amount: int
    method: PaymentMethod
    reference: str | None
    owner_name: str | None
    cheque_due: dt.date | None = None
    cheque_state: ChequeState | None = None


@dataclass(frozen=True)
class OpenInvoice:
    """An issued invoice of the customer with money still due (for allocating a receipt)."""

    id: uuid.UUID
    number: int
    fiscal_year: int
    issue_date: dt.date
    total: int
    paid: int  # by other receipts
    returned: int
    provisional_number: str | None = None  # issued on a laptop, not yet numbered by the office

    @property
    def number_text(self) -> str:
        return invoice_number(self.number, self.provisional_number)

    @property
    def due(self) -> int:
        return max(self.total - self.returned - self.paid, 0)


def _filters(query: ReceiptQuery) -> list:
    equal = (
        (Receipt.direction, query.direction),
        (Receipt.method, query.method),
        (Receipt.identity_id, query.identity_id),
        (Receipt.opportunity_id, query.opportunity_id),
    )

    def by_number(digits: str):  # digits also find the bank reference (a transfer's tracking number)
        return (Receipt.number == int(digits)) | (Receipt.reference == digits)

    conditions = list_conditions(Receipt, equal, query.text, by_number, (Receipt.received_on, query.period))
    if query.cheque_states:
        conditions.append(Receipt.cheque_state.in_(query.cheque_states))
    return conditions


def _open_invoices(s: Session, identity_id: uuid.UUID, receipt_id: uuid.UUID | None) -> list[OpenInvoice]:
    paid = paid_expr(Invoice.id)
    if receipt_id is not None:  # the receipt being edited: its own allocations are free again
        own = (
            select(cast(func.coalesce(func.sum(ReceiptAllocation.amount), 0), BigInteger))
            .join(Receipt, Receipt.id == ReceiptAllocation.receipt_id)
            .where(
                ReceiptAllocation.invoice_id == Invoice.id,
                ReceiptAllocation.receipt_id == receipt_id,
                ReceiptAllocation.deleted_at.is_(None),
                cheques.counts_as_paid(Receipt.__table__),  # a bounced cheque's are not in `paid` to free
            )
            .scalar_subquery()
        )
        paid = paid - own
    stmt = (
        select(
            Invoice.id,
            Invoice.number,
            Invoice.fiscal_year,
            Invoice.issue_date,
            Invoice.total,
            paid,
            returned_expr(Invoice.id),
            Invoice.provisional_number,
        )
        .where(
            Invoice.identity_id == identity_id,
            Invoice.state == DocumentState.ISSUED,
            Invoice.deleted_at.is_(None),
        )
        .order_by(Invoice.issue_date, Invoice.fiscal_year, Invoice.number)
        .execution_options(**{SKIP: True})
    )
    return [OpenInvoice(*row) for row in s.execute(stmt)]


class ReceiptService:
    def __init__(self, db: Database) -> None:
        self._db = db

    # --- reading ---------------------------------------------------------------------
    def get(self, actor: Actor, receipt_id: uuid.UUID) -> ReceiptView:
        """One receipt or payment with its allocations. Raises NotFound/AccessDenied. Reads only."""
        with self._db.read(actor) as s:
            return self._view(s, fetch(s, Receipt, receipt_id, RECEIPT))

    def search(self, actor: Actor, query: ReceiptQuery, offset: int = 0, limit: int = 200) -> list[ReceiptRow]:
        """A page of the receipts and payments the actor may see. Reads only."""
        sorts = {
            "number": (Receipt.fiscal_year, Receipt.number),
            "received_on": (Receipt.received_on, Receipt.number),
            "identity_name": (Identity.name_sort,),
            "amount": (Receipt.amount,),
            "method": (Receipt.method,),
            "cheque_due": (Receipt.cheque_due, Receipt.number),
        }
        order = [c.desc() if query.descending else c.asc() for c in sorts.get(query.sort, sorts["received_on"])]
        stmt = (
            select(
                Receipt.id,
                Receipt.number,
                Receipt.fiscal_year,
                Receipt.direction,
                Receipt.received_on,
                Identity.display_name,
                Receipt.amount,
                Receipt.method,
                Receipt.reference,
                _owner.display_name,
                Receipt.cheque_due,
                Receipt.cheque_state,
            )
            .join(Identity, Identity.id == Receipt.identity_id)
            .outerjoin(_owner, _owner.id == Receipt.owner_id)
            .where(and_(*_filters(query)))
            .order_by(*order, Receipt.id)
            .offset(offset)
            .limit(limit)
        )
        with self._db.read(actor) as s:
            return [ReceiptRow(*row) for row in s.execute(with_customers(stmt))]

    def count(self, actor: Actor, query: ReceiptQuery) -> int:
        """How many rows `search` would list. Reads only."""
        stmt = (
            select(func.count())
            .select_from(Receipt)
            .join(Identity, Identity.id == Receipt.identity_id)
            .where(and_(*_filters(query)))
        )
        with self._db.read(actor) as s:
            return s.scalar(with_customers(stmt))

    def open_invoices(
        self, actor: Actor, identity_id: uuid.UUID, receipt_id: uuid.UUID | None = None
    ) -> list[OpenInvoice]:
        """The identity's issued invoices with what is still due, oldest first (for allocation).
        Raises NotFound/AccessDenied for an identity the actor may not see. Reads only."""
        with self._db.read(actor) as s:
            fetch(s, Identity, identity_id, "هویت")
            return _open_invoices(s, identity_id, receipt_id)

    # --- writing ---------------------------------------------------------------------
    def create(self, actor: Actor, draft: ReceiptDraft) -> ReceiptView:
        """Records a receipt (or payment) with the next number of its series. Raises ValidationFailed,
        AccessDenied. Writes."""
        with self._db.write(actor) as s:
            identity = identity_for_document(s, draft.identity_id)
            receipt = Receipt(owner_id=default_owner(actor, identity), direction=draft.direction)
            self._fill(s, receipt, draft)
            series = numbering.RECEIPT if draft.direction is MoneyDirection.IN else numbering.PAYMENT
            year = fiscal_year(draft.received_on)
            receipt.number, receipt.fiscal_year = numbering.next_number(s, series, year), year
            s.add(receipt)
            s.flush()
            self._allocate(s, receipt, draft)
            return self._view(s, receipt)

    def update(self, actor: Actor, receipt_id: uuid.UUID, draft: ReceiptDraft) -> ReceiptView:
        """Corrects a receipt (its number and direction stay). Raises ValidationFailed,
        ConcurrentChange, AccessDenied. Writes."""
        with self._db.write(actor) as s:
            receipt = fetch(s, Receipt, receipt_id, RECEIPT)
            check_version(receipt, draft.version)
            if draft.direction is not receipt.direction:
                raise ValidationFailed({"direction": "نوع سند (دریافت/پرداخت) پس از ثبت عوض نمی‌شود."})
            identity_for_document(s, draft.identity_id)
            self._fill(s, receipt, draft)
            s.flush()
            self._allocate(s, receipt, draft)
            return self._view(s, receipt)

    def move_cheque(
        self, actor: Actor, receipt_id: uuid.UUID, state: ChequeState, version: int | None = None
    ) -> ReceiptView:
        """Moves a received cheque along CHEQUE_FLOW (deposited, cleared, bounced, returned). Raises
        TransitionRefused, ValidationFailed (not a received cheque), ConcurrentChange, AccessDenied. Writes."""
        with self._db.write(actor) as s:
            receipt = fetch(s, Receipt, receipt_id, RECEIPT)
            check_version(receipt, version)
            if receipt.cheque_state is None:
                raise ValidationFailed({"cheque_state": "این سند چک دریافتی نیست."})
            cheques.CHEQUE_FLOW.check(receipt.cheque_state, state)
            if receipt.cheque_state in cheques.UNPAID and state not in cheques.UNPAID:
                self._check_still_due(s, receipt)
            receipt.cheque_state = state
            s.flush()
            return self._view(s, receipt)

    @staticmethod
    def _check_still_due(s: Session, receipt: Receipt) -> None:
        """A bounced cheque deposited again pays its invoices and instalments again: refused if another
        receipt has settled one of them meanwhile (the user corrects this receipt's allocations first)."""
        contract_payments.check_still_due(s, receipt)
        dues = {i.id: i for i in _open_invoices(s, receipt.identity_id, None)}
        for invoice_id, amount in s.execute(
            select(ReceiptAllocation.invoice_id, ReceiptAllocation.amount).where(
                ReceiptAllocation.receipt_id == receipt.id, ReceiptAllocation.deleted_at.is_(None)
            )
        ):
            invoice = dues.get(invoice_id)
            if invoice is None or amount > invoice.due:
                number = fa(str(fetch(s, Invoice, invoice_id, "صورتحساب").number))
                message = f"صورتحساب {number} در این فاصله تسویه شده است؛ ابتدا تخصیص این دریافت را اصلاح کنید."
                raise ValidationFailed({"cheque_state": message})

    def cheques_due(self, actor: Actor, until: dt.date | None = None, limit: int = 500) -> list[cheques.ChequeRow]:
        """Received cheques still to be collected that the actor may see, due by `until` (all if None),
        nearest due first. Reads only."""
        stmt = cheques.due_select(until).limit(limit)
        with self._db.read(actor) as s:
            return [cheques.ChequeRow(*row) for row in s.execute(with_customers(stmt))]

    def delete(self, actor: Actor, receipt_id: uuid.UUID) -> None:
        """Moves a receipt to the recycle bin; its invoices read unpaid again. Writes."""
        with self._db.write(actor) as s:
            fetch(s, Receipt, receipt_id, RECEIPT).deleted_at = utcnow()

    def _fill(self, s: Session, receipt: Receipt, draft: ReceiptDraft) -> None:
        errors: dict[str, str] = {}
        sayad = ""
        if isinstance(draft.amount, bool) or not isinstance(draft.amount, int) or draft.amount <= 0:
            errors["amount"] = "مبلغ باید بیشتر از صفر باشد."
        elif draft.amount >= MAX_AMOUNT:
            errors["amount"] = "مبلغ بیش از حد بزرگ است."
        if draft.received_on is None:
            errors["received_on"] = "تاریخ را وارد کنید."
        if draft.method is PaymentMethod.CHEQUE:
            if not draft.cheque_number.strip():
                errors["cheque_number"] = "شماره چک را وارد کنید."
            if not draft.cheque_bank.strip():
                errors["cheque_bank"] = "بانک چک را وارد کنید."
            if draft.cheque_due is None:
                errors["cheque_due"] = "تاریخ سررسید چک را وارد کنید."
            try:
                sayad = self._sayad(s, receipt, draft)
            except ValidationError as exc:
                errors["cheque_sayad"] = exc.message
        if (draft.allocations or draft.instalments) and draft.direction is MoneyDirection.OUT:
            errors["allocations"] = "پرداخت به مشتری به صورتحساب تخصیص داده نمی‌شود."
        if draft.sales_return_id is not None:
            if draft.direction is not MoneyDirection.OUT:
                errors["sales_return_id"] = "فقط پرداخت (استرداد وجه) به برگشت از فروش مربوط می‌شود."
            else:
                ret = fetch(s, SalesReturn, draft.sales_return_id, "برگشت از فروش")
                if ret.state is not DocumentState.ISSUED or ret.identity_id != draft.identity_id:
                    errors["sales_return_id"] = "برگشت از فروش باید صادرشده و از همین مشتری باشد."
                elif not errors.get("amount") and draft.amount > ret.total:
                    errors["amount"] = f"استرداد بیش از مبلغ برگشت ({format_money(ret.total)}) است."
        if errors:
            raise ValidationFailed(errors)
        opportunity = opportunity_for_document(s, draft.opportunity_id, draft.identity_id)
        cheque = draft.method is PaymentMethod.CHEQUE
        receipt.identity_id = draft.identity_id
        receipt.opportunity_id = opportunity.id if opportunity is not None else None
        receipt.amount, receipt.received_on, receipt.method = draft.amount, draft.received_on, draft.method
        receipt.reference = normalize_text(to_ascii_digits(draft.reference))[:100] or None
        receipt.cheque_number = (to_ascii_digits(draft.cheque_number).strip()[:30] or None) if cheque else None
        receipt.cheque_bank = (normalize_text(draft.cheque_bank)[:100] or None) if cheque else None
        receipt.cheque_due = draft.cheque_due if cheque else None
        receipt.cheque_sayad = (sayad or None) if cheque else None
        receipt.cheque_branch = (normalize_text(draft.cheque_branch)[:100] or None) if cheque else None
        receipt.cheque_state = cheques.first_state(draft.direction, draft.method, receipt.cheque_state)
        receipt.sales_return_id = draft.sales_return_id
        receipt.notes = clean_notes(draft.notes)

    @staticmethod
    def _sayad(s: Session, receipt: Receipt, draft: ReceiptDraft) -> str:
        """The cheque's Sayad id to store; raises ValidationError. A cheque recorded before the field
        existed may stay without one; a new cheque needs it, and one cheque is recorded once."""
        legacy = receipt.id is not None and receipt.method is PaymentMethod.CHEQUE and not receipt.cheque_sayad
        if legacy and not draft.cheque_sayad.strip():
            return ""
        sayad = cheques.sayad_id(draft.cheque_sayad)
        twin = select(Receipt.id).where(
            Receipt.cheque_sayad == sayad, Receipt.deleted_at.is_(None), Receipt.direction == draft.direction
        )
        if receipt.id is not None:
            twin = twin.where(Receipt.id != receipt.id)
        if s.scalar(twin.limit(1).execution_options(**{SKIP: True})) is not None:
            raise ValidationError("چکی با این شناسه صیادی قبلاً ثبت شده است.")
        return sayad

    def _allocate(self, s: Session, receipt: Receipt, draft: ReceiptDraft) -> None:
        """Replaces the receipt's allocations to invoices and instalments; each within its due, all within
        the amount."""
        existing = s.scalars(
            select(ReceiptAllocation).where(
                ReceiptAllocation.receipt_id == receipt.id, ReceiptAllocation.deleted_at.is_(None)
            )
        ).all()
        for old in existing:
            s.delete(old)
        s.flush()
        total, errors = contract_payments.allocate(s, receipt, draft.instalments)
        open_by_id = {o.id: o for o in _open_invoices(s, receipt.identity_id, receipt.id)} if draft.allocations else {}
        for i, allocation in enumerate(draft.allocations):
            invoice = open_by_id.get(allocation.invoice_id)
            if invoice is None:
                fetch(s, Invoice, allocation.invoice_id, "صورتحساب")  # AccessDenied/NotFound first
                errors[f"allocations.{i}"] = "فقط صورتحساب صادرشده همین مشتری را می‌توان تسویه کرد."
            elif not isinstance(allocation.amount, int) or allocation.amount <= 0:
                errors[f"allocations.{i}"] = "مبلغ تخصیص باید بیشتر از صفر باشد."
            elif allocation.amount > invoice.due:
                errors[f"allocations.{i}"] = f"مانده این صورتحساب {format_money(invoice.due)} است."
            else:
                total += allocation.amount
                s.add(ReceiptAllocation(receipt_id=receipt.id, invoice_id=invoice.id, amount=allocation.amount))
        if not errors and total > receipt.amount:
            errors["allocations"] = "جمع تخصیص‌ها از مبلغ دریافت بیشتر است."
        if errors:
            raise ValidationFailed(errors)
        s.flush()

    def _view(self, s: Session, receipt: Receipt) -> ReceiptView:
        rows = s.execute(
            select(Invoice.id, Invoice.number, Invoice.fiscal_year, ReceiptAllocation.amount)
            .join(Invoice, Invoice.id == ReceiptAllocation.invoice_id)
            .where(ReceiptAllocation.receipt_id == receipt.id, ReceiptAllocation.deleted_at.is_(None))
            .order_by(Invoice.fiscal_year, Invoice.number)
            .execution_options(**{SKIP: True})
        )
        settled = None
        if receipt.sales_return_id is not None:
            settled = s.get(SalesReturn, receipt.sales_return_id, execution_options={SKIP: True})
        return ReceiptView(
            id=receipt.id,
            number=receipt.number,
            fiscal_year=receipt.fiscal_year,
            direction=receipt.direction,
            identity_id=receipt.identity_id,
            identity_name=identity_names(s, [receipt.identity_id]).get(receipt.identity_id, ""),
            opportunity_id=receipt.opportunity_id,
            opportunity_title=opportunity_titles(s, [receipt.opportunity_id]).get(receipt.opportunity_id),
            amount=receipt.amount,
            received_on=receipt.received_on,
            method=receipt.method,
            reference=receipt.reference or "",
            cheque_number=receipt.cheque_number or "",
            cheque_bank=receipt.cheque_bank or "",
            cheque_due=receipt.cheque_due,
            cheque_sayad=receipt.cheque_sayad or "",
            cheque_branch=receipt.cheque_branch or "",
            cheque_state=receipt.cheque_state,
            sales_return_id=receipt.sales_return_id,
            sales_return_number=settled.number if settled else None,
            sales_return_date=settled.issue_date if settled else None,
            notes=receipt.notes or "",
            allocations=[AllocationView(*row) for row in rows],
            owner_id=receipt.owner_id,
            owner_name=user_names(s, [receipt.owner_id]).get(receipt.owner_id),
            version=receipt.version,
            instalments=contract_payments.allocation_views(s, receipt.id),
        )

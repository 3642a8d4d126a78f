"""Invoice dataclasses and the SQL of paid / returned amounts and the payment status.

Paid amounts are sums over every user's receipts: the subqueries use the tables, not the mapped
classes, so the access policy (which filters mapped entities) limits which invoices a user sees,
never how much of a visible invoice has been paid.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from sqlalchemy import BigInteger, ColumnElement, case, cast, func, select

from app.models import Invoice, Receipt, ReceiptAllocation, SalesReturn
from app.models.enums import DocumentState, MoneyDirection, PaymentStatus, Settlement
from app.services.core.periods import DateFilter

from .cheques import counts_as_paid
from .common import Buyer
from .doc_numbers import invoice_number
from .lines import LineDraft, LineView, Totals

_allocation = ReceiptAllocation.__table__
_receipt = Receipt.__table__
_return = SalesReturn.__table__


def paid_expr(invoice_id: ColumnElement) -> ColumnElement[int]:
    """Σ allocations of live receipts (money in) to the invoice; a bounced or returned cheque pays nothing."""
    return (
        select(cast(func.coalesce(func.sum(_allocation.c.amount), 0), BigInteger))
        .select_from(_allocation.join(_receipt, _receipt.c.id == _allocation.c.receipt_id))
        .where(
            _allocation.c.invoice_id == invoice_id,
            _allocation.c.deleted_at.is_(None),
            _receipt.c.deleted_at.is_(None),
            _receipt.c.direction == MoneyDirection.IN.value,
            counts_as_paid(_receipt),
        )
        .scalar_subquery()
    )


def returned_expr(invoice_id: ColumnElement) -> ColumnElement[int]:
    """Σ totals of the issued returns of the invoice."""
    return (
        select(cast(func.coalesce(func.sum(_return.c.total), 0), BigInteger))
        .where(
            _return.c.invoice_id == invoice_id,
            _return.c.deleted_at.is_(None),
            _return.c.state == DocumentState.ISSUED.value,
        )
        .scalar_subquery()
    )


def status_expr(total: ColumnElement, paid: ColumnElement, returned: ColumnElement) -> ColumnElement[str]:
    return case(
        (paid >= total - returned, PaymentStatus.PAID.value),
        (paid > 0, PaymentStatus.PARTLY_PAID.value),
        else_=PaymentStatus.UNPAID.value,
    )


def payment_status(total: int, paid: int, returned: int) -> PaymentStatus:
    if paid >= total - returned:
        return PaymentStatus.PAID
    return PaymentStatus.PARTLY_PAID if paid > 0 else PaymentStatus.UNPAID


PAID = paid_expr(Invoice.id)
RETURNED = returned_expr(Invoice.id)
STATUS = status_expr(Invoice.total, PAID, RETURNED)


@dataclass(frozen=True)
class InvoiceDraft:
    """What the invoice form sends. `version`: the version the form loaded (for updates)."""

    identity_id: uuid.UUID | None
    issue_date: dt.date
    lines: list[LineDraft] = field(default_factory=list)
    opportunity_id: uuid.UUID | None = None
    settlement: Settlement = Settlement.CASH
    notes: str = ""
    quote_id: uuid.UUID | None = None
    version: int | None = None


@dataclass(frozen=True)
class InvoiceView:
    id: uuid.UUID
    number: int | None
    fiscal_year: int | None
    state: DocumentState
    identity_id: uuid.UUID
    identity_name: str
    opportunity_id: uuid.UUID | None
    opportunity_title: str | None
    quote_id: uuid.UUID | None
    quote_number: int | None
    issue_date: dt.date
    settlement: Settlement
    notes: str
    lines: list[LineView]
    totals: Totals
    paid: int
    returned: int
    issued_at: dt.datetime | None
    buyer: Buyer | None  # the copy made at issue (None for a draft)
    owner_id: uuid.UUID | None
    owner_name: str | None
    version: int
    # Invoices keep no list of their own: the one their lines were priced at is the quote's, else the
    # opportunity's (None: the customer's list or the default prices new lines).
    price_list_id: uuid.UUID | None = None
    provisional_number: str | None = None  # issued on a laptop, until the office gives the legal number

    @property
    def is_issued(self) -> bool:
        return self.state is DocumentState.ISSUED

    @property
    def number_text(self) -> str:
        """The legal number, or «پیش‌شماره P-L3-7 (شماره قطعی پس از همگام‌سازی)», or "" for a draft."""
        return invoice_number(self.number, self.provisional_number)

    @property
    def due(self) -> int:
        """What is still to be paid: total − returns − receipts (never below zero)."""
        return max(self.totals.total - self.returned - self.paid, 0) if self.is_issued else 0

    @property
    def payment_status(self) -> PaymentStatus | None:
        return payment_status(self.totals.total, self.paid, self.returned) if self.is_issued else None

    def as_draft(self) -> InvoiceDraft:
        return InvoiceDraft(
            self.identity_id,
            self.issue_date,
            [line.as_draft() for line in self.lines],
            self.opportunity_id,
            self.settlement,
            self.notes,
            self.quote_id,
            self.version,
        )


@dataclass(frozen=True)
class InvoiceQuery:
    text: str = ""
    state: DocumentState | None = None
    payment: PaymentStatus | None = None  # issued invoices with this payment status
    identity_id: uuid.UUID | None = None
    opportunity_id: uuid.UUID | None = None
    period: DateFilter | None = None  # of the issue date
    sort: str = "number"
    descending: bool = True


@dataclass(frozen=True)
class InvoiceRow:
    id: uuid.UUID
    number: int | None
    fiscal_year: int | None
    state: DocumentState
    issue_date: dt.date
    identity_name: str
    opportunity_title: str | None
    total: int
    paid: int
    returned: int
    owner_name: str | None
    provisional_number: str | None = None

    @property
    def number_text(self) -> str:
        return invoice_number(self.number, self.provisional_number)

    @property
    def payment_status(self) -> PaymentStatus | None:
        if self.state is not DocumentState.ISSUED:
            return None
        return payment_status(self.total, self.paid, self.returned)

    @property
    def due(self) -> int:
        return max(self.total - self.returned - self.paid, 0) if self.state is DocumentState.ISSUED else 0

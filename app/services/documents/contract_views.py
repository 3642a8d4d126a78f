"""Contract dataclasses, the SQL of what an instalment has been paid and is owed, and the schedule split.

What a signed contract makes the customer owe (the seed's «برای لغو قرارداد تاریخ پایان را تغییر دهید»):
its instalments due on or before its end date. Moving the end date earlier cancels the instalments
due after it; one that has received money cannot be cancelled so (the service refuses that end date).
Paid sums run over every user's receipts (tables, not mapped classes), as for invoices.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

import jdatetime
from sqlalchemy import BigInteger, ColumnElement, and_, cast, func, select

from app.models import ContractInstalment, InstalmentAllocation, Receipt
from app.models.contract import Contract
from app.models.enums import DocumentState, MoneyDirection
from app.persian import format_money
from app.persian import to_persian_digits as fa
from app.services.core.errors import ValidationFailed
from app.services.core.periods import DateFilter

from .cheques import counts_as_paid
from .lines import LineDraft, LineView, Totals

# «ثبت نهایی», not an invoice's «صادرشده»: a contract is signed, not issued.
CONTRACT_STATE = {DocumentState.DRAFT: "پیش‌نویس", DocumentState.ISSUED: "ثبت نهایی"}

MAX_INSTALMENTS = 120
_allocation = InstalmentAllocation.__table__
_receipt = Receipt.__table__
_instalment = ContractInstalment.__table__
_contract = Contract.__table__


def instalment_paid_expr(instalment_id: ColumnElement) -> ColumnElement[int]:
    """Σ allocations of live receipts (money in) to the instalment; a bounced cheque pays nothing."""
    return (
        select(cast(func.coalesce(func.sum(_allocation.c.amount), 0), BigInteger))
        .select_from(_allocation.join(_receipt, _receipt.c.id == _allocation.c.receipt_id))
        .where(
            _allocation.c.instalment_id == instalment_id,
            _allocation.c.deleted_at.is_(None),
            _receipt.c.deleted_at.is_(None),
            _receipt.c.direction == MoneyDirection.IN.value,
            counts_as_paid(_receipt),
        )
        .scalar_subquery()
    )


def owed_instalments():
    """FROM/WHERE of the instalments a customer owes: of a live signed contract, due by its end date."""
    joined = _instalment.join(_contract, _contract.c.id == _instalment.c.contract_id)
    condition = and_(
        _contract.c.state == DocumentState.ISSUED.value,
        _contract.c.deleted_at.is_(None),
        _instalment.c.deleted_at.is_(None),
        _instalment.c.due_date <= _contract.c.end_date,
    )
    return joined, condition


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` Jalali months later (the month's last day when it is shorter)."""
    j = jdatetime.date.fromgregorian(date=day)
    index = j.month - 1 + months
    year, month = j.year + index // 12, index % 12 + 1
    length = 31 if month <= 6 else 30 if month <= 11 else (30 if jdatetime.date(year, 1, 1).isleap() else 29)
    return jdatetime.date(year, month, min(j.day, length)).togregorian()


def split_schedule(total: int, first_due: dt.date, count: int) -> list[InstalmentDraft]:
    """`count` monthly instalments from `first_due` summing to `total` (the remainder on the last one)."""
    if count < 1:
        return []
    part = total // count
    return [
        InstalmentDraft(add_months(first_due, i), part + (total - part * count if i == count - 1 else 0))
        for i in range(count)
    ]


@dataclass(frozen=True)
class InstalmentDraft:
    due_date: dt.date
    amount: int


@dataclass(frozen=True)
class ContractDraft:
    """What the contract form sends. `version`: the version the form loaded (for updates)."""

    identity_id: uuid.UUID | None
    issue_date: dt.date
    start_date: dt.date
    end_date: dt.date
    lines: list[LineDraft] = field(default_factory=list)
    instalments: list[InstalmentDraft] = field(default_factory=list)
    opportunity_id: uuid.UUID | None = None
    notes: str = ""
    quote_id: uuid.UUID | None = None
    version: int | None = None


@dataclass(frozen=True)
class InstalmentView:
    id: uuid.UUID
    position: int
    due_date: dt.date
    amount: int
    paid: int
    owed: bool  # False: due after the end date (cancelled), or the contract is a draft

    @property
    def due(self) -> int:
        """Still to be paid of it (zero when cancelled)."""
        return max(self.amount - self.paid, 0) if self.owed else 0


@dataclass(frozen=True)
class ContractView:
    id: uuid.UUID
    number: int | None
    fiscal_year: int | None
    state: DocumentState
    identity_id: uuid.UUID
    identity_name: str
    opportunity_id: uuid.UUID | None
    opportunity_title: str | None
    quote_id: uuid.UUID | None
    issue_date: dt.date
    start_date: dt.date
    end_date: dt.date
    notes: str
    lines: list[LineView]
    instalments: list[InstalmentView]
    totals: Totals
    issued_at: dt.datetime | None
    owner_id: uuid.UUID | None
    owner_name: str | None
    version: int

    @property
    def is_signed(self) -> bool:
        return self.state is DocumentState.ISSUED

    @property
    def owed(self) -> int:
        """What the customer owes under it: the instalments due by the end date."""
        return sum(i.amount for i in self.instalments if i.owed)

    @property
    def paid(self) -> int:
        return sum(i.paid for i in self.instalments)

    @property
    def due(self) -> int:
        return sum(i.due for i in self.instalments)

    def as_draft(self) -> ContractDraft:
        return ContractDraft(
            self.identity_id,
            self.issue_date,
            self.start_date,
            self.end_date,
            [line.as_draft() for line in self.lines],
            [InstalmentDraft(i.due_date, i.amount) for i in self.instalments],
            self.opportunity_id,
            self.notes,
            self.quote_id,
            self.version,
        )


@dataclass(frozen=True)
class ContractQuery:
    text: str = ""
    state: DocumentState | None = None
    identity_id: uuid.UUID | None = None
    opportunity_id: uuid.UUID | None = None
    period: DateFilter | None = None  # of the day signed
    sort: str = "number"
    descending: bool = True


@dataclass(frozen=True)
class ContractRow:
    id: uuid.UUID
    number: int | None
    fiscal_year: int | None
    state: DocumentState
    issue_date: dt.date
    identity_name: str
    opportunity_title: str | None
    start_date: dt.date
    end_date: dt.date
    total: int
    owner_name: str | None


@dataclass(frozen=True)
class OpenInstalment:
    """An owed instalment of the customer with money still due (for allocating a receipt)."""

    id: uuid.UUID
    contract_id: uuid.UUID
    contract_number: int
    contract_fiscal_year: int
    position: int
    due_date: dt.date
    amount: int
    paid: int  # by other receipts

    @property
    def due(self) -> int:
        return max(self.amount - self.paid, 0)


def check_instalments(draft: ContractDraft) -> None:
    """Each instalment positive and dated within the contract (a draft's schedule may still be incomplete)."""
    if len(draft.instalments) > MAX_INSTALMENTS:
        raise ValidationFailed({"instalments": f"یک قرارداد حداکثر {fa(str(MAX_INSTALMENTS))} قسط دارد."})
    errors: dict[str, str] = {}
    for i, instalment in enumerate(draft.instalments):
        amount = instalment.amount
        if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
            errors[f"instalments.{i}"] = "مبلغ قسط باید بیشتر از صفر باشد."
        elif instalment.due_date is None:
            errors[f"instalments.{i}"] = "سررسید قسط را وارد کنید."
        elif not draft.start_date <= instalment.due_date <= draft.end_date:
            errors[f"instalments.{i}"] = "سررسید قسط باید میان تاریخ شروع و پایان قرارداد باشد."
    if errors:
        raise ValidationFailed(errors)


def check_schedule(instalments: list[ContractInstalment], total: int) -> None:
    """Signing: at least one instalment, summing to the contract's amount."""
    if not instalments:
        raise ValidationFailed({"instalments": "دست‌کم یک قسط (مبلغ و سررسید) وارد کنید."})
    scheduled = sum(i.amount for i in instalments)
    if scheduled != total:
        message = f"جمع اقساط ({format_money(scheduled)}) با مبلغ قرارداد ({format_money(total)}) برابر نیست."
        raise ValidationFailed({"instalments": message})

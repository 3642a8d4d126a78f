"""Receipts paying contract instalments: the customer's open instalments and a receipt's allocations
to them (as receipts.py does for invoices; the receipt's total allocation covers both kinds)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import BigInteger, cast, func, select
from sqlalchemy.orm import Session

from app.models import ContractInstalment, Identity, InstalmentAllocation, Receipt
from app.models.contract import Contract
from app.persian import format_money
from app.persian import to_persian_digits as fa
from app.services.core.access import SKIP, fetch
from app.services.core.actor import Actor
from app.services.core.database import Database
from app.services.core.errors import ValidationFailed

from . import cheques
from .contract_views import OpenInstalment, instalment_paid_expr, owed_instalments


@dataclass(frozen=True)
class InstalmentShare:
    """The part of a receipt to put on one instalment (what the receipt form sends)."""

    instalment_id: uuid.UUID
    amount: int


@dataclass(frozen=True)
class InstalmentAllocationView:
    instalment_id: uuid.UUID
    contract_id: uuid.UUID
    contract_number: int | None
    position: int
    due_date: dt.date
    amount: int


def open_instalments(s: Session, identity_id: uuid.UUID, receipt_id: uuid.UUID | None) -> list[OpenInstalment]:
    """The identity's owed instalments, earliest due first, with what other receipts paid of them
    (`receipt_id`: the receipt being edited, whose own allocations are free again)."""
    paid = instalment_paid_expr(ContractInstalment.id)
    if receipt_id is not None:
        own = (
            select(cast(func.coalesce(func.sum(InstalmentAllocation.amount), 0), BigInteger))
            .join(Receipt, Receipt.id == InstalmentAllocation.receipt_id)
            .where(
                InstalmentAllocation.instalment_id == ContractInstalment.id,
                InstalmentAllocation.receipt_id == receipt_id,
                InstalmentAllocation.deleted_at.is_(None),
                cheques.counts_as_paid(Receipt.__table__),
            )
            .scalar_subquery()
        )
        paid = paid - own
    joined, owed = owed_instalments()
    contract = joined.right
    stmt = (
        select(
            ContractInstalment.id,
            ContractInstalment.contract_id,
            contract.c.number,
            contract.c.fiscal_year,
            ContractInstalment.position,
            ContractInstalment.due_date,
            ContractInstalment.amount,
            paid,
        )
        .select_from(joined)
        .where(owed, contract.c.identity_id == identity_id)
        .order_by(ContractInstalment.due_date, contract.c.number, ContractInstalment.position)
        .execution_options(**{SKIP: True})
    )
    return [OpenInstalment(*row) for row in s.execute(stmt)]


def allocate(s: Session, receipt: Receipt, shares: list[InstalmentShare]) -> tuple[int, dict[str, str]]:
    """Replaces the receipt's instalment allocations, each within its instalment's due: (total, errors)."""
    for old in s.scalars(
        select(InstalmentAllocation).where(
            InstalmentAllocation.receipt_id == receipt.id, InstalmentAllocation.deleted_at.is_(None)
        )
    ).all():
        s.delete(old)
    s.flush()
    if not shares:
        return 0, {}
    open_by_id = {o.id: o for o in open_instalments(s, receipt.identity_id, receipt.id)}
    errors: dict[str, str] = {}
    total = 0
    for i, share in enumerate(shares):
        instalment = open_by_id.get(share.instalment_id)
        if instalment is None:
            fetch(s, ContractInstalment, share.instalment_id, "قسط قرارداد")  # AccessDenied/NotFound first
            errors[f"instalments.{i}"] = "فقط قسط‌های بدهی قرارداد همین مشتری را می‌توان تسویه کرد."
        elif isinstance(share.amount, bool) or not isinstance(share.amount, int) or share.amount <= 0:
            errors[f"instalments.{i}"] = "مبلغ تخصیص باید بیشتر از صفر باشد."
        elif share.amount > instalment.due:
            errors[f"instalments.{i}"] = f"مانده این قسط {format_money(instalment.due)} است."
        else:
            total += share.amount
            s.add(InstalmentAllocation(receipt_id=receipt.id, instalment_id=instalment.id, amount=share.amount))
    return total, errors


def check_still_due(s: Session, receipt: Receipt) -> None:
    """A bounced cheque deposited again pays its instalments again: refused if one has been paid by another
    receipt or cancelled meanwhile (ValidationFailed on "cheque_state")."""
    dues = {i.id: i for i in open_instalments(s, receipt.identity_id, None)}
    for view in allocation_views(s, receipt.id):
        instalment = dues.get(view.instalment_id)
        if instalment is None or view.amount > instalment.due:
            what = f"قسط {fa(str(view.position + 1))} قرارداد {fa(str(view.contract_number))}"
            message = f"{what} در این فاصله تسویه یا لغو شده است؛ ابتدا تخصیص این دریافت را اصلاح کنید."
            raise ValidationFailed({"cheque_state": message})


def allocation_views(s: Session, receipt_id: uuid.UUID) -> list[InstalmentAllocationView]:
    stmt = (
        select(
            ContractInstalment.id,
            Contract.id,
            Contract.number,
            ContractInstalment.position,
            ContractInstalment.due_date,
            InstalmentAllocation.amount,
        )
        .join(ContractInstalment, ContractInstalment.id == InstalmentAllocation.instalment_id)
        .join(Contract, Contract.id == ContractInstalment.contract_id)
        .where(InstalmentAllocation.receipt_id == receipt_id, InstalmentAllocation.deleted_at.is_(None))
        .order_by(ContractInstalment.due_date, ContractInstalment.position)
        .execution_options(**{SKIP: True})
    )
    return [InstalmentAllocationView(*row) for row in s.execute(stmt)]


def due_select(until: dt.date | None):
    """SELECT of owed instalments not fully paid, due by `until` (all if None), earliest first:
    (instalment id, contract id, contract number, position, due date, identity name, still due). The
    caller adds the access filter (and a scope's owners, if any)."""
    _joined, owed = owed_instalments()  # its condition names the contracts table joined here
    due = ContractInstalment.amount - instalment_paid_expr(ContractInstalment.id)
    stmt = (
        select(
            ContractInstalment.id,
            Contract.id,
            Contract.number,
            ContractInstalment.position,
            ContractInstalment.due_date,
            Identity.display_name,
            due,
        )
        .select_from(ContractInstalment)
        .join(Contract, Contract.id == ContractInstalment.contract_id)
        .join(Identity, Identity.id == Contract.identity_id)
        .where(owed, due > 0)
        .order_by(ContractInstalment.due_date, Contract.number, ContractInstalment.position)
    )
    if until is not None:
        stmt = stmt.where(ContractInstalment.due_date <= until)
    return stmt


class InstalmentService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def open_instalments(
        self, actor: Actor, identity_id: uuid.UUID, receipt_id: uuid.UUID | None = None
    ) -> list[OpenInstalment]:
        """The identity's owed contract instalments with what is still due, earliest first (for allocating
        a receipt). Raises NotFound/AccessDenied for an identity the actor may not see. Reads only."""
        with self._db.read(actor) as s:
            fetch(s, Identity, identity_id, "هویت")
            return open_instalments(s, identity_id, receipt_id)

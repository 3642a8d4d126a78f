"""Received cheques (چک دریافتی): the Sayad id, the cheque's way to the bank and the list of cheques due.

A cheque is a receipt paid by cheque; its number, Sayad id, bank, branch and due date are edited on
the receipt. Its state moves only along CHEQUE_FLOW (`ReceiptService.move_cheque`). Cheques we pay
(a refund by cheque) carry the same details but no state: their collection is the customer's.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, Table, and_, func, or_, select

from app.domain.workflow import Workflow
from app.models import Identity, Receipt
from app.models.enums import ChequeState, MoneyDirection, PaymentMethod
from app.persian import ValidationError, to_ascii_digits
from app.services.core.labels import CHEQUE_STATE

R, D, C, B, X = (
    ChequeState.RECEIVED,
    ChequeState.DEPOSITED,
    ChequeState.CLEARED,
    ChequeState.BOUNCED,
    ChequeState.RETURNED,
)
# (from, to) -> the action's Persian name. Cleared and returned are final.
CHEQUE_FLOW: Workflow[ChequeState] = Workflow(
    "چک",
    {
        (R, D): "واگذاری به بانک",
        (R, C): "وصول (نقد در بانک صادرکننده)",
        (R, X): "عودت به صادرکننده",
        (D, C): "ثبت وصول",
        (D, B): "ثبت برگشت چک",
        (B, D): "واگذاری دوباره به بانک",
        (B, X): "عودت به صادرکننده",
    },
    label=CHEQUE_STATE.__getitem__,
    refusal="چک با وضعیت «{current}» را نمی‌توان به «{wanted}» برد.",
)
OPEN = (R, D)  # still to be collected: the cheques a list of cheques due shows
UNPAID = (B, X)  # bounced or given back: the money never came, so the receipt pays nothing


def counts_as_paid(receipts: Table) -> ColumnElement[bool]:
    """A receipt counts in balances and invoice payments unless it is a bounced or returned cheque."""
    state = receipts.c.cheque_state
    return or_(state.is_(None), state.not_in([s.value for s in UNPAID]))

# Spaces, dashes and the invisible marks that come along when a number is copied out of RTL text.
_IGNORED = re.compile(r"[\s\-\u2010-\u2015\u2212\u200c-\u200f\u202a-\u202e\u2066-\u2069]")


def sayad_id(text: str | None) -> str:
    """شناسه صیادی: 16 digits (Persian, Arabic or Latin), stored in Latin digits. Raises ValidationError."""
    digits = _IGNORED.sub("", to_ascii_digits(text or ""))
    if not digits:
        raise ValidationError("شناسه صیادی چک را وارد کنید.")
    if not digits.isascii() or not digits.isdigit():
        raise ValidationError("شناسه صیادی فقط رقم است.")
    if len(digits) != 16:
        raise ValidationError("شناسه صیادی باید ۱۶ رقم باشد.")
    if len(set(digits)) == 1:
        raise ValidationError("شناسه صیادی معتبر نیست.")
    return digits


def first_state(direction: MoneyDirection, method: PaymentMethod, current: ChequeState | None) -> ChequeState | None:
    """The state a receipt's cheque has after a save: a received cheque keeps its state (or starts as
    received); other receipts have none."""
    if method is not PaymentMethod.CHEQUE or direction is not MoneyDirection.IN:
        return None
    return current or R


@dataclass(frozen=True)
class ChequeRow:
    """A received cheque still to be collected (the list of cheques due)."""

    id: uuid.UUID
    number: int
    fiscal_year: int
    identity_name: str
    amount: int
    cheque_number: str
    sayad_id: str
    bank: str
    due: dt.date
    state: ChequeState


def due_select(until: dt.date | None) -> Select:
    """Received cheques not yet collected (received or deposited), due by `until` (all if None),
    nearest due first. The caller adds the access filter (and a scope's owners, if any)."""
    conditions = [
        Receipt.method == PaymentMethod.CHEQUE,
        Receipt.direction == MoneyDirection.IN,
        Receipt.cheque_state.in_(OPEN),
        Receipt.deleted_at.is_(None),
    ]
    if until is not None:
        conditions.append(Receipt.cheque_due <= until)
    return (
        select(
            Receipt.id,
            Receipt.number,
            Receipt.fiscal_year,
            Identity.display_name,
            Receipt.amount,
            func.coalesce(Receipt.cheque_number, ""),
            func.coalesce(Receipt.cheque_sayad, ""),
            func.coalesce(Receipt.cheque_bank, ""),
            Receipt.cheque_due,
            Receipt.cheque_state,
        )
        .join(Identity, Identity.id == Receipt.identity_id)
        .where(and_(*conditions))
        .order_by(Receipt.cheque_due, Receipt.fiscal_year, Receipt.number)
    )

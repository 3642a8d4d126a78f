"""The identity's documents in its timeline «سوابق»: quotes, invoices, contracts, returns, receipts and
payments (refunds), each with its state and amount, opening its own form.

Registered with the timeline when this module is imported (app/services/core/registry.py does). The
queries name the documents' mapped classes, so the access policy of the timeline's read session
decides which of them the actor sees, as in the documents lists.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Contract, Invoice, Quote, Receipt, SalesReturn
from app.models.enums import DocumentState, MoneyDirection, PaymentMethod
from app.persian import format_date, format_money
from app.persian import to_persian_digits as fa
from app.services.core.actor import Actor
from app.services.core.labels import (
    CHEQUE_STATE,
    DOCUMENT_STATE,
    MONEY_DIRECTION,
    PAYMENT_METHOD,
    PAYMENT_STATUS,
    QUOTE_STATE,
)
from app.services.identities.timeline import TimelineItem, register_provider

from .contract_views import CONTRACT_STATE
from .doc_numbers import invoice_number, quote_number, shown
from .invoice_views import PAID, RETURNED, payment_status

QUOTE, INVOICE, RETURN = "پیش‌فاکتور", "صورتحساب", "برگشت از فروش"


def _title(label: str, number: int | None, text: str = "") -> str:
    """«صورتحساب شماره ۱۲»; a draft has no number yet: «صورتحساب (پیش‌نویس)». `text`: a number that
    reads otherwise (a laptop's quote «L3-12»; an invoice issued on a laptop, its provisional label)."""
    if text and not number:
        return f"{label} {shown(text)}"
    if text:
        return f"{label} شماره {shown(text)}"
    return f"{label} شماره {fa(str(number))}" if number else f"{label} (پیش‌نویس)"


def _detail(*parts: str | None) -> str:
    return " · ".join(p for p in parts if p)


@register_provider
def quote_items(s: Session, _actor: Actor, identity_id: uuid.UUID) -> list[TimelineItem]:
    stmt = select(Quote).where(Quote.identity_id == identity_id, Quote.deleted_at.is_(None))
    return [
        TimelineItem(
            q.created_at,
            "quote",
            QUOTE,
            _title(QUOTE, q.number, quote_number(q.number, q.device_code)),
            _detail(QUOTE_STATE[q.state], format_money(q.total)),
            "quote",
            q.id,
        )
        for q in s.scalars(stmt)
    ]


@register_provider
def invoice_items(s: Session, _actor: Actor, identity_id: uuid.UUID) -> list[TimelineItem]:
    """An issued invoice sits at its issue and says how much of it is paid; a draft at its creation."""
    stmt = select(Invoice, PAID, RETURNED).where(Invoice.identity_id == identity_id, Invoice.deleted_at.is_(None))
    items = []
    for invoice, paid, returned in s.execute(stmt):
        if invoice.state is DocumentState.ISSUED:
            state = PAYMENT_STATUS[payment_status(invoice.total, paid, returned)]
            received = f"دریافت‌شده {format_money(paid)}" if paid else None
            back = f"برگشت‌شده {format_money(returned)}" if returned else None
        else:
            state, received, back = DOCUMENT_STATE[invoice.state], None, None
        title = _title(INVOICE, invoice.number, invoice_number(invoice.number, invoice.provisional_number))
        detail = _detail(state, format_money(invoice.total), received, back)
        at = invoice.issued_at or invoice.created_at
        items.append(TimelineItem(at, "invoice", INVOICE, title, detail, "invoice", invoice.id))
    return items


@register_provider
def return_items(s: Session, _actor: Actor, identity_id: uuid.UUID) -> list[TimelineItem]:
    stmt = (
        select(SalesReturn, Invoice.number, Invoice.provisional_number)
        .join(Invoice, Invoice.id == SalesReturn.invoice_id)
        .where(SalesReturn.identity_id == identity_id, SalesReturn.deleted_at.is_(None))
    )
    items = []
    for sales_return, number, provisional in s.execute(stmt):
        of = f"از صورتحساب {shown(invoice_number(number, provisional))}" if number or provisional else None
        detail = _detail(DOCUMENT_STATE[sales_return.state], format_money(sales_return.total), of)
        at = sales_return.issued_at or sales_return.created_at
        title = _title(RETURN, sales_return.number)
        items.append(TimelineItem(at, "return", RETURN, title, detail, "return", sales_return.id))
    return items


@register_provider
def receipt_items(s: Session, _actor: Actor, identity_id: uuid.UUID) -> list[TimelineItem]:
    """Receipts (money in) and payments (money out: a refund), with the method and a cheque's state."""
    stmt = select(Receipt).where(Receipt.identity_id == identity_id, Receipt.deleted_at.is_(None))
    items = []
    for receipt in s.scalars(stmt):
        label = MONEY_DIRECTION[receipt.direction]
        method = PAYMENT_METHOD[receipt.method]
        if receipt.method is PaymentMethod.CHEQUE and receipt.cheque_state is not None:
            method = f"{method} {CHEQUE_STATE[receipt.cheque_state]}"
        refund = (
            "بازپرداخت برگشت از فروش" if receipt.direction is MoneyDirection.OUT and receipt.sales_return_id else None
        )
        detail = _detail(method, format_money(receipt.amount), refund)
        title = _title(label, receipt.number)
        items.append(TimelineItem(receipt.created_at, "receipt", label, title, detail, "receipt", receipt.id))
    return items


@register_provider
def contract_items(s: Session, _actor: Actor, identity_id: uuid.UUID) -> list[TimelineItem]:
    stmt = select(Contract).where(Contract.identity_id == identity_id, Contract.deleted_at.is_(None))
    return [
        TimelineItem(
            c.issued_at or c.created_at,
            "contract",
            "قرارداد",
            _title("قرارداد", c.number),
            _detail(CONTRACT_STATE[c.state], format_money(c.total), f"پایان {format_date(c.end_date)}"),
            "contract",
            c.id,
        )
        for c in s.scalars(stmt)
    ]

"""The cardboard's document sections (the work of the cardboard's scope, «من» by default):
«پیش‌فاکتور منتظر پاسخ» (sent, still valid, nearest expiry first), «فاکتور سررسیدگذشته» (issued, money
still owed past its due date, the longest overdue first, with its days overdue), «فاکتور منتظر پرداخت»
(issued, not fully paid, oldest first), «چک‌های سررسید» (received cheques not yet collected, due within a
week or overdue, nearest first) and «اقساط سررسید قرارداد» (owed contract instalments not fully paid,
due within a week or overdue).

An invoice has no due-date column: a cash sale is due on its issue date, a credit (or part-credit) sale
PAYMENT_TERM after it (Moadian `setm`)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from app.models import Contract, Identity, Invoice, Quote, Receipt
from app.models.enums import DocumentState, PaymentStatus, QuoteState, Settlement
from app.persian import format_money
from app.persian import to_persian_digits as fa
from app.services.activities.cardboard import CardboardItem, CardboardSection, register_section
from app.services.core.access import with_customers
from app.services.core.actor import Actor
from app.services.core.labels import CHEQUE_STATE

from . import cheques, contract_payments
from .doc_numbers import invoice_number, quote_number, shown
from .invoice_views import PAID, RETURNED, STATUS

CHEQUE_HORIZON = dt.timedelta(days=7)  # cheques due this far ahead are listed with the overdue ones
PAYMENT_TERM = dt.timedelta(days=30)  # a credit sale's time to pay


def invoice_due(settlement: Settlement, issue_date: dt.date) -> dt.date:
    return issue_date if settlement is Settlement.CASH else issue_date + PAYMENT_TERM


def _owned(column, owners: list | None) -> tuple:
    return () if owners is None else (column.in_(owners),)


def quotes_awaiting(s: Session, actor: Actor, now: dt.datetime, limit: int, owners: list | None) -> CardboardSection:
    today = now.astimezone().date()
    conditions = (
        *_owned(Quote.owner_id, owners),
        Quote.state == QuoteState.SENT,
        Quote.deleted_at.is_(None),
        (Quote.valid_until.is_(None)) | (Quote.valid_until >= today),
    )
    total = s.scalar(select(func.count()).select_from(Quote).where(*conditions))
    stmt = with_customers(
        select(Quote.id, Quote.number, Identity.display_name, Quote.valid_until, Quote.total, Quote.device_code)
        .join(Identity, Identity.id == Quote.identity_id)
        .where(*conditions)
        .order_by(Quote.valid_until.is_(None), Quote.valid_until, Quote.number)
        .limit(limit)
    )
    rows = [
        CardboardItem("quote", qid, f"پیش‌فاکتور {shown(quote_number(number, code))}", name, valid, amount)
        for qid, number, name, valid, amount, code in s.execute(stmt)
    ]
    return CardboardSection(rows, total or 0)


def invoices_awaiting(s: Session, actor: Actor, now: dt.datetime, limit: int, owners: list | None) -> CardboardSection:
    conditions = (
        *_owned(Invoice.owner_id, owners),
        Invoice.state == DocumentState.ISSUED,
        Invoice.deleted_at.is_(None),
        STATUS != PaymentStatus.PAID.value,
    )
    total = s.scalar(select(func.count()).select_from(Invoice).where(*conditions))
    stmt = with_customers(
        select(
            Invoice.id,
            Invoice.number,
            Identity.display_name,
            Invoice.issue_date,
            Invoice.total,
            PAID,
            RETURNED,
            Invoice.provisional_number,
        )
        .join(Identity, Identity.id == Invoice.identity_id)
        .where(*conditions)
        .order_by(Invoice.issue_date, Invoice.number)
        .limit(limit)
    )
    rows = []
    for iid, number, name, day, amount, paid, returned, provisional in s.execute(stmt):
        due = max(amount - returned - paid, 0)
        title = f"صورتحساب {shown(invoice_number(number, provisional))}"
        rows.append(CardboardItem("invoice", iid, title, f"{name} · مانده {format_money(due)}", day, due))
    return CardboardSection(rows, total or 0)


def invoices_overdue(s: Session, actor: Actor, now: dt.datetime, limit: int, owners: list | None) -> CardboardSection:
    today = now.astimezone().date()
    mine = (
        *_owned(Invoice.owner_id, owners),
        Invoice.state == DocumentState.ISSUED,
        Invoice.deleted_at.is_(None),
        STATUS != PaymentStatus.PAID.value,
    )
    # due before today (invoice_due): cash sales issued before today, credit sales before today - PAYMENT_TERM
    cash = and_(Invoice.settlement == Settlement.CASH, Invoice.issue_date < today)
    credit = and_(Invoice.settlement != Settlement.CASH, Invoice.issue_date < today - PAYMENT_TERM)
    total = s.scalar(select(func.count()).select_from(Invoice).where(*mine, or_(cash, credit)))
    rows = []
    for kind in (cash, credit):  # each oldest first; merged below by due date, the longest overdue first
        stmt = with_customers(
            select(
                Invoice.id,
                Invoice.number,
                Identity.display_name,
                Invoice.issue_date,
                Invoice.settlement,
                Invoice.total,
                PAID,
                RETURNED,
                Invoice.provisional_number,
            )  # fmt: skip
            .join(Identity, Identity.id == Invoice.identity_id)
            .where(*mine, kind)
            .order_by(Invoice.issue_date, Invoice.number)
            .limit(limit)
        )
        for iid, number, name, day, settlement, amount, paid, returned, provisional in s.execute(stmt):
            due, owed = invoice_due(settlement, day), max(amount - returned - paid, 0)
            late = f"{fa(str((today - due).days))} روز از سررسید گذشته"  # first: a narrow dock elides the end
            title = f"{late} · صورتحساب {shown(invoice_number(number, provisional))}"
            subtitle = f"{name} · مانده {format_money(owed)}"
            rows.append(CardboardItem("invoice", iid, title, subtitle, due, owed))
    rows.sort(key=lambda row: row.when)
    return CardboardSection(rows[:limit], total or 0)


def cheques_due(s: Session, actor: Actor, now: dt.datetime, limit: int, owners: list | None) -> CardboardSection:
    stmt = with_customers(
        cheques.due_select(now.astimezone().date() + CHEQUE_HORIZON).where(*_owned(Receipt.owner_id, owners))
    )
    # The count reads the customers too: a rep's cheque from a colleague's customer is counted.
    total = s.scalar(with_customers(select(func.count()).select_from(stmt.order_by(None).subquery())))
    rows = []
    for row in s.execute(stmt.limit(limit)):
        cheque = cheques.ChequeRow(*row)
        subtitle = f"{cheque.identity_name} · {cheque.bank} · {CHEQUE_STATE[cheque.state]}"
        title = f"چک {fa(cheque.cheque_number)}"
        rows.append(CardboardItem("receipt", cheque.id, title, subtitle, cheque.due, cheque.amount))
    return CardboardSection(rows, total or 0)


def instalments_due(s: Session, actor: Actor, now: dt.datetime, limit: int, owners: list | None) -> CardboardSection:
    until = now.astimezone().date() + CHEQUE_HORIZON
    stmt = with_customers(contract_payments.due_select(until).where(*_owned(Contract.owner_id, owners)))
    # The count reads the customers too: a rep's contract on a colleague's customer is counted.
    total = s.scalar(with_customers(select(func.count()).select_from(stmt.order_by(None).subquery())))
    rows = []
    for _iid, contract_id, number, position, due_date, name, due in s.execute(stmt.limit(limit)):
        title = f"قسط {fa(str(position + 1))} قرارداد {fa(str(number))}"
        rows.append(CardboardItem("contract", contract_id, title, f"{name} · مانده {format_money(due)}", due_date, due))
    return CardboardSection(rows, total or 0)


def register() -> None:
    register_section("quotes_awaiting", "پیش‌فاکتور منتظر پاسخ", quotes_awaiting, 10)
    register_section("invoices_overdue", "فاکتور سررسیدگذشته", invoices_overdue, 15)
    register_section("invoices_awaiting", "فاکتور منتظر پرداخت", invoices_awaiting, 20)
    register_section("cheques_due", "چک‌های سررسید", cheques_due, 30)
    register_section("instalments_due", "اقساط سررسید قرارداد", instalments_due, 35)


register()

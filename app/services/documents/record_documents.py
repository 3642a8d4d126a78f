"""«اسناد» of one identity or one opportunity: its quotes, invoices, contracts, returns, receipts and payments
with their states, newest first, and its balance, read in one transaction (the record's access check,
one lean query per document kind, one for the balance) so the page's tab costs one background call.

`concerns` tells a view whether the rows a write changed belong to the record, so a change to some
other customer's documents costs no reload."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import or_, select, union_all

from app.models import Contract, Identity, Invoice, Opportunity, Quote, Receipt, ReceiptAllocation, SalesReturn
from app.models.enums import DocumentState, QuoteState
from app.persian import format_date
from app.services.core.access import fetch
from app.services.core.actor import Actor
from app.services.core.database import Database
from app.services.core.labels import CHEQUE_STATE, DOCUMENT_STATE, MONEY_DIRECTION, PAYMENT_STATUS, QUOTE_STATE

from .balances import Balance, _sums
from .contract_views import CONTRACT_STATE
from .doc_numbers import invoice_number, quote_number
from .invoice_views import PAID, RETURNED, payment_status
from .quote_state import state_sql

WATCHED_TABLES = frozenset({"quotes", "invoices", "contracts", "sales_returns", "receipts", "receipt_allocations"})
"""The tables whose rows make up the tab (allocations: an invoice's payment state)."""
MAX_ROWS = 500  # per kind; a customer with more is looked up in the documents dock
RECORDED = "ثبت‌شده"  # a receipt without a cheque on its way


@dataclass(frozen=True)
class DocumentEntry:
    kind: str  # the record kind its form is registered under: quote, invoice, contract, return, receipt
    id: uuid.UUID
    label: str  # «پیش‌فاکتور», «صورتحساب», «قرارداد», «برگشت از فروش», «دریافت» / «پرداخت»
    number: int | None  # None: a draft without its number yet
    day: dt.date
    state: str  # in Persian
    amount: int
    # How its number reads when not just `number`: a laptop's quote «L3-12», an invoice issued on a
    # laptop «پیش‌شماره P-L3-7 (…)» (doc_numbers).
    number_text: str = ""


@dataclass(frozen=True)
class RecordDocumentsView:
    entries: tuple[DocumentEntry, ...]
    balance: Balance


_ORDER = {"quote": 0, "invoice": 1, "contract": 2, "return": 3, "receipt": 4}  # within a day, in the order a sale runs


def _key_column(model, identity_id, opportunity_id):
    return (model.opportunity_id, opportunity_id) if opportunity_id is not None else (model.identity_id, identity_id)


class RecordDocumentsService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def of_record(
        self, actor: Actor, identity_id: uuid.UUID | None = None, opportunity_id: uuid.UUID | None = None
    ) -> RecordDocumentsView:
        """The documents of the opportunity (when given) or of the identity that the actor may see, and
        the record's whole balance. Anyone who may see the record; raises NotFound/AccessDenied. Reads only."""
        with self._db.read(actor) as s:
            if opportunity_id is not None:
                fetch(s, Opportunity, opportunity_id, "فرصت")
                key, record_id = "opportunity_id", opportunity_id
            else:
                fetch(s, Identity, identity_id, "هویت")
                key, record_id = "identity_id", identity_id
            entries = [*self._quotes(s, key, record_id), *self._invoices(s, key, record_id)]
            entries += self._contracts(s, key, record_id)
            entries += [*self._returns(s, key, record_id), *self._receipts(s, key, record_id)]
            balance = _sums(s, key, [record_id]).get(record_id, Balance())
        entries.sort(key=lambda e: (e.day, _ORDER[e.kind], e.number or 0), reverse=True)
        return RecordDocumentsView(tuple(entries), balance)

    def concerns(
        self,
        actor: Actor,
        touched: Mapping[str, frozenset],
        identity_id: uuid.UUID | None = None,
        opportunity_id: uuid.UUID | None = None,
    ) -> bool:
        """Whether any of the changed rows (table → ids, as a write's Changes give them) belongs to the
        record now: one query. Rows that left the record are the caller's to notice (it shows them).
        Reads only, under the access policy (a row the actor may not see is not theirs to hear about)."""
        parts = []
        for model in (Quote, Invoice, Contract, SalesReturn, Receipt):
            ids = touched.get(model.__tablename__)
            if ids:
                column, value = _key_column(model, identity_id, opportunity_id)
                parts.append(select(model.id).where(model.id.in_(ids), column == value))
        allocation_ids, receipt_ids = touched.get("receipt_allocations"), touched.get("receipts")
        if allocation_ids or receipt_ids:  # a payment of one of its invoices changes that invoice's state
            column, value = _key_column(Invoice, identity_id, opportunity_id)
            parts.append(
                select(ReceiptAllocation.id)
                .join(Invoice, Invoice.id == ReceiptAllocation.invoice_id)
                .where(
                    or_(
                        ReceiptAllocation.id.in_(allocation_ids or ()),
                        ReceiptAllocation.receipt_id.in_(receipt_ids or ()),
                    ),
                    column == value,
                )
            )
        if not parts:
            return False
        statement = (union_all(*parts) if len(parts) > 1 else parts[0]).limit(1)
        with self._db.read(actor) as s:
            return s.execute(statement).first() is not None  # under the access policy, like every read

    # --- one query per kind ------------------------------------------------------------------------
    @staticmethod
    def _quotes(s, key: str, record_id) -> list[DocumentEntry]:
        state = state_sql()
        stmt = (
            select(Quote.id, Quote.number, Quote.issue_date, state, Quote.total, Quote.device_code)
            .where(getattr(Quote, key) == record_id, Quote.deleted_at.is_(None))
            .order_by(Quote.issue_date.desc(), Quote.id)
            .limit(MAX_ROWS)
        )
        return [
            DocumentEntry(
                "quote",
                i,
                "پیش‌فاکتور",
                n,
                day,
                QUOTE_STATE[QuoteState(st)],
                total,
                quote_number(n, code) if code else "",
            )
            for i, n, day, st, total, code in s.execute(stmt)
        ]

    @staticmethod
    def _invoices(s, key: str, record_id) -> list[DocumentEntry]:
        stmt = (
            select(
                Invoice.id,
                Invoice.number,
                Invoice.issue_date,
                Invoice.state,
                Invoice.total,
                PAID,
                RETURNED,
                Invoice.provisional_number,
            )
            .where(getattr(Invoice, key) == record_id, Invoice.deleted_at.is_(None))
            .order_by(Invoice.issue_date.desc(), Invoice.id)
            .limit(MAX_ROWS)
        )
        entries = []
        for i, n, day, st, total, paid, returned, provisional in s.execute(stmt):
            issued = st is DocumentState.ISSUED
            state = PAYMENT_STATUS[payment_status(total, paid, returned)] if issued else DOCUMENT_STATE[st]
            text = invoice_number(n, provisional) if n is None and provisional else ""
            entries.append(DocumentEntry("invoice", i, "صورتحساب", n, day, state, total, text))
        return entries

    @staticmethod
    def _contracts(s, key: str, record_id) -> list[DocumentEntry]:
        """A signed contract shows its end date: moving it is how the contract is cancelled."""
        stmt = (
            select(Contract.id, Contract.number, Contract.issue_date, Contract.state, Contract.end_date, Contract.total)
            .where(getattr(Contract, key) == record_id, Contract.deleted_at.is_(None))
            .order_by(Contract.issue_date.desc(), Contract.id)
            .limit(MAX_ROWS)
        )
        return [
            DocumentEntry(
                "contract",
                i,
                "قرارداد",
                n,
                day,
                f"{CONTRACT_STATE[st]} · پایان {format_date(end)}"
                if st is DocumentState.ISSUED
                else CONTRACT_STATE[st],
                total,
            )
            for i, n, day, st, end, total in s.execute(stmt)
        ]

    @staticmethod
    def _returns(s, key: str, record_id) -> list[DocumentEntry]:
        stmt = (
            select(SalesReturn.id, SalesReturn.number, SalesReturn.issue_date, SalesReturn.state, SalesReturn.total)
            .where(getattr(SalesReturn, key) == record_id, SalesReturn.deleted_at.is_(None))
            .order_by(SalesReturn.issue_date.desc(), SalesReturn.id)
            .limit(MAX_ROWS)
        )
        return [
            DocumentEntry("return", i, "برگشت از فروش", n, day, DOCUMENT_STATE[st], total)
            for i, n, day, st, total in s.execute(stmt)
        ]

    @staticmethod
    def _receipts(s, key: str, record_id) -> list[DocumentEntry]:
        stmt = (
            select(
                Receipt.id, Receipt.number, Receipt.received_on, Receipt.direction, Receipt.cheque_state, Receipt.amount
            )
            .where(getattr(Receipt, key) == record_id, Receipt.deleted_at.is_(None))
            .order_by(Receipt.received_on.desc(), Receipt.id)
            .limit(MAX_ROWS)
        )
        return [
            DocumentEntry(
                "receipt", i, MONEY_DIRECTION[d], n, day, CHEQUE_STATE[cheque] if cheque else RECORDED, amount
            )
            for i, n, day, d, cheque, amount in s.execute(stmt)
        ]

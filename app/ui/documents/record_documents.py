"""«اسناد» of one identity or one opportunity: its quotes, invoices, returns, receipts and payments
with their states, newest first, and its balance; a double-click opens the document. Shared by the
identity form and the opportunity form."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.core.errors import ServiceError
from app.services.core.labels import CHEQUE_STATE, DOCUMENT_STATE, MONEY_DIRECTION, PAYMENT_STATUS, QUOTE_STATE
from app.services.documents.invoice_views import InvoiceQuery
from app.services.documents.quotes import QuoteQuery
from app.services.documents.receipts import ReceiptQuery
from app.services.documents.returns import ReturnQuery
from app.ui import format as fmt
from app.ui.events import RefreshWhenShown, change_bus

if TYPE_CHECKING:
    from app.services.core.actor import Actor
    from app.services.core.registry import Services

WATCHED = frozenset({"quotes", "invoices", "sales_returns", "receipts"})
HEADERS = ["نوع", "شماره", "تاریخ", "وضعیت", "مبلغ (ریال)"]
MAX_ROWS = 500


@dataclass(frozen=True)
class DocumentEntry:
    kind: str  # the record kind its form is registered under
    id: uuid.UUID
    label: str
    number: str
    day: dt.date
    state: str
    amount: int


def _number(number: int | None) -> str:
    return fmt.digits(str(number)) if number else "پیش‌نویس"


def documents_of(services: Services, actor: Actor, identity_id=None, opportunity_id=None) -> list[DocumentEntry]:
    """Every document of the identity (or of the opportunity) the actor may see, newest first."""
    keys = {"identity_id": identity_id, "opportunity_id": opportunity_id}
    entries = [
        DocumentEntry("quote", r.id, "پیش‌فاکتور", _number(r.number), r.issue_date, QUOTE_STATE[r.state], r.total)
        for r in services.quotes.search(actor, QuoteQuery(**keys), 0, MAX_ROWS)
    ]
    for r in services.invoices.search(actor, InvoiceQuery(**keys), 0, MAX_ROWS):
        state = PAYMENT_STATUS[r.payment_status] if r.payment_status else DOCUMENT_STATE[r.state]
        entries.append(DocumentEntry("invoice", r.id, "صورتحساب", _number(r.number), r.issue_date, state, r.total))
    for r in services.returns.search(actor, ReturnQuery(**keys), 0, MAX_ROWS):
        state = DOCUMENT_STATE[r.state]
        entries.append(DocumentEntry("return", r.id, "برگشت از فروش", _number(r.number), r.issue_date, state, r.total))
    for r in services.receipts.search(actor, ReceiptQuery(**keys), 0, MAX_ROWS):
        state = CHEQUE_STATE[r.cheque_state] if r.cheque_state else "ثبت‌شده"
        label = MONEY_DIRECTION[r.direction]
        entries.append(DocumentEntry("receipt", r.id, label, _number(r.number), r.received_on, state, r.amount))
    entries.sort(key=lambda e: e.day, reverse=True)
    return entries


class RecordDocuments(RefreshWhenShown, QWidget):
    sig_open_record = Signal(str, object)
    """Open a document in a tab: (kind, id)."""

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services, self._actor = services, actor
        self.identity_id: uuid.UUID | None = None
        self.opportunity_id: uuid.UUID | None = None
        self.entries: list[DocumentEntry] = []
        self.setObjectName("recordDocuments")
        self.balance = QLabel(objectName="documentsBalance")
        self.balance.setStyleSheet("font-weight: bold;")
        self.table = QTableWidget(0, len(HEADERS), objectName="documentsTable")
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda index: self.open_row(index.row()))
        self.empty = QLabel("هنوز سندی ثبت نشده است.", objectName="documentsEmpty")
        layout = QVBoxLayout(self)
        layout.addWidget(self.balance)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addStretch()  # an empty list: the message stays under the balance
        change_bus().sig_changed.connect(self._changed)

    def set_record(self, identity_id: uuid.UUID | None = None, opportunity_id: uuid.UUID | None = None) -> None:
        self.identity_id, self.opportunity_id = identity_id, opportunity_id
        self.refresh_or_defer(self.refresh)

    def refresh(self) -> None:
        if self.identity_id is None and self.opportunity_id is None:
            return
        services, actor = self._services, self._actor
        try:
            if self.opportunity_id is not None:
                self.entries = documents_of(services, actor, opportunity_id=self.opportunity_id)
                balance = services.balances.opportunity_balance(actor, self.opportunity_id)
            else:
                self.entries = documents_of(services, actor, identity_id=self.identity_id)
                balance = services.balances.identity_balance(actor, self.identity_id)
        except ServiceError as exc:  # no longer visible (merged, deleted): say so instead of stale rows
            self.entries = []
            self.balance.setText(exc.message)
        else:
            self.balance.setText(f"مانده: {balance.describe()}")
        self.table.setRowCount(len(self.entries))
        for row, e in enumerate(self.entries):
            values = (e.label, e.number, fmt.date(e.day), e.state, fmt.number(e.amount))
            for column, text in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.setVisible(bool(self.entries))
        self.empty.setVisible(not self.entries)

    def open_row(self, row: int) -> None:
        if 0 <= row < len(self.entries):
            entry = self.entries[row]
            self.sig_open_record.emit(entry.kind, entry.id)

    def _changed(self, table: str, _ids) -> None:
        if table in WATCHED:
            self.refresh_or_defer(self.refresh)

"""«اسناد» of one identity or one opportunity: its quotes, invoices, returns, receipts and payments
with their states, newest first, and its balance; a double-click opens the document. Shared by the
identity form and the opportunity form.

The rows come from one background call (app/services/documents/record_documents.py). A write
reloads them only when it touched those tables for this record: rows it shows are checked by id,
other changed rows are asked about first (`concerns`); a hidden tab asks nothing until it is shown."""

from __future__ import annotations

import uuid
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
from app.services.documents.doc_numbers import shown
from app.services.documents.record_documents import WATCHED_TABLES, DocumentEntry, RecordDocumentsView
from app.ui import format as fmt
from app.ui.events import RefreshWhenShown, change_bus
from app.ui.ops import op

if TYPE_CHECKING:
    from app.services.core.actor import Actor
    from app.services.core.changes import Changes
    from app.services.core.registry import Services

HEADERS = ["نوع", "شماره", "تاریخ", "وضعیت", "مبلغ (ریال)"]
LOADING = "در حال بارگذاری…"


def _number(number: int | None) -> str:
    return fmt.digits(str(number)) if number else "پیش‌نویس"


class RecordDocuments(RefreshWhenShown, QWidget):
    sig_open_record = Signal(str, object)
    """Open a document in a tab: (kind, id)."""

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services, self._actor = services, actor
        self.identity_id: uuid.UUID | None = None
        self.opportunity_id: uuid.UUID | None = None
        self.entries: list[DocumentEntry] = []
        self._touched: dict[str, frozenset | None] = {}  # changed rows not yet looked at (hidden)
        self._generation = 0  # the latest load; answers to earlier ones are dropped
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
        change_bus().sig_changes.connect(self._changes)

    def set_record(self, identity_id: uuid.UUID | None = None, opportunity_id: uuid.UUID | None = None) -> None:
        """Shows the record's documents; the same record again (its form reloaded) is already followed
        through the change bus and costs nothing."""
        if (identity_id, opportunity_id) == (self.identity_id, self.opportunity_id):
            return
        self.identity_id, self.opportunity_id = identity_id, opportunity_id
        self._show((), LOADING)
        self.refresh_or_defer(self.refresh)

    def refresh(self) -> None:
        """Reloads the rows and the balance in the background."""
        if self.identity_id is None and self.opportunity_id is None:
            return
        self._touched = {}
        service, actor, keys = self._services.record_documents, self._actor, self._keys()
        self._start(lambda: service.of_record(actor, **keys))

    def open_row(self, row: int) -> None:
        if 0 <= row < len(self.entries):
            entry = self.entries[row]
            self.sig_open_record.emit(entry.kind, entry.id)

    # --- following writes --------------------------------------------------------------------------
    def _changes(self, changes: Changes) -> None:
        if self.identity_id is None and self.opportunity_id is None:
            return
        touched = {table: changes.ids(table) for table in WATCHED_TABLES & changes.tables}
        if not touched:
            return
        for table, ids in touched.items():  # None (rows unknown) wins over ids
            before = self._touched.get(table, frozenset())
            self._touched[table] = None if ids is None or before is None else before | ids
        self.refresh_or_defer(self._follow)

    def _follow(self) -> None:
        touched, self._touched = self._touched, {}
        if not touched:
            return  # a full reload since took them in
        shown = {e.id for e in self.entries}
        if any(ids is None or ids & shown for ids in touched.values()):
            self.refresh()
            return
        service, actor, keys = self._services.record_documents, self._actor, self._keys()
        self._start(lambda: service.of_record(actor, **keys) if service.concerns(actor, touched, **keys) else None)

    # --- loading -----------------------------------------------------------------------------------
    def _keys(self) -> dict:
        if self.opportunity_id is not None:
            return {"opportunity_id": self.opportunity_id}
        return {"identity_id": self.identity_id}

    def _start(self, read) -> None:
        self._generation += 1
        generation = self._generation

        def loaded(view: RecordDocumentsView | None) -> None:
            if view is not None and generation == self._generation:  # an older answer is stale
                self._show(view.entries, f"مانده: {view.balance.describe()}")

        def refused(exc: ServiceError) -> bool:  # merged or deleted: say so instead of stale rows
            if generation == self._generation:
                self._show((), exc.message)
            return True

        op(self, read).success(loaded).failure(refused).run_in_background()

    def _show(self, entries, balance: str) -> None:
        self.entries = list(entries)
        self.balance.setText(balance)
        self.table.setRowCount(len(self.entries))
        for row, e in enumerate(self.entries):
            number = shown(e.number_text) if e.number_text else _number(e.number)
            values = (e.label, number, fmt.date(e.day), e.state, fmt.number(e.amount))
            for column, text in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.setVisible(bool(self.entries))
        self.empty.setVisible(not self.entries)

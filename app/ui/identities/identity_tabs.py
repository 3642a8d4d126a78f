"""The identity form's other tabs: «سوابق» (timeline), «فرصت‌ها» and «تاریخچه» (history and merges)."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.core.labels import OPPORTUNITY_STATUS
from app.ui import format as fmt
from app.ui.common.history_view import HistoryView
from app.ui.ops import op

if TYPE_CHECKING:
    from app.services.core.actor import Actor
    from app.services.core.registry import Services


def _table(headers: list[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: list[list[str]], keys: list) -> None:
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            item = QTableWidgetItem(value)
            if c == 0:
                item.setData(Qt.ItemDataRole.UserRole, keys[r])
            table.setItem(r, c, item)


class TimelineTab(QWidget):
    """Every record about the identity, newest first; double-click or Enter opens the record (its
    form's tab; a file opens in the system's program)."""

    sig_open_record = Signal(str, object)

    def __init__(self, services: Services, actor: Actor) -> None:
        super().__init__()
        self._services, self._actor = services, actor
        self.identity_id: uuid.UUID | None = None
        self.table = _table(["تاریخ", "نوع", "عنوان", "جزئیات"], "timelineTable")
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; Enter opens the row
        # `activated` comes from a double-click and from Enter (doubleClicked only from the mouse).
        self.table.activated.connect(self._open)
        self.empty = QLabel("هنوز سابقه‌ای ثبت نشده است.")
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.empty)
        self.items: list = []

    def refresh(self) -> None:
        if self.identity_id is None:
            return
        self.items = self._services.timeline.for_identity(self._actor, self.identity_id)
        rows = [[fmt.datetime(i.at), i.kind_label, i.title, i.detail] for i in self.items]
        _fill(self.table, rows, [(i.record_kind, i.record_id) for i in self.items])
        self.empty.setVisible(not self.items)

    def _open(self, index) -> None:
        from app.ui.common.record_form import FORMS

        kind, record_id = self.table.item(index.row(), 0).data(Qt.ItemDataRole.UserRole)
        if record_id is None:
            return
        if kind == "attachment":
            self.open_file(record_id)
        elif kind in FORMS:
            self.sig_open_record.emit(kind, record_id)

    def open_file(self, attachment_id: uuid.UUID) -> None:
        """Writes the file to a temporary folder and opens it with the system's program."""
        attachments, actor = self._services.attachments, self._actor
        op(self, lambda: attachments.export_temp(actor, attachment_id)).success(
            lambda path: QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        ).run()


class OpportunitiesTab(QWidget):
    """The identity's opportunities, open and closed; double-click opens one."""

    sig_open_record = Signal(str, object)

    def __init__(self, services: Services, actor: Actor) -> None:
        super().__init__()
        self._services, self._actor = services, actor
        self.identity_id: uuid.UUID | None = None
        self.table = _table(["عنوان", "مرحله", "وضعیت", "مبلغ", "تاریخ پیش‌بینی بستن"], "opportunityTable")
        self.table.doubleClicked.connect(self._open)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)

    def refresh(self) -> None:
        if self.identity_id is None:
            return
        from app.services.opportunities.queries import OpportunityQuery

        search, actor = self._services.opportunities.search, self._actor
        query = OpportunityQuery(identity_id=self.identity_id, status=None)
        # off the GUI thread: a customer's whole history of opportunities
        op(self, lambda: search(actor, query, 0, 500)).success(self._show_rows).run_in_background()

    def _show_rows(self, rows: list) -> None:
        values = [
            [r.title, r.stage_name, OPPORTUNITY_STATUS[r.status], fmt.number(r.amount), fmt.date(r.expected_close)]
            for r in rows
        ]
        _fill(self.table, values, [r.id for r in rows])

    def _open(self, index) -> None:
        from app.ui.common.record_form import FORMS

        record_id = self.table.item(index.row(), 0).data(Qt.ItemDataRole.UserRole)
        if "opportunity" in FORMS:
            self.sig_open_record.emit("opportunity", record_id)


class HistoryTab(QWidget):
    """The record's audit history, and above it the merges into it with «بازگرداندن ادغام»."""

    sig_unmerged = Signal()

    def __init__(self, services: Services, actor: Actor) -> None:
        super().__init__()
        self._services, self._actor = services, actor
        self.identity_id: uuid.UUID | None = None
        self.merges_box = QGroupBox("ادغام‌ها")
        self.merges = QListWidget()
        self.merges.setObjectName("mergeList")
        self.undo_button = QPushButton("بازگرداندن ادغام انتخاب‌شده")
        self.undo_button.clicked.connect(self._undo)
        box = QVBoxLayout(self.merges_box)
        box.addWidget(self.merges)
        row = QHBoxLayout()
        row.addStretch()
        row.addWidget(self.undo_button)
        box.addLayout(row)
        self.merges_box.setMaximumHeight(170)
        self.history = HistoryView(services, actor, "identities", None)
        layout = QVBoxLayout(self)
        layout.addWidget(self.merges_box)
        layout.addWidget(self.history, 1)

    def refresh(self) -> None:
        if self.identity_id is None:
            return
        self.history.set_record(self.identity_id)
        self.merges.clear()
        for merge in self._services.identity_merge.merges(self._actor, self.identity_id):
            text = f"«{merge.merged_name}» — {fmt.datetime(merge.at)} — {merge.by}"
            if merge.undone_at is not None:
                text += f" (بازگردانده شد در {fmt.datetime(merge.undone_at)})"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, (merge.id, merge.undone_at is None))
            self.merges.addItem(item)
        self.merges_box.setVisible(self.merges.count() > 0)

    def _undo(self) -> None:
        item = self.merges.currentItem()
        if item is None:
            return
        merge_id, active = item.data(Qt.ItemDataRole.UserRole)
        if not active:
            return
        op(self, lambda: self._services.identity_merge.undo(self._actor, merge_id)).success(
            lambda _result: self.sig_unmerged.emit()
        ).run()

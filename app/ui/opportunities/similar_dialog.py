"""Similar opportunities (فرصت‌های مشابه, seed 004) on the opportunity form: a button with their count (the
same identity, phone or e-mail, read off the GUI thread) that lists them; each opens in its own tab."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from app.persian import format_number
from app.services.core.labels import OPPORTUNITY_STATUS
from app.ui.common.form_dialog import buttons_row
from app.ui.ops import op

if TYPE_CHECKING:
    from app.services.core.actor import Actor
    from app.services.core.registry import Services
    from app.services.opportunities.similar import SimilarRow

HEADERS = ("عنوان", "هویت", "مرحله", "وضعیت", "مبلغ (ریال)", "مسئول", "شباهت")


class SimilarDialog(QDialog):
    sig_open = Signal(object)
    """An opportunity to open: its id."""

    def __init__(self, rows: list[SimilarRow], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("فرصت‌های مشابه")
        self.resize(720, 320)
        self._rows = rows
        self.table = QTableWidget(len(rows), len(HEADERS), objectName="similarTable")
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        for r, row in enumerate(rows):
            texts = (row.title, row.identity_name, row.stage_name, OPPORTUNITY_STATUS[row.status],
                     format_number(row.amount), row.owner_name or "—", row.reason)  # fmt: skip
            for c, text in enumerate(texts):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.table.cellDoubleClicked.connect(lambda r, _c: self.open_row(r))
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(
            buttons_row(("باز کردن", lambda: self.open_row(self.table.currentRow())), ("بستن", self.reject))
        )

    def open_row(self, row: int) -> None:
        if 0 <= row < len(self._rows):
            self.sig_open.emit(self._rows[row].id)
            self.accept()


class SimilarButton(QPushButton):
    """«فرصت‌های مشابه: n»; disabled at zero. The count is asked for off the GUI thread."""

    sig_open = Signal(object)

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("similarOpportunities")
        self._services, self._actor = services, actor
        self._identity_id: uuid.UUID | None = None
        self._exclude_id: uuid.UUID | None = None
        self._show(0)
        self.clicked.connect(self.show_list)

    def set_record(self, identity_id: uuid.UUID | None, opportunity_id: uuid.UUID | None) -> None:
        self._identity_id, self._exclude_id = identity_id, opportunity_id
        if identity_id is None:
            self._show(0)
            return
        similar, actor = self._services.similar_opportunities, self._actor
        asked = (identity_id, opportunity_id)
        counting = op(self, lambda: similar.count(actor, *asked))
        counting.success(lambda n: asked == (self._identity_id, self._exclude_id) and self._show(n))
        counting.run_in_background()

    def _show(self, count: int) -> None:
        self.setText(f"فرصت‌های مشابه: {format_number(count)}")
        self.setEnabled(count > 0)
        self.setToolTip("فرصت‌های دیگر با همین هویت، تلفن یا ایمیل — برای دیدن فهرست کلیک کنید")

    def show_list(self) -> None:
        if self._identity_id is None:
            return
        similar, actor, asked = self._services.similar_opportunities, self._actor, (self._identity_id, self._exclude_id)
        op(self, lambda: similar.rows(actor, *asked)).success(self._list).run()

    def _list(self, rows: list[SimilarRow]) -> None:
        dialog = SimilarDialog(rows, self)
        dialog.sig_open.connect(self.sig_open)
        dialog.exec()

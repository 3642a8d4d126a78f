"""«هویت‌های مشابه»: shown when a new identity looks like existing ones. Open one, merge into one, or
create anyway. `choice()` tells the caller which, `chosen_id()` the candidate."""

from __future__ import annotations

import uuid

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.persian import format_number
from app.services.core.labels import ROLE
from app.services.identities.duplicates import DuplicateCandidate
from app.ui import format as fmt

OPEN, MERGE, CREATE = "open", "merge", "create"


class DuplicatesDialog(QDialog):
    def __init__(self, candidates: list[DuplicateCandidate], hidden: int = 0, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("هویت‌های مشابه")
        self._candidates = candidates
        self._choice: str | None = None
        intro = QLabel(
            "هویت‌هایی شبیه به این هویت از قبل ثبت شده‌اند. یکی را باز کنید، "
            "اطلاعات را با آن ادغام کنید یا هویت تازه بسازید.",
            wordWrap=True,
        )
        self.table = QTableWidget(len(candidates), 5)
        self.table.setObjectName("duplicateCandidates")
        self.table.setHorizontalHeaderLabels(["نام", "نقش", "تلفن همراه", "شهر", "شباهت"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        for row, c in enumerate(candidates):
            values = [c.display_name, ROLE[c.role], fmt.digits(c.mobile), c.city or "", "، ".join(c.reasons)]
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        if candidates:
            self.table.setCurrentCell(0, 0)  # not selectRow(): it selects nothing in a right-to-left table
        self.table.doubleClicked.connect(lambda _i: self._finish(OPEN))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table)
        if hidden:
            layout.addWidget(
                QLabel(f"{format_number(hidden)} هویت مشابه دیگر هم هست که به آن دسترسی ندارید.", wordWrap=True)
            )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.open_button = QPushButton("باز کردن")
        self.merge_button = QPushButton("ادغام با این هویت")
        self.create_button = QPushButton("ایجاد در هر حال")
        for button, choice in ((self.open_button, OPEN), (self.merge_button, MERGE), (self.create_button, CREATE)):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
            button.clicked.connect(lambda _=False, c=choice: self._finish(c))
        self.open_button.setEnabled(bool(candidates))
        self.merge_button.setEnabled(bool(candidates))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, 320)

    def _finish(self, choice: str) -> None:
        self._choice = choice
        self.accept()

    def choice(self) -> str | None:
        return self._choice

    def chosen_id(self) -> uuid.UUID | None:
        row = self.table.currentRow()
        return self._candidates[row].id if 0 <= row < len(self._candidates) else None

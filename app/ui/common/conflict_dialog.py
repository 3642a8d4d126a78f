"""Shown when a save finds the record changed by someone else since the form opened.

It says who changed it and when, compares the fields, and offers «بارگذاری مجدد» (take theirs) or
«حفظ مقادیر من» (save again keeping the user's own values for the fields they changed). Never a
silent overwrite.
"""

from __future__ import annotations

from enum import Enum

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.persian import format_datetime
from app.services.core.errors import ConcurrentChange


class ConflictChoice(Enum):
    RELOAD = "reload"
    KEEP_MINE = "keep_mine"
    CANCEL = "cancel"


class ConflictDialog(QDialog):
    def __init__(
        self,
        conflict: ConcurrentChange,
        mine: dict[str, str],
        theirs: dict[str, str],
        labels: dict[str, str],
        parent: QWidget | None = None,
    ) -> None:
        """`mine` and `theirs` hold display text by field, for the fields this user changed."""
        super().__init__(parent)
        self.setWindowTitle("تغییر همزمان")
        self.choice = ConflictChoice.CANCEL
        layout = QVBoxLayout(self)
        who = f"«{conflict.changed_by}»" if conflict.changed_by else "کاربر دیگری"
        when = ""
        if conflict.changed_at:
            day, time = format_datetime(conflict.changed_at).split()
            when = f"، در {day} ساعت {time}،"
        intro = f"این رکورد پس از باز شدن{when} توسط {who} تغییر کرده است.\nمقادیر شما و مقادیر ذخیره‌شده:"
        layout.addWidget(QLabel(intro, wordWrap=True))
        self.table = QTableWidget(len(mine), 3)
        self.table.setHorizontalHeaderLabels(["فیلد", "مقدار شما", "مقدار ذخیره‌شده"])
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for row, field in enumerate(mine):
            for column, text in enumerate((labels.get(field, field), mine[field], theirs.get(field, ""))):
                self.table.setItem(row, column, QTableWidgetItem(text))
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        reload = buttons.addButton("بارگذاری مجدد", QDialogButtonBox.ButtonRole.RejectRole)
        keep = buttons.addButton("حفظ مقادیر من", QDialogButtonBox.ButtonRole.AcceptRole)
        reload.clicked.connect(lambda: self._choose(ConflictChoice.RELOAD))
        keep.clicked.connect(lambda: self._choose(ConflictChoice.KEEP_MINE))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _choose(self, choice: ConflictChoice) -> None:
        self.choice = choice
        self.accept()

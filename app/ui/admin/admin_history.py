"""Administrators' views: «تاریخچه تغییرات» (every change, by user and Jalali period) and
«سطل بازیافت» (soft-deleted records, restorable)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.core.actor import Actor
from app.services.core.registry import Services
from app.ui import format as fmt
from app.ui.common.form_fields import said_in
from app.ui.common.jalali_date_edit import JalaliDateEdit
from app.ui.ops import op


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    return table


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(text))


class ChangesDialog(QDialog):
    """Every change in a Jalali period, optionally by one user (newest first, 500 at most)."""

    def __init__(
        self, services: Services, actor: Actor, users: list[tuple[str, object]], parent: QWidget | None = None
    ):
        super().__init__(parent)
        self._services, self._actor = services, actor
        self.setWindowTitle("تاریخچه تغییرات")
        self.resize(900, 560)
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.user = QComboBox()
        self.user.addItem("همه کاربران", None)
        for name, user_id in users:
            self.user.addItem(name, user_id)
        self.start, self.end = JalaliDateEdit(), JalaliDateEdit()
        self.start.set_date_value(dt.date.today() - dt.timedelta(days=30))
        show = QPushButton("نمایش")
        show.clicked.connect(self.refresh)
        for widget in (QLabel("کاربر:"), self.user, QLabel("از:"), self.start, QLabel("تا:"), self.end, show):
            bar.addWidget(widget)
        layout.addLayout(bar)
        self.table = _table(["زمان", "کاربر", "نوع رکورد", "عمل", "تغییرات"])
        layout.addWidget(self.table)
        self.refresh()

    def refresh(self) -> None:
        local = dt.datetime.now().astimezone().tzinfo
        start = dt.datetime.combine(self.start.date_value(), dt.time.min, tzinfo=local)
        end = dt.datetime.combine(self.end.date_value() + dt.timedelta(days=1), dt.time.min, tzinfo=local)
        user = self.user.currentData()
        rows = op(self, lambda: self._services.history.changes(self._actor, user, start, end, limit=500)).run()
        if rows is None:
            return
        _fill(
            self.table,
            [
                [
                    fmt.datetime(r.at),
                    r.user_name,
                    r.record_kind,
                    r.action_label,
                    "، ".join(f"{c.label}: {c.new if c.new is not None else '—'}" for c in r.changes),
                ]
                for r in rows
            ],
        )


class RecycleBinDialog(QDialog):
    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services, self._actor = services, actor
        self.setWindowTitle("سطل بازیافت")
        self.resize(760, 480)
        layout = QVBoxLayout(self)
        self.table = _table(["نوع", "عنوان", "زمان حذف", "حذف توسط"])
        layout.addWidget(self.table)
        self.message = QLabel(wordWrap=True)
        layout.addWidget(self.message)
        self.restore_button = QPushButton("بازیابی رکورد انتخاب‌شده")
        self.restore_button.clicked.connect(self.restore_selected)
        layout.addWidget(self.restore_button)
        self.refresh()

    def refresh(self) -> None:
        rows = op(self, lambda: self._services.recycle_bin.deleted(self._actor, limit=500)).run()
        if rows is None:
            return
        self._rows = rows
        _fill(self.table, [[r.record_kind, r.title, fmt.datetime(r.deleted_at), r.deleted_by] for r in self._rows])
        if not self._rows:
            self.message.setText("سطل بازیافت خالی است.")

    def restore_selected(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self._rows):
            self.message.setText("ابتدا یک رکورد را انتخاب کنید.")
            return
        chosen = self._rows[row]
        restoring = op(self, lambda: self._services.recycle_bin.restore(self._actor, chosen.record_table, chosen.id))
        restoring.failure(said_in(self.message)).run()
        if not restoring.succeeded:
            return
        self.refresh()
        self.message.setText(f"«{chosen.title}» بازیابی شد.")

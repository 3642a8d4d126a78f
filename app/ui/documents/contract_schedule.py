"""A contract's payment schedule (جدول اقساط): each instalment's Jalali due date and amount, typed in
either digit set; «تقسیم ماهانه» splits the contract's amount into equal monthly instalments from the
start date. A signed contract's schedule is read-only and shows what each instalment has received and
which are cancelled (due after the end date)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.persian import ValidationError, format_date, format_money, format_number, parse_date, parse_money
from app.persian import to_persian_digits as fa
from app.services.documents.contract_views import InstalmentDraft, InstalmentView, split_schedule
from app.ui.common.numbers import PersianDigitsDelegate, type_persian_digits

HEADERS = ("سررسید", "مبلغ قسط", "پرداخت‌شده", "مانده", "وضعیت")
DUE, AMOUNT, PAID, LEFT, STATE = range(5)
ERROR_BG = QColor("#ffebee")
CANCELLED = QColor("#9e9e9e")


class ContractSchedule(QWidget):
    sig_changed = Signal()
    """Emitted after any edit of the schedule (the form marks itself dirty)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, len(HEADERS), objectName="instalments")
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setItemDelegate(PersianDigitsDelegate(self.table))
        self.table.itemChanged.connect(self._edited)
        self.count = QSpinBox(objectName="instalment_count", minimum=1, maximum=120, value=3)
        type_persian_digits(self.count.lineEdit())
        self.split = QPushButton("تقسیم ماهانه", objectName="split_instalments")
        self.add = QPushButton("افزودن قسط", objectName="add_instalment")
        self.remove = QPushButton("حذف قسط", objectName="remove_instalment")
        self.add.clicked.connect(lambda _=False: self._append(None, 0))
        self.remove.clicked.connect(lambda _=False: self._remove_selected())
        self.summary = QLabel(objectName="schedule_summary")
        self.error = QLabel(objectName="schedule_error")
        self.error.setStyleSheet("color: #c62828;")
        self.error.setVisible(False)
        self.count_label = QLabel("تعداد اقساط")
        tools = QHBoxLayout()
        for widget in (self.count_label, self.count, self.split, self.add, self.remove):
            tools.addWidget(widget)
        tools.addStretch()
        tools.addWidget(self.summary)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("<b>جدول اقساط</b>"))
        layout.addLayout(tools)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error)
        self._filling = False
        self._total = 0

    # --- filling ---------------------------------------------------------------------
    def split_evenly(self, total: int, first_due: dt.date) -> None:
        """Replaces the schedule with `count` monthly instalments of `total` from `first_due`."""
        self._fill([(i.due_date, i.amount) for i in split_schedule(total, first_due, self.count.value())])
        self.sig_changed.emit()

    def set_drafts(self, instalments: list[InstalmentDraft]) -> None:
        self._fill([(i.due_date, i.amount) for i in instalments])

    def set_instalments(self, instalments: list[InstalmentView], signed: bool) -> None:
        self._fill([(i.due_date, i.amount) for i in instalments])
        if not signed:
            return
        self._filling = True
        for row, instalment in enumerate(instalments):
            state = ("پرداخت‌شده" if instalment.due == 0 else "بدهی") if instalment.owed else "لغوشده"
            for col, text in ((PAID, format_number(instalment.paid)), (LEFT, format_number(instalment.due)),
                              (STATE, state)):  # fmt: skip
                self.table.item(row, col).setText(text)
            if not instalment.owed:
                for col in range(len(HEADERS)):
                    self.table.item(row, col).setForeground(CANCELLED)
        self._filling = False

    def _fill(self, rows: list[tuple[dt.date | None, int]]) -> None:
        self._filling = True
        self.table.setRowCount(0)
        self._filling = False
        for due, amount in rows:
            self._append(due, amount)
        self._show_sum()

    def _append(self, due: dt.date | None, amount: int) -> None:
        self._filling = True
        row = self.table.rowCount()
        self.table.insertRow(row)
        for col, text in ((DUE, format_date(due)), (AMOUNT, format_number(amount) if amount else ""),
                          (PAID, ""), (LEFT, ""), (STATE, "")):  # fmt: skip
            item = QTableWidgetItem(text)
            if col not in (DUE, AMOUNT):
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.table.setItem(row, col, item)
        self.table.setVerticalHeaderLabels([fa(str(i + 1)) for i in range(self.table.rowCount())])
        self._filling = False
        self._show_sum()

    def _remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True)
        for row in rows:
            self.table.removeRow(row)
        if rows:
            self._show_sum()
            self.sig_changed.emit()

    # --- reading ---------------------------------------------------------------------
    def drafts(self) -> list[InstalmentDraft]:
        """The schedule as typed; raises ValidationError naming the row that cannot be read."""
        result = []
        for row in range(self.table.rowCount()):
            try:
                due = parse_date(self.table.item(row, DUE).text())
                amount = parse_money(self.table.item(row, AMOUNT).text() or "0")
            except ValidationError as exc:
                raise ValidationError(f"قسط {fa(str(row + 1))}: {exc.message}") from None
            result.append(InstalmentDraft(due, amount))
        return result

    def set_contract_total(self, total: int) -> None:
        self._total = total
        self._show_sum()

    def _show_sum(self) -> None:
        try:
            scheduled = sum(i.amount for i in self.drafts())
        except ValidationError:
            self.summary.setText("")
            return
        text = f"جمع اقساط: {format_money(scheduled)}"
        if scheduled != self._total:
            text += f" (مبلغ قرارداد: {format_money(self._total)})"
        self.summary.setText(text)

    def set_read_only(self, read_only: bool) -> None:
        self.table.setEditTriggers(
            QTableWidget.EditTrigger.NoEditTriggers if read_only else QTableWidget.EditTrigger.AllEditTriggers
        )
        for widget in (self.count_label, self.count, self.split, self.add, self.remove):
            widget.setVisible(not read_only)

    def show_errors(self, errors: dict[str, str]) -> None:
        """Messages of "instalments" / "instalments.<i>" under the table; faulty rows tinted."""
        messages = [m for key, m in errors.items() if key == "instalments" or key.startswith("instalments.")]
        self.error.setText("\n".join(messages))
        self.error.setVisible(bool(messages))
        bad = {int(key.split(".")[1]) for key in errors if key.startswith("instalments.")}
        self._filling = True
        for row in range(self.table.rowCount()):
            for col in range(len(HEADERS)):
                self.table.item(row, col).setBackground(ERROR_BG if row in bad else QColor(0, 0, 0, 0))
        self._filling = False

    def _edited(self, _item: QTableWidgetItem) -> None:
        if self._filling:
            return
        self._show_sum()
        self.sig_changed.emit()

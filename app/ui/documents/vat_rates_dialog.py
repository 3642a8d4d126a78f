"""The VAT table (admin): the rate in force from each date; built-in rows (9% to 1402, 10% from 1403)
are shown and may be overridden by a row on the same date, or followed by a new year's rate."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
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

from app.persian import format_date
from app.persian import to_persian_digits as fa
from app.ui.common.jalali_date_edit import JalaliDateEdit
from app.ui.common.typed_entry import refuse_bad_typing
from app.ui.errors import show_error
from app.ui.ops import op


class VatRatesDialog(QDialog):
    def __init__(self, services, actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services, self._actor = services, actor
        self.setWindowTitle("نرخ مالیات بر ارزش افزوده")
        self.resize(460, 380)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["از تاریخ", "نرخ", "منبع"])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.valid_from = JalaliDateEdit()
        self.rate = QSpinBox(minimum=0, maximum=100, suffix="٪", value=12)
        add = QPushButton("ثبت نرخ")
        add.clicked.connect(self.add)
        self.remove = QPushButton("حذف نرخ انتخاب‌شده")
        self.remove.clicked.connect(self.delete)
        row = QHBoxLayout()
        for widget in (QLabel("از تاریخ"), self.valid_from, QLabel("نرخ"), self.rate, add):
            row.addWidget(widget)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("نرخ هر سطر از تاریخ آن به بعد، تا سطر بعدی، پیش‌فرض ردیف‌های اسناد است."))
        layout.addWidget(self.table)
        layout.addLayout(row)
        layout.addWidget(self.remove)
        layout.addWidget(buttons)
        self._rows = []
        self.reload()

    def reload(self) -> None:
        self._rows = self._services.vat_rates.rates(self._actor)
        self.table.setRowCount(0)
        for rate in self._rows:
            row = self.table.rowCount()
            self.table.insertRow(row)
            start = "از ابتدا" if rate.valid_from.year < 1900 else format_date(rate.valid_from)
            for col, text in enumerate((start, f"{fa(str(rate.rate))}٪", "پیش‌فرض" if rate.builtin else "مدیر")):
                self.table.setItem(row, col, QTableWidgetItem(text))

    def add(self) -> None:
        rates, actor = self._services.vat_rates, self._actor
        if refuse_bad_typing(self):
            return  # an impossible typed date stays in its field, refused beside it
        valid_from, rate = self.valid_from.date_value(), self.rate.value()
        save = op(self, lambda: rates.save_rate(actor, valid_from, rate))
        save.validation(lambda errors: show_error(self, "\n".join(errors.values()))).run()
        if save.succeeded:
            self.reload()

    def delete(self) -> None:
        rows = {i.row() for i in self.table.selectedIndexes()}
        rates, actor = self._services.vat_rates, self._actor
        for row in rows:
            rate = self._rows[row]
            if rate.builtin:
                show_error(self, "نرخ‌های پیش‌فرض قانون حذف نمی‌شوند؛ برای تغییر، نرخی با همان تاریخ ثبت کنید.")
                return
            delete = op(self, lambda rate_id=rate.id: rates.delete_rate(actor, rate_id))
            delete.run()
            if not delete.succeeded:
                return
        self.reload()

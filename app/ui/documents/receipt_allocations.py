"""The receipt form's «تسویه»: the customer's issued invoices and owed contract instalments with what
is still due on each, oldest first, and how much of this receipt pays each (typed, or «تخصیص خودکار»)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from app.persian import ValidationError, format_date, format_number, parse_money
from app.persian import to_persian_digits as fa
from app.services.documents.contract_payments import InstalmentShare
from app.services.documents.contract_views import OpenInstalment
from app.services.documents.doc_numbers import shown
from app.services.documents.receipts import Allocation, OpenInvoice
from app.ui.common.numbers import PersianDigitsDelegate
from app.ui.documents.money_checks import fit_allocations

HEADERS = ("سند", "تاریخ / سررسید", "مبلغ", "مانده", "این دریافت")
ALLOCATE = 4


def _label(item: OpenInvoice | OpenInstalment) -> str:
    if isinstance(item, OpenInstalment):
        return f"قسط {fa(str(item.position + 1))} قرارداد {fa(str(item.contract_number))}"
    return f"صورتحساب {shown(item.number_text)}"


def _day(item: OpenInvoice | OpenInstalment) -> dt.date:
    return item.due_date if isinstance(item, OpenInstalment) else item.issue_date


def _amount(item: OpenInvoice | OpenInstalment) -> int:
    return item.amount if isinstance(item, OpenInstalment) else item.total


class AllocationTable(QTableWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(HEADERS), parent, objectName="allocations")
        self.setHorizontalHeaderLabels(HEADERS)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().hide()
        self.setItemDelegateForColumn(ALLOCATE, PersianDigitsDelegate(self))
        self.open: list[OpenInvoice | OpenInstalment] = []

    def show_open(self, items: list[OpenInvoice | OpenInstalment], chosen: dict) -> None:
        """`items` with money due (or chosen before), oldest first; `chosen`: id -> this receipt's part."""
        self.open = sorted((i for i in items if i.due > 0 or i.id in chosen), key=_day)
        self.setRowCount(0)
        for item in self.open:
            row = self.rowCount()
            self.insertRow(row)
            mine = format_number(chosen[item.id]) if item.id in chosen else ""
            values = (
                _label(item),
                format_date(_day(item)),
                format_number(_amount(item)),
                format_number(item.due),
                mine,
            )
            for col, text in enumerate(values):
                cell = QTableWidgetItem(text)
                if col != ALLOCATE:
                    cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.setItem(row, col, cell)

    def allocate_oldest_first(self, amount: int) -> None:
        left = amount
        for row, item in enumerate(self.open):
            share = min(left, item.due)
            left -= share
            self.item(row, ALLOCATE).setText(format_number(share) if share else "")

    def fit_to(self, amount: int) -> bool:
        """Lowers the typed shares to add up to at most `amount` (see fit_allocations); says whether any
        changed. An unreadable share leaves the table as it is: saving names it."""
        try:
            shares = [parse_money(self.item(r, ALLOCATE).text() or "0") for r in range(len(self.open))]
        except ValidationError:
            return False
        fitted = fit_allocations(amount, shares)
        for row, (share, was) in enumerate(zip(fitted, shares, strict=True)):
            if share != was:
                self.item(row, ALLOCATE).setText(format_number(share) if share else "")
        return fitted != shares

    def chosen(self) -> tuple[list[Allocation], list[InstalmentShare]]:
        """What is typed, per kind; raises ValidationError naming the row that cannot be read."""
        invoices, instalments = [], []
        for row, item in enumerate(self.open):
            text = self.item(row, ALLOCATE).text().strip()
            if not text:
                continue
            try:
                amount = parse_money(text)
            except ValidationError as exc:
                raise ValidationError(f"{_label(item)}: {exc.message}") from None
            if amount and isinstance(item, OpenInstalment):
                instalments.append(InstalmentShare(item.id, amount))
            elif amount:
                invoices.append(Allocation(item.id, amount))
        return invoices, instalments

"""The records behind a report cell: a list whose rows open the record (double-click or Enter)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.persian import format_number, to_persian_digits
from app.services.core.actor import Actor
from app.services.core.xlsx_export import SheetColumn
from app.services.reports.data import DrillRecord
from app.services.reports.scopes import Drill
from app.services.reports.service import DRILL_LIMIT, ReportService
from app.ui.common.list_export import EXPORT_TEXT, export_list
from app.ui.ops import op

KIND_LABELS = {
    "opportunity": "فرصت",
    "identity": "هویت",
    "activity": "فعالیت",
    "invoice": "صورتحساب",
    "return": "برگشت از فروش",
    "quote": "پیش‌فاکتور",
    "receipt": "دریافت/پرداخت",
}

HEADERS = ["نوع", "عنوان", "مبلغ (ریال)"]


def record_title(record: DrillRecord) -> str:
    if record.kind in ("invoice", "return", "quote", "receipt"):  # a document is known by its number
        if not record.title:
            return f"{KIND_LABELS[record.kind]} پیش‌نویس"  # a draft has no number yet
        return f"{KIND_LABELS[record.kind]} شماره {to_persian_digits(record.title)}"
    return record.title


class DrillDialog(QDialog):
    sig_open_record = Signal(str, object)  # kind, id

    def __init__(self, service: ReportService, actor: Actor, drill: Drill, title: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(560, 420)
        self.records: list[DrillRecord] = []
        self.note = QLabel("در حال خواندن…")
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.table.doubleClicked.connect(lambda index: self._open(index.row()))
        self.export_button = QPushButton(EXPORT_TEXT, enabled=False)
        self.export_button.clicked.connect(self.export_to_xlsx)
        self.export_task = None
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self._task = op(self, lambda: service.drill(actor, drill)).success(self._show).run_in_background()

    def _show(self, records: list[DrillRecord]) -> None:
        self.records = records
        shown = f"{format_number(len(records))} رکورد"
        if len(records) == DRILL_LIMIT:
            shown += " (فقط همین تعداد نخست نشان داده می‌شود)"
        self.note.setText(shown)
        self.export_button.setEnabled(bool(records))
        self.table.setRowCount(len(records))
        for row, record in enumerate(records):
            amount = "" if record.amount is None else format_number(record.amount)
            for column, text in enumerate((KIND_LABELS[record.kind], record_title(record), amount)):
                item = QTableWidgetItem(text)
                if column == 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)

    def export_to_xlsx(self) -> None:
        """The records listed (at most DRILL_LIMIT, already read) to XLSX, under the dialog's title."""
        records = list(self.records)
        columns = [
            SheetColumn(HEADERS[0], lambda r: KIND_LABELS[r.kind]),
            SheetColumn(HEADERS[1], record_title),
            SheetColumn(HEADERS[2], lambda r: r.amount, money=True),
        ]
        self.export_task = export_list(self, self.windowTitle(), columns, lambda: [records], lambda: len(records))

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.table.currentRow() >= 0:
            self._open(self.table.currentRow())
            return
        super().keyPressEvent(event)

    def _open(self, row: int) -> None:
        record = self.records[row]
        self.sig_open_record.emit(record.kind, record.id)

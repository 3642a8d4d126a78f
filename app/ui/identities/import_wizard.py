"""«ورود هویت‌ها از فایل»: choose a CSV/XLSX file, map its columns (Persian and English headers are
recognised), preview, choose what to do with duplicates, import in the background with progress and
cancel (nothing is kept on cancel), then see the counts and save the Persian error report."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDialog,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.persian import format_number, to_persian_digits
from app.services.core.changes import Changes, collecting
from app.services.identities.importer import ON_DUPLICATE, SKIP, ImportCancelled, ImportResult, write_error_report
from app.services.identities.table import IMPORT_FIELDS, ImportTable
from app.ui.errors import show_error
from app.ui.events import publish
from app.ui.ops import op
from app.ui.qt_setup import make_ltr
from app.ui.tasks import TaskCancelled, run_with_progress

if TYPE_CHECKING:
    from app.services.core.actor import Actor
    from app.services.core.registry import Services

IGNORE = "— نادیده گرفتن —"
PREVIEW_ROWS = 30


class ImportWizard(QDialog):
    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services, self._actor = services, actor
        self.setWindowTitle("ورود هویت‌ها از فایل")
        self.table: ImportTable | None = None
        self.result: ImportResult | None = None
        self.task = None
        self.pages = QStackedWidget()
        self.pages.addWidget(self._file_page())
        self.pages.addWidget(self._mapping_page())
        self.pages.addWidget(self._result_page())
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        self.resize(860, 620)

    # --- page 1: the file -----------------------------------------------------------------------
    def _file_page(self) -> QWidget:
        page = QWidget()
        self.path_edit = make_ltr(QLineEdit(objectName="importPath"))
        browse = QPushButton("انتخاب فایل…")
        browse.clicked.connect(self._browse)
        self.next_button = QPushButton("ادامه")
        self.next_button.clicked.connect(lambda: self.open_file(Path(self.path_edit.text())))
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        layout = QVBoxLayout(page)
        layout.addWidget(
            QLabel(
                "فایل CSV (UTF-8) یا اکسل (XLSX) را انتخاب کنید. سطر اول باید عنوان ستون‌ها باشد؛ "
                "عنوان‌های فارسی و انگلیسی رایج خودکار شناخته می‌شوند.",
                wordWrap=True,
            )
        )
        layout.addLayout(row)
        layout.addStretch()
        layout.addWidget(self.next_button, alignment=Qt.AlignmentFlag.AlignLeft)
        return page

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "انتخاب فایل", str(Path.home()), "اکسل یا CSV (*.xlsx *.csv)")
        if path:
            self.path_edit.setText(path)
            self.open_file(Path(path))

    def open_file(self, path: Path) -> bool:
        table = op(self, lambda: self._services.identity_import.read(path)).run()
        if table is None:
            return False
        self.table = table
        self._fill_mapping(self._services.identity_import.guess_mapping(self.table.headers))
        self.pages.setCurrentIndex(1)
        return True

    # --- page 2: mapping, duplicates, preview -----------------------------------------------------
    def _mapping_page(self) -> QWidget:
        page = QWidget()
        self.summary = QLabel()
        self.mapping_table = QTableWidget(0, 3)
        self.mapping_table.setObjectName("mappingTable")
        self.mapping_table.setHorizontalHeaderLabels(["ستون فایل", "فیلد", "نمونه"])
        self.mapping_table.verticalHeader().hide()
        self.mapping_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        duplicates = QGroupBox("اگر ردیفی با هویت موجود یکسان بود (موبایل، ایمیل، کد ملی، شناسه ملی یا نام):")
        self.duplicate_group = QButtonGroup(self)
        box = QHBoxLayout(duplicates)
        for key, label in ON_DUPLICATE.items():
            radio = QRadioButton(label, checked=key == SKIP)
            radio.setProperty("choice", key)
            self.duplicate_group.addButton(radio)
            box.addWidget(radio)
        self.preview_table = QTableWidget(0, 4)
        self.preview_table.setObjectName("previewTable")
        self.preview_table.setHorizontalHeaderLabels(["ردیف", "نام", "تلفن / ایمیل", "وضعیت"])
        self.preview_table.verticalHeader().hide()
        self.preview_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview_table.horizontalHeader().setStretchLastSection(True)
        self.import_button = QPushButton("ورود اطلاعات")
        self.import_button.clicked.connect(self.start_import)
        back = QPushButton("بازگشت")
        back.clicked.connect(lambda: self.pages.setCurrentIndex(0))
        buttons = QHBoxLayout()
        buttons.addWidget(back)
        buttons.addStretch()
        buttons.addWidget(self.import_button)
        layout = QVBoxLayout(page)
        layout.addWidget(self.summary)
        layout.addWidget(self.mapping_table, 2)
        layout.addWidget(duplicates)
        layout.addWidget(QLabel("پیش‌نمایش:"))
        layout.addWidget(self.preview_table, 3)
        layout.addLayout(buttons)
        return page

    def _fill_mapping(self, mapping: dict[int, str | None]) -> None:
        table = self.table
        assert table is not None
        rows = table.numbered_rows()
        self.summary.setText(f"{format_number(len(rows))} ردیف و {format_number(len(table.headers))} ستون در فایل.")
        self.mapping_table.setRowCount(len(table.headers))
        self.combos: list[QComboBox] = []
        for index, header in enumerate(table.headers):
            combo = QComboBox()
            combo.addItem(IGNORE, None)
            for field, label in IMPORT_FIELDS.items():
                combo.addItem(label, field)
            combo.setCurrentIndex(max(combo.findData(mapping.get(index)), 0) if mapping.get(index) else 0)
            combo.currentIndexChanged.connect(lambda _i: self.refresh_preview())
            self.combos.append(combo)
            sample = next((r[index] for _, r in rows if index < len(r) and r[index]), "")
            self.mapping_table.setItem(index, 0, QTableWidgetItem(header))
            self.mapping_table.setCellWidget(index, 1, combo)
            self.mapping_table.setItem(index, 2, QTableWidgetItem(to_persian_digits(sample)))
        self.refresh_preview()

    def mapping(self) -> dict[int, str | None]:
        return {i: combo.currentData() for i, combo in enumerate(self.combos)}

    def set_field(self, column: int, field: str | None) -> None:
        combo = self.combos[column]
        combo.setCurrentIndex(max(combo.findData(field), 0) if field else 0)

    def on_duplicate(self) -> str:
        return self.duplicate_group.checkedButton().property("choice")

    def set_on_duplicate(self, choice: str) -> None:
        for button in self.duplicate_group.buttons():
            button.setChecked(button.property("choice") == choice)

    def refresh_preview(self) -> None:
        if self.table is None:
            return
        table, mapping = self.table, self.mapping()
        # The preview looks each row up for duplicates: off the GUI thread.
        rows = op(self, lambda: self._services.identity_import.preview(self._actor, table, mapping, PREVIEW_ROWS)).run()
        if rows is None:
            return
        self.preview_table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            v = row.values
            name = v.get("full_name") or " ".join(x for x in (v.get("first_name"), v.get("last_name")) if x)
            name = name or v.get("org_name", "")
            contact = v.get("mobile") or v.get("phone") or v.get("email") or ""
            if row.error:
                status = f"خطا: {row.error}"
            elif row.duplicate_of:
                status = f"تکراری: «{row.duplicate_of}»"
            else:
                status = "آماده"
            for c, value in enumerate([format_number(row.row_number), name, to_persian_digits(contact), status]):
                item = QTableWidgetItem(value)
                if c == 3 and row.error:
                    item.setForeground(Qt.GlobalColor.red)
                self.preview_table.setItem(r, c, item)
        self.import_button.setEnabled(any(self.mapping().values()))

    # --- run ------------------------------------------------------------------------------------------
    def start_import(self):
        table, mapping, choice = self.table, self.mapping(), self.on_duplicate()
        services, actor = self._services, self._actor

        def work(context) -> tuple[ImportResult, Changes]:
            # Not an op (it needs progress and cancel), so it collects what the import wrote itself.
            try:
                with collecting() as changes:
                    result = services.identity_import.run(
                        actor, table, mapping, choice, context.report, context.cancelled
                    )
            except ImportCancelled:
                raise TaskCancelled() from None
            return result, changes.build()

        self.import_button.setEnabled(False)
        self.task = run_with_progress(self, "ورود هویت‌ها", work, on_done=self._finished)
        self.task.sig_cancelled.connect(lambda: self.import_button.setEnabled(True))
        self.task.sig_failed.connect(lambda _e: self.import_button.setEnabled(True))
        return self.task

    # --- page 3: result ----------------------------------------------------------------------------
    def _result_page(self) -> QWidget:
        page = QWidget()
        self.result_label = QLabel(objectName="importResult", wordWrap=True)
        self.errors_table = QTableWidget(0, 2)
        self.errors_table.setObjectName("importErrors")
        self.errors_table.setHorizontalHeaderLabels(["ردیف", "دلیل"])
        self.errors_table.verticalHeader().hide()
        self.errors_table.horizontalHeader().setStretchLastSection(True)
        self.report_button = QPushButton("ذخیره گزارش خطا…")
        self.report_button.clicked.connect(self._save_report)
        close = QPushButton("بستن")
        close.clicked.connect(self.accept)
        row = QHBoxLayout()
        row.addWidget(self.report_button)
        row.addStretch()
        row.addWidget(close)
        layout = QVBoxLayout(page)
        layout.addWidget(self.result_label)
        layout.addWidget(self.errors_table, 1)
        layout.addLayout(row)
        return page

    def _finished(self, outcome: tuple[ImportResult, Changes]) -> None:
        result, changes = outcome
        publish(changes)
        self.result = result
        self.result_label.setText(
            f"از {format_number(result.total)} ردیف: {format_number(result.created)} هویت تازه، "
            f"{format_number(result.merged)} ادغام، {format_number(result.skipped)} تکراری ردشده و "
            f"{format_number(result.failed)} ردیف با خطا."
        )
        rows = [*result.errors, *[replace(w, reason=f"هشدار: {w.reason}") for w in result.warnings]]
        self.errors_table.setRowCount(len(rows))
        for r, error in enumerate(rows):  # warnings: imported, but read differently from the file
            self.errors_table.setItem(r, 0, QTableWidgetItem(format_number(error.row_number)))
            self.errors_table.setItem(r, 1, QTableWidgetItem(error.reason))
        self.report_button.setVisible(bool(result.errors))
        self.pages.setCurrentIndex(2)

    def _save_report(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "گزارش خطا", str(Path.home() / "گزارش خطای ورود.xlsx"), "اکسل (*.xlsx);;CSV (*.csv)"
        )
        if path:
            self.save_report(Path(path))

    def save_report(self, path: Path) -> None:
        if self.result is None or self.table is None:
            return
        try:
            write_error_report(path, self.table, self.result.errors)
        except OSError as exc:
            show_error(self, f"گزارش ذخیره نشد: {exc.strerror or exc}")

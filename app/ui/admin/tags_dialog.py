"""«برچسب‌ها»: the administrator's tag management page (seed 004 «تگ‌ها»). Every tag with its colour
chip and how many identities and opportunities carry it; rename, colour, merge into another tag, remove
and bring back. Each change is saved at once through TagAdminService."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app.persian import format_number
from app.ui.common.form_dialog import buttons_row
from app.ui.errors import show_error
from app.ui.opportunities.card_delegate import chip_colors
from app.ui.ops import op

if TYPE_CHECKING:
    from app.services.admin.tags import TagRow
    from app.services.core.actor import Actor
    from app.services.core.registry import Services

# A small palette with Persian names: picking from it is quicker than a colour wheel, and chips stay legible.
COLORS = (
    ("بی‌رنگ", None),
    ("قرمز", "#c62828"),
    ("نارنجی", "#ef6c00"),
    ("زرد", "#f9a825"),
    ("سبز", "#2e7d32"),
    ("فیروزه‌ای", "#00838f"),
    ("آبی", "#1565c0"),
    ("بنفش", "#6a1b9a"),
    ("خاکستری", "#607d8b"),
)
HEADERS = ("برچسب", "هویت‌ها", "فرصت‌ها", "وضعیت")


class TagsDialog(QDialog):
    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("برچسب‌ها")
        self.resize(560, 460)
        self._tags, self._a = services.tag_admin, actor
        self.rows: list[TagRow] = []
        self.table = QTableWidget(0, len(HEADERS), objectName="tags")
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()  # row numbers would show in Latin digits
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.currentCellChanged.connect(lambda *_a: self._show_selected())
        self.show_deleted = QCheckBox("نمایش برچسب‌های حذف‌شده")
        self.show_deleted.toggled.connect(lambda _on: self.refresh())
        self.name = QLineEdit(objectName="tagName")
        self.color = QComboBox(objectName="tagColor")
        for label, value in COLORS:
            self.color.addItem(label, value)
        self.merge_into = QComboBox(objectName="mergeInto")
        form = QFormLayout()
        form.addRow("نام", self.name)
        form.addRow("رنگ", self.color)
        form.addRow("ادغام در", self.merge_into)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText("بستن")
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.show_deleted)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addLayout(
            buttons_row(("تغییر نام", self.rename), ("ثبت رنگ", self.set_color), ("ادغام", self.merge),
                        ("حذف", self.delete), ("بازگرداندن", self.restore))
        )  # fmt: skip
        layout.addWidget(close)
        self.refresh()

    def refresh(self, select=None) -> None:
        current = select or (self.selected().id if self.selected() else None)
        tags, actor, deleted = self._tags, self._a, self.show_deleted.isChecked()  # read here, not in the worker
        rows = op(self, lambda: tags.list_tags(actor, deleted)).run()
        if not isValid(self):  # the wait lets a closing window go, this dialog with it
            return
        self.rows = rows or []
        self.table.setRowCount(len(self.rows))
        for index, tag in enumerate(self.rows):
            chip = QTableWidgetItem(tag.name)
            background, foreground = chip_colors(tag.color)
            chip.setBackground(background)
            chip.setForeground(foreground)
            self.table.setItem(index, 0, chip)
            for column, count in ((1, tag.identities), (2, tag.opportunities)):
                self.table.setItem(index, column, QTableWidgetItem(format_number(count)))
            self.table.setItem(index, 3, QTableWidgetItem("حذف‌شده" if tag.deleted else "فعال"))
        found = next((i for i, t in enumerate(self.rows) if t.id == current), 0 if self.rows else -1)
        self.table.setCurrentCell(found, 0)  # not selectRow(): it selects nothing in a right-to-left table
        self._show_selected()

    def selected(self) -> TagRow | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def _show_selected(self) -> None:
        tag = self.selected()
        self.name.setText(tag.name if tag else "")
        self.color.setCurrentIndex(max(0, self.color.findData(tag.color if tag else None)))
        self.merge_into.clear()
        for other in self.rows:
            if tag is not None and other.id != tag.id and not other.deleted:
                self.merge_into.addItem(other.name, other.id)

    def _write(self, call: Callable[[], object]) -> None:
        """Runs one change (a refusal is shown), then shows the tags again."""
        tag = self.selected()
        operation = op(self, call).validation(lambda errors: show_error(self, "\n".join(errors.values())))
        operation.run()
        if operation.succeeded:
            self.refresh(tag.id if tag else None)

    def rename(self) -> None:
        if (tag := self.selected()) is not None:
            name = self.name.text()
            self._write(lambda: self._tags.rename(self._a, tag.id, name))

    def set_color(self) -> None:
        if (tag := self.selected()) is not None:
            color = self.color.currentData()
            self._write(lambda: self._tags.set_color(self._a, tag.id, color))

    def merge(self) -> None:
        tag, kept = self.selected(), self.merge_into.currentData()
        if tag is None or kept is None:
            return
        question = (
            f"برچسب «{tag.name}» از همه هویت‌ها و فرصت‌ها برداشته و «{self.merge_into.currentText()}»"
            " جای آن گذاشته می‌شود. ادامه می‌دهید؟"
        )
        answer = QMessageBox.question(self, "ادغام برچسب‌ها", question)
        if answer == QMessageBox.StandardButton.Yes:
            self._write(lambda: self._tags.merge(self._a, tag.id, kept))

    def delete(self) -> None:
        if (tag := self.selected()) is not None and not tag.deleted:
            self._write(lambda: self._tags.delete(self._a, tag.id))

    def restore(self) -> None:
        if (tag := self.selected()) is not None and tag.deleted:
            self._write(lambda: self._tags.restore(self._a, tag.id))

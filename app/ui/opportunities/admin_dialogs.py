"""The administrator's sales settings: pipelines and their stages, the sales lists (types, sources,
campaigns, media, win/loss reasons, competitors) and the opportunities' extra fields.

Every change goes through the services (which refuse anyone but an administrator); a refused
value shows under its field and nothing typed is lost.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QInputDialog,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.persian import format_number
from app.services.core.labels import CUSTOM_FIELD_KIND
from app.services.opportunities.sales_lists import KINDS
from app.ui.common.combo import index_of
from app.ui.common.form_dialog import FormDialog, buttons_row
from app.ui.errors import show_error
from app.ui.ops import op

if TYPE_CHECKING:
    from app.services.core.actor import Actor
    from app.services.core.registry import Services

FIELD_KINDS = CUSTOM_FIELD_KIND


def _close_box(dialog: QDialog) -> QDialogButtonBox:
    """These dialogs save each change as it is made: one «بستن» button closes them."""
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    box.button(QDialogButtonBox.StandardButton.Close).setText("بستن")
    box.rejected.connect(dialog.reject)
    return box


class StageDialog(FormDialog):
    def __init__(self, services: Services, actor: Actor, pipeline_id, stage=None, parent=None) -> None:
        super().__init__("مرحله", parent)
        self._s, self._a, self._pipeline, self._stage = services, actor, pipeline_id, stage
        self.name = self.form.add_line("name", "نام مرحله", required=True)
        self.probability = self.add("probability", "احتمال پیش‌فرض", QSpinBox(minimum=0, maximum=100, suffix="٪"))
        if stage is not None:
            self.name.setText(stage.name)
            self.probability.setValue(stage.probability)

    def submit(self) -> Callable[[], object]:
        pipelines, actor, pipeline_id = self._s.pipelines, self._a, self._pipeline
        stage_id = self._stage.id if self._stage else None
        name, probability = self.name.text(), self.probability.value()
        return lambda: pipelines.save_stage(actor, pipeline_id, name, probability, stage_id)


class PipelinesDialog(QDialog):
    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("کاریزها و مراحل فروش")
        self.resize(560, 420)
        self._s, self._a = services, actor
        self.pipeline = QComboBox(objectName="pipeline")
        self.pipeline.currentIndexChanged.connect(self._fill_stages)
        self.stages = QTableWidget(0, 3, objectName="stages")
        self.stages.setHorizontalHeaderLabels(["مرحله", "احتمال پیش‌فرض", "روی بورد"])
        self.stages.horizontalHeader().setStretchLastSection(True)
        self.stages.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.stages.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        top = QHBoxLayout()
        top.addWidget(self.pipeline, 1)
        top.addLayout(buttons_row(("کاریز تازه…", self.new_pipeline), ("تغییر نام…", self.rename_pipeline)))
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.stages)
        layout.addLayout(
            buttons_row(("افزودن مرحله…", lambda: self.edit_stage(None)), ("ویرایش…", self._edit_selected),
                        ("بالاتر", lambda: self.move(-1)), ("پایین‌تر", lambda: self.move(1)), ("حذف", self.delete))
        )  # fmt: skip
        layout.addLayout(buttons_row(("جمع‌شده / باز روی بورد", self.toggle_folded)))
        layout.addWidget(_close_box(self))
        self.refresh()

    def refresh(self, select=None) -> None:
        self._pipelines = self._s.pipelines.pipelines(self._a)
        current = select or self.pipeline.currentData()
        self.pipeline.blockSignals(True)
        self.pipeline.clear()
        for p in self._pipelines:
            self.pipeline.addItem(p.name + (" (پیش‌فرض)" if p.is_default else ""), p.id)
        index = index_of(self.pipeline, current)
        self.pipeline.setCurrentIndex(max(index, 0))
        self.pipeline.blockSignals(False)
        self._fill_stages()

    def _current(self):
        return next((p for p in self._pipelines if p.id == self.pipeline.currentData()), None)

    def _fill_stages(self) -> None:
        pipeline = self._current()
        stages = pipeline.stages if pipeline else ()
        self.stages.setRowCount(len(stages))
        for row, st in enumerate(stages):
            self.stages.setItem(row, 0, QTableWidgetItem(st.name))
            self.stages.setItem(row, 1, QTableWidgetItem(f"{format_number(st.probability)}٪"))
            self.stages.setItem(row, 2, QTableWidgetItem("جمع‌شده" if st.folded else "باز"))

    def _selected_stage(self):
        pipeline, row = self._current(), self.stages.currentRow()
        return pipeline.stages[row] if pipeline and 0 <= row < len(pipeline.stages) else None

    def _write(self, call: Callable[[], uuid.UUID | None]) -> None:
        """Runs a change to the pipelines (a refusal is shown), then shows them (a saved one selected)."""
        operation = op(self, call).validation(lambda errors: show_error(self, "\n".join(errors.values())))
        saved_id = operation.run()
        if operation.succeeded:
            self.refresh(saved_id)

    def new_pipeline(self) -> None:
        name, ok = QInputDialog.getText(self, "کاریز تازه", "نام کاریز:")
        if ok:
            pipelines, actor = self._s.pipelines, self._a
            self._write(lambda: pipelines.save_pipeline(actor, name))

    def rename_pipeline(self) -> None:
        pipeline = self._current()
        if pipeline is None:
            return
        name, ok = QInputDialog.getText(self, "تغییر نام کاریز", "نام کاریز:", text=pipeline.name)
        if ok:
            pipelines, actor = self._s.pipelines, self._a
            self._write(lambda: pipelines.save_pipeline(actor, name, pipeline.id))

    def edit_stage(self, stage) -> None:
        pipeline = self._current()
        if pipeline is not None and StageDialog(self._s, self._a, pipeline.id, stage, self).exec():
            self.refresh()

    def _edit_selected(self) -> None:
        stage = self._selected_stage()
        if stage is not None:
            self.edit_stage(stage)

    def move(self, delta: int) -> None:
        stage = self._selected_stage()
        if stage is not None:
            pipelines, actor = self._s.pipelines, self._a
            self._write(lambda: pipelines.move_stage(actor, stage.id, delta))
            row = max(0, min(self.stages.rowCount() - 1, stage.position + delta))
            self.stages.setCurrentCell(row, 0)  # not selectRow(): it selects nothing in a right-to-left table

    def delete(self) -> None:
        stage = self._selected_stage()
        if stage is not None:
            pipelines, actor = self._s.pipelines, self._a
            self._write(lambda: pipelines.delete_stage(actor, stage.id))

    def toggle_folded(self) -> None:
        """The stage's default on the board: folded for users who have not chosen themselves."""
        stage = self._selected_stage()
        if stage is not None:
            pipelines, actor = self._s.pipelines, self._a
            self._write(lambda: pipelines.set_folded_default(actor, stage.id, not stage.folded))
            self.stages.setCurrentCell(stage.position, 0)


class SalesListsDialog(QDialog):
    """One list at a time: add, rename, activate/deactivate and order its items."""

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("فهرست‌های فروش")
        self.resize(460, 420)
        self._s, self._a = services, actor
        self.kind = QComboBox(objectName="listKind")
        for key, (_model, _reason, label) in KINDS.items():
            self.kind.addItem(label, key)
        self.kind.currentIndexChanged.connect(self.refresh)
        self.items = QListWidget(objectName="listItems")
        layout = QVBoxLayout(self)
        layout.addWidget(self.kind)
        layout.addWidget(self.items)
        layout.addLayout(
            buttons_row(("افزودن…", self.ask_item), ("تغییر نام…", self.rename), ("فعال / غیرفعال", self.toggle),
                        ("بالاتر", lambda: self.move(-1)), ("پایین‌تر", lambda: self.move(1)))
        )  # fmt: skip
        layout.addWidget(_close_box(self))
        self.refresh()

    def refresh(self) -> None:
        self._rows = self._s.sales_lists.items(self._a, self.kind.currentData(), include_inactive=True)
        self.items.clear()
        for item in self._rows:
            entry = QListWidgetItem(item.name + ("" if item.is_active else " (غیرفعال)"))
            if not item.is_active:
                entry.setForeground(Qt.GlobalColor.gray)
            self.items.addItem(entry)

    def _selected(self):
        row = self.items.currentRow()
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def _write(self, call: Callable[[], object]) -> None:
        operation = op(self, call).validation(lambda errors: show_error(self, "\n".join(errors.values())))
        operation.run()
        if operation.succeeded:
            self.refresh()

    def _save(self, name: str, item=None, active: bool = True) -> None:
        lists, actor, kind, item_id = self._s.sales_lists, self._a, self.kind.currentData(), item.id if item else None
        self._write(lambda: lists.save_item(actor, kind, name, item_id, active))

    def ask_item(self) -> None:
        """«افزودن…»: asks for the new item's name."""
        name, ok = QInputDialog.getText(self, "افزودن", "نام:")
        if ok:
            self.add_item(name)

    def add_item(self, name: str) -> None:
        self._save(name)

    def rename(self) -> None:
        item = self._selected()
        if item is not None:
            name, ok = QInputDialog.getText(self, "تغییر نام", "نام:", text=item.name)
            if ok:
                self._save(name, item, item.is_active)

    def toggle(self) -> None:
        item = self._selected()
        if item is not None:
            self._save(item.name, item, not item.is_active)

    def move(self, delta: int) -> None:
        item = self._selected()
        if item is not None:
            lists, actor, kind, row = self._s.sales_lists, self._a, self.kind.currentData(), self.items.currentRow()
            self._write(lambda: lists.move_item(actor, kind, item.id, delta))
            self.items.setCurrentRow(max(0, min(self.items.count() - 1, row + delta)))


class FieldDialog(FormDialog):
    def __init__(self, services: Services, actor: Actor, field=None, parent=None) -> None:
        super().__init__("فیلد اضافه", parent)
        self._s, self._a, self._field = services, actor, field
        self.name = self.form.add_line("name", "نام فیلد", required=True)
        self.kind = self.add("kind", "نوع", QComboBox())
        for kind, label in FIELD_KINDS.items():
            self.kind.addItem(label, kind)
        self.choices = self.add("choices", "گزینه‌ها (هر خط یکی)", QPlainTextEdit())
        self.active = self.add("is_active", "", QCheckBox("فعال", checked=True))
        if field is not None:
            self.name.setText(field.name)
            self.kind.setCurrentIndex(index_of(self.kind, field.kind))
            self.choices.setPlainText("\n".join(field.choices))
            self.active.setChecked(field.is_active)

    def submit(self) -> Callable[[], object]:
        fields, actor = self._s.custom_fields, self._a
        choices = tuple(line for line in self.choices.toPlainText().splitlines() if line.strip())
        name, kind, active = self.name.text(), self.kind.currentData(), self.active.isChecked()
        field_id = self._field.id if self._field else None
        return lambda: fields.save_field(actor, name, kind, choices, field_id=field_id, is_active=active)


class CustomFieldsDialog(QDialog):
    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("فیلدهای اضافه فرصت")
        self.resize(420, 360)
        self._s, self._a = services, actor
        self.fields = QListWidget(objectName="customFields")
        self.fields.itemDoubleClicked.connect(lambda _i: self.edit())
        layout = QVBoxLayout(self)
        layout.addWidget(self.fields)
        layout.addLayout(buttons_row(("افزودن…", lambda: self.edit(new=True)), ("ویرایش…", self.edit)))
        layout.addWidget(_close_box(self))
        self.refresh()

    def refresh(self) -> None:
        self._rows = self._s.custom_fields.fields(self._a, include_inactive=True)
        self.fields.clear()
        for f in self._rows:
            self.fields.addItem(f"{f.name} — {FIELD_KINDS[f.kind]}" + ("" if f.is_active else " (غیرفعال)"))

    def edit(self, new: bool = False) -> None:
        row = self.fields.currentRow()
        field = None if new or not 0 <= row < len(self._rows) else self._rows[row]
        if FieldDialog(self._s, self._a, field, self).exec():
            self.refresh()

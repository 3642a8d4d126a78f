"""«انواع فعالیت» (administrators): add types with an icon and a default next activity."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import ActivityKind, DelayFrom, DelayUnit, NextActivityMode
from app.services.activities.activity_types import ICONS, ActivityTypeData, ActivityTypeRow
from app.services.core.labels import ACTIVITY_KIND, DELAY_FROM, DELAY_UNIT, NEXT_ACTIVITY_MODE
from app.ui.activities.activity_dialog import select_data
from app.ui.common.activity_icons import TYPE_ICON_NAMES, type_icon
from app.ui.common.form_fields import ErrorForm, FieldRow
from app.ui.ops import op

if TYPE_CHECKING:
    from app.services.core.actor import Actor
    from app.services.core.registry import Services


def _combo(name: str, items) -> QComboBox:
    box = QComboBox(objectName=name)
    for value, label in items:
        box.addItem(label, value)
    return box


class ActivityTypesDialog(QDialog):
    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services, self._actor = services, actor
        self._current: ActivityTypeRow | None = None
        self.setWindowTitle("انواع فعالیت")
        self.setMinimumWidth(640)
        self.list = QListWidget(objectName="typeList")
        self.list.currentItemChanged.connect(lambda item, _p: self._show(item.data(256) if item else None))
        new = QPushButton("نوع جدید")
        new.clicked.connect(lambda: self._show(None))
        left = QVBoxLayout()
        left.addWidget(self.list)
        left.addWidget(new)

        self.form = ErrorForm()
        self.name = self.form.add_line("name", "نام", required=True)
        self.kind = self._row("kind", "رفتار", _combo("kind", ACTIVITY_KIND.items()))
        self.icon = self._row("icon", "نماد", QComboBox(objectName="icon"))
        for name in ICONS:
            self.icon.addItem(type_icon(name), TYPE_ICON_NAMES.get(name, name), name)
        self.active = self._row("is_active", "فعال", QCheckBox())
        self.mode = self._row("next_mode", "فعالیت بعدی", _combo("next_mode", NEXT_ACTIVITY_MODE.items()))
        self.next_type = self._row("next_type_id", "نوع فعالیت بعدی", QComboBox(objectName="next_type_id"))
        delay = QWidget()
        line = QHBoxLayout(delay)
        line.setContentsMargins(0, 0, 0, 0)
        self.delay = QSpinBox(objectName="next_delay", minimum=0, maximum=365)
        self.unit = _combo("next_delay_unit", DELAY_UNIT.items())
        self.start = _combo("next_from", DELAY_FROM.items())
        for widget in (self.delay, self.unit, self.start):
            line.addWidget(widget)
        self._row("next_delay", "زمان‌بندی", delay)
        save = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close)
        save.accepted.connect(self.save)
        save.rejected.connect(self.reject)
        right = QVBoxLayout()
        right.addLayout(self.form)
        right.addStretch()
        right.addWidget(save)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addLayout(right, 2)
        self.reload()

    def _row(self, field: str, label: str, editor):
        row = FieldRow(editor)
        self.form.rows[field] = row
        self.form.addRow(label, row)
        return editor

    def reload(self, select_id=None) -> None:
        types = self._services.activity_types.types(self._actor, include_inactive=True)
        self.list.clear()
        self.next_type.clear()
        for t in types:
            item = QListWidgetItem(type_icon(t.icon), t.name + ("" if t.is_active else " (غیرفعال)"), self.list)
            item.setData(256, t)
            self.next_type.addItem(type_icon(t.icon), t.name, t.id)
            if t.id == select_id:
                self.list.setCurrentItem(item)
        if select_id is None:
            self._show(None)

    def _show(self, t: ActivityTypeRow | None) -> None:
        self._current = t
        self.form.show_errors({})
        self.name.setText(t.name if t else "")
        self.kind.setCurrentIndex(self.kind.findData(t.kind if t else ActivityKind.TASK))
        self.kind.setEnabled(t is None or not t.is_builtin)
        self.icon.setCurrentIndex(max(0, self.icon.findData(t.icon if t else "star")))
        self.active.setChecked(t.is_active if t else True)
        self.mode.setCurrentIndex(self.mode.findData(t.next_mode if t else NextActivityMode.NONE))
        self.next_type.setCurrentIndex(0)
        select_data(self.next_type, t.next_type_id if t else None)
        self.delay.setValue(t.next_delay if t else 0)
        self.unit.setCurrentIndex(self.unit.findData(t.next_delay_unit if t else DelayUnit.DAYS))
        self.start.setCurrentIndex(self.start.findData(t.next_from if t else DelayFrom.COMPLETION))

    def value(self) -> ActivityTypeData:
        return ActivityTypeData(
            name=self.name.text(),
            kind=self.kind.currentData(),
            icon=self.icon.currentData(),
            next_mode=self.mode.currentData(),
            next_type_id=self.next_type.currentData(),
            next_delay=self.delay.value(),
            next_delay_unit=self.unit.currentData(),
            next_from=self.start.currentData(),
            is_active=self.active.isChecked(),
        )

    def save(self) -> None:
        types, actor, data = self._services.activity_types, self._actor, self.value()
        type_id = self._current.id if self._current else None
        row = op(self, lambda: types.save(actor, data, type_id)).validation(self.form.show_errors).run()
        if row is not None:
            self.reload(row.id)

"""The opportunity form's extra fields (مشخصات اضافه), built from the admin's definitions."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit, QWidget

from app.models.enums import CustomFieldKind
from app.persian import to_persian_digits
from app.services.admin.custom_fields import FieldDef, error_key
from app.ui.common.combo import index_of
from app.ui.common.form_fields import FieldRow
from app.ui.common.jalali_date_edit import JalaliDateEdit


class ExtraFields(QWidget):
    sig_changed = Signal()

    def __init__(self, fields: list[FieldDef], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fields = fields
        self.editors: dict[str, QWidget] = {}
        self.rows: dict[str, FieldRow] = {}  # error key -> row
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        for f in fields:
            editor = self._editor(f)
            editor.setObjectName(f"extra_{f.id.hex}")
            self.editors[f.key] = editor
            row = FieldRow(editor)
            self.rows[error_key(f)] = row
            form.addRow(f.name, row)

    def _editor(self, f: FieldDef) -> QWidget:
        if f.kind is CustomFieldKind.DATE:
            edit = JalaliDateEdit()
            edit.setNullable(True)
            edit.set_date_value(None)
            edit.sig_value_changed.connect(lambda _v: self.sig_changed.emit())
            return edit
        if f.kind is CustomFieldKind.CHOICE:
            combo = QComboBox()
            combo.addItem("—", None)
            for choice in f.choices:
                combo.addItem(choice, choice)
            combo.currentIndexChanged.connect(lambda _i: self.sig_changed.emit())
            return combo
        edit = QLineEdit()
        edit.textEdited.connect(lambda _t: self.sig_changed.emit())
        return edit

    def set_values(self, values: dict) -> None:
        for f in self._fields:
            editor, value = self.editors[f.key], values.get(f.key)
            if isinstance(editor, JalaliDateEdit):
                editor.set_date_value(dt.date.fromisoformat(value) if value else None)
            elif isinstance(editor, QComboBox):
                index = index_of(editor, value)
                editor.setCurrentIndex(max(index, 0))
            else:
                text = "" if value is None else str(value)
                editor.setText(to_persian_digits(text) if f.kind is CustomFieldKind.NUMBER else text)

    def values(self) -> tuple[dict, dict]:
        """(values by field key, errors) — the service checks them again."""
        values: dict = {}
        for f in self._fields:
            editor = self.editors[f.key]
            if isinstance(editor, JalaliDateEdit):
                day = editor.date_value()
                values[f.key] = day.isoformat() if day else None
            elif isinstance(editor, QComboBox):
                values[f.key] = editor.currentData()
            else:
                values[f.key] = editor.text()
        return values, {}

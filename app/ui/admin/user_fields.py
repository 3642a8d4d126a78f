"""Form pieces shared by the user dialogs and the first-run wizard: combos, check lists and the password pair."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QListWidget, QListWidgetItem

from app.ui.common.form_fields import ErrorForm, FieldRow

PASSWORDS_DIFFER = "تکرار گذرواژه با خود گذرواژه یکی نیست."


class ValueCombo(QComboBox):
    """A choice among Python values. Not itemData: Qt turns a str enum into a plain str and
    compares UUIDs by identity, so findData() misses an equal UUID from another query."""

    def __init__(self, items: list[tuple[str, object]], name: str) -> None:
        super().__init__(objectName=name)
        self._values = [value for _, value in items]
        self.addItems([text for text, _ in items])

    def value(self) -> object:
        return self._values[self.currentIndex()] if self.currentIndex() >= 0 else None

    def set_value(self, value: object) -> None:
        self.setCurrentIndex(self._values.index(value) if value in self._values else 0)


def add_combo(form: ErrorForm, field: str, label: str, items: list[tuple[str, object]]) -> ValueCombo:
    """A choice whose errors show under it like a line edit's; items are (text, value)."""
    combo = ValueCombo(items, field)
    form.rows[field] = FieldRow(combo)
    form.addRow(label, form.rows[field])
    return combo


class CheckList(QListWidget):
    """Several choices among Python values, each a check box (a user's other sales teams)."""

    def __init__(self, items: list[tuple[str, object]], name: str) -> None:
        super().__init__(objectName=name)
        self._values = [value for _, value in items]
        for text, _ in items:
            item = QListWidgetItem(text)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.addItem(item)
        self.setMaximumHeight(22 * min(max(len(items), 1), 5) + 6)

    def values(self) -> tuple:
        return tuple(v for i, v in enumerate(self._values) if self.item(i).checkState() == Qt.CheckState.Checked)

    def set_values(self, values) -> None:
        for i, value in enumerate(self._values):
            self.item(i).setCheckState(Qt.CheckState.Checked if value in values else Qt.CheckState.Unchecked)


def add_checklist(form: ErrorForm, field: str, label: str, items: list[tuple[str, object]]) -> CheckList:
    """Check boxes whose errors show under them like a line edit's; items are (text, value)."""
    checks = CheckList(items, field)
    form.rows[field] = FieldRow(checks)
    form.addRow(label, form.rows[field])
    return checks


def add_password_pair(form: ErrorForm) -> None:
    """«گذرواژه» and «تکرار گذرواژه», hidden as typed and left to right."""
    for field, label in (("password", "گذرواژه"), ("password_repeat", "تکرار گذرواژه")):
        form.add_line(field, label, ltr=True, required=True).setEchoMode(QLineEdit.EchoMode.Password)


def password_pair_errors(form: ErrorForm) -> dict[str, str]:
    """The one check the service cannot make: both typings agree."""
    if form.text("password") != form.text("password_repeat"):
        return {"password_repeat": PASSWORDS_DIFFER}
    return {}

"""What the board's admin, catalogue and result dialogs share: a small form dialog whose OK runs
`submit()` (refusals stay on screen), a row of buttons, and a service call whose refusal is shown."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.services.core.errors import ServiceError, ValidationFailed
from app.ui.common.form_fields import ErrorForm, FieldRow
from app.ui.errors import show_error


def buttons_row(*pairs) -> QHBoxLayout:
    row = QHBoxLayout()
    for text, slot in pairs:
        button = QPushButton(text)
        button.clicked.connect(slot)
        row.addWidget(button)
    row.addStretch()
    return row


def call_or_show(parent: QWidget, action: Callable[[], object]) -> bool:
    """Runs a service call; a refusal is shown in a message box (no form to point at). True if it ran."""
    try:
        action()
    except ValidationFailed as exc:
        show_error(parent, "\n".join(exc.errors.values()))
        return False
    except ServiceError as exc:
        show_error(parent, exc.message)
        return False
    return True


class FormDialog(QDialog):
    """A small dialog with an ErrorForm (under an optional bold heading) whose OK runs `submit()`;
    refusals stay on screen."""

    def __init__(self, title: str, parent: QWidget | None = None, heading: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = ErrorForm()
        layout = QVBoxLayout(self)
        if heading is not None:
            layout.addWidget(QLabel(f"<b>{heading}</b>", wordWrap=True))
        layout.addLayout(self.form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def add(self, field: str, label: str, editor: QWidget) -> QWidget:
        row = FieldRow(editor)
        self.form.rows[field] = row
        self.form.addRow(label, row)
        return editor

    def submit(self) -> None:
        raise NotImplementedError

    def accept(self) -> None:
        try:
            self.submit()
        except ValidationFailed as exc:
            self.form.show_errors(exc.errors)
            return
        except ServiceError as exc:
            show_error(self, exc.message)
            return
        super().accept()

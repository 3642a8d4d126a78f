"""A form layout whose fields show their own error text underneath, in red, and what the dialogs
built on it share: the message line, the Save/Cancel buttons and a save whose refusal stays on screen."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.services.core.errors import ServiceError, ValidationFailed
from app.ui.ops import op
from app.ui.qt_setup import make_ltr

T = TypeVar("T")


class FieldRow(QWidget):
    def __init__(self, editor: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.error = QLabel(wordWrap=True)
        self.error.setObjectName("fieldError")
        self.error.setStyleSheet("color: #c62828;")
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(editor)
        layout.addWidget(self.error)

    def set_error(self, message: str | None) -> None:
        self.error.setText(message or "")
        self.error.setVisible(bool(message))


class ErrorForm(QFormLayout):
    """Line edits by field name; `show_errors` puts each message under its field."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, FieldRow] = {}

    def add_line(self, field: str, label: str, ltr: bool = False, required: bool = False) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(field)
        if ltr:
            make_ltr(edit)
        row = FieldRow(edit)
        self.rows[field] = row
        self.addRow(f"{label}{' *' if required else ''}", row)
        return edit

    def text(self, field: str) -> str:
        editor = self.rows[field].editor
        assert isinstance(editor, QLineEdit)
        return editor.text()

    def show_errors(self, errors: dict[str, str]) -> None:
        """Shows each message by its field and focuses the first faulty one; typed text stays."""
        first = None
        for field, row in self.rows.items():
            row.set_error(errors.get(field))
            if field in errors and first is None:
                first = row.editor
        if first is not None:
            first.setFocus()


def message_label() -> QLabel:
    """The red line under a form for a refusal that belongs to no one field."""
    label = QLabel(wordWrap=True, objectName="formMessage")
    label.setStyleSheet("color: #c62828;")
    return label


def dialog_buttons(
    dialog: QDialog, ok: QDialogButtonBox.StandardButton = QDialogButtonBox.StandardButton.Save
) -> QDialogButtonBox:
    """`ok` and Cancel wired to the dialog's accept and reject."""
    buttons = QDialogButtonBox(ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


def said_in(message: QLabel) -> Callable[[ServiceError], bool]:
    """An operation's failure handler for a dialog that says refusals in its own message line."""

    def say(exc: ServiceError) -> bool:
        message.setText(exc.message)
        return True

    return say


def save_or_show(
    form: ErrorForm,
    message: QLabel,
    submit: Callable[[], Callable[[], T]],
    on_saved: Callable[[T], object] | None = None,
) -> bool:
    """Runs the write behind a form's OK as a UI operation. `submit()` reads the typed values (GUI
    thread; ValidationFailed for one it cannot read) and returns the service call to run. A refusal
    shows by its fields and in `message`, and False keeps the dialog open with everything typed."""

    def refused(exc: ServiceError) -> bool:  # shown inside the dialog, which stays open
        if isinstance(exc, ValidationFailed):
            form.show_errors(exc.errors)
        message.setText(exc.message)
        return True

    try:
        write = submit()
    except ValidationFailed as exc:
        refused(exc)
        return False
    operation = op(message, write).failure(refused)
    if on_saved is not None:
        operation.success(on_saved)
    operation.run()
    return operation.succeeded

"""What the board's admin, catalogue and result dialogs share: a small form dialog whose OK runs the
write `submit()` returns as a UI operation (refusals stay on screen), and a row of buttons."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.services.core.errors import ValidationFailed
from app.ui.common.form_fields import ErrorForm, FieldRow
from app.ui.ops import op

# The window manager draws the title beside an icon and two or three buttons: a dialog narrower than
# the title plus these shows «بازگردا…فرصت».
TITLE_BAR_EXTRA = 160


def buttons_row(*pairs) -> QHBoxLayout:
    row = QHBoxLayout()
    for text, slot in pairs:
        button = QPushButton(text)
        button.clicked.connect(slot)
        row.addWidget(button)
    row.addStretch()
    return row


class FormDialog(QDialog):
    """A small dialog with an ErrorForm (under an optional bold heading) whose OK runs the service call
    `submit()` returns; refusals stay on screen next to their fields."""

    def __init__(self, title: str, parent: QWidget | None = None, heading: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance(title) + TITLE_BAR_EXTRA)
        self.form = ErrorForm()
        layout = QVBoxLayout(self)
        if heading is not None:
            layout.addWidget(QLabel(f"<b>{heading}</b>", wordWrap=True))
        layout.addLayout(self.form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    progress_title: str | None = None
    """Set for a write that may take a while (a batch): OK then shows a progress dialog with cancel."""

    def add(self, field: str, label: str, editor: QWidget) -> QWidget:
        row = FieldRow(editor)
        self.form.rows[field] = row
        self.form.addRow(label, row)
        return editor

    def submit(self) -> Callable[[], object]:
        """Reads the typed values (GUI thread; ValidationFailed for one that cannot be read) and returns
        the service call to run off the GUI thread."""
        raise NotImplementedError

    def accept(self) -> None:
        try:
            write = self.submit()
        except ValidationFailed as exc:
            self.form.show_errors(exc.errors)
            return
        operation = op(self, write).validation(self.form.show_errors)
        if self.progress_title is not None:
            operation.progress(self.progress_title)
        operation.run()
        if operation.succeeded:
            super().accept()

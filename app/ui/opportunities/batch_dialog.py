"""The small dialog of a batch action that picks one thing (a stage, a user, a tag) for the selected
opportunities; its OK runs the batch as an operation with progress, and a refusal leaves it open."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from app.persian import format_number
from app.services.core.errors import ValidationFailed
from app.ui.common.form_dialog import FormDialog
from app.ui.opportunities.close_dialogs import Choices, choice_combo

PICK = "— انتخاب کنید —"
PICK_ONE = "یکی را انتخاب کنید."


def selection_heading(count: int) -> str:
    return f"{format_number(count)} فرصت انتخاب شده است."


class BatchChoiceDialog(FormDialog):
    def __init__(
        self, title: str, field: str, label: str, count: int, items: Choices,
        submit: Callable[[uuid.UUID], object], parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(title, parent, selection_heading(count))
        self.progress_title = title
        self._field, self._submit = field, submit
        self.choice = self.add(field, label, choice_combo(items, PICK))

    def value(self) -> uuid.UUID | None:
        return self.choice.currentData()

    def submit(self) -> Callable[[], object]:
        chosen, write = self.value(), self._submit
        if chosen is None:
            raise ValidationFailed({self._field: PICK_ONE})
        return lambda: write(chosen)

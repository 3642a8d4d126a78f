"""«ادغام هویت‌ها»: the two identities' values side by side; the user picks the surviving value of
each field. `take_from_merged()` returns the fields to take from the identity that goes away."""

from __future__ import annotations

import uuid

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.persian import format_number, to_persian_digits
from app.services.identities.merge import MergePreview


class MergeDialog(QDialog):
    def __init__(self, preview: MergePreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("ادغام هویت‌ها")
        self.preview = preview
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                f"«{preview.merged_name}» در «{preview.survivor_name}» ادغام می‌شود: همه سوابق آن منتقل می‌شود و "
                "خودش فقط به‌عنوان ارجاع باقی می‌ماند. برای هر فیلد مقدار ماندنی را انتخاب کنید.",
                wordWrap=True,
            )
        )
        grid = QGridLayout()
        grid.addWidget(QLabel("<b>فیلد</b>"), 0, 0)
        grid.addWidget(QLabel(f"<b>{preview.survivor_name}</b>"), 0, 1)
        grid.addWidget(QLabel(f"<b>{preview.merged_name}</b>"), 0, 2)
        self._choices: dict[str, QRadioButton] = {}
        for row, field in enumerate(preview.fields, 1):
            keep = QRadioButton(to_persian_digits(field.survivor_value) or "—")
            take = QRadioButton(to_persian_digits(field.merged_value) or "—")
            take.setObjectName(f"take_{field.name}")
            group = QButtonGroup(self)
            group.addButton(keep)
            group.addButton(take)
            (take if field.take_merged_by_default else keep).setChecked(True)
            if field.survivor_value == field.merged_value:
                keep.setEnabled(False)
                take.setEnabled(False)
            grid.addWidget(QLabel(field.label), row, 0)
            grid.addWidget(keep, row, 1)
            grid.addWidget(take, row, 2)
            self._choices[field.name] = take
        layout.addLayout(grid)
        if preview.related:
            moved = "، ".join(f"{format_number(n)} {label}" for label, n in preview.related.items())
            layout.addWidget(QLabel(f"منتقل می‌شود: {moved}", wordWrap=True))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("ادغام")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def take_from_merged(self) -> set[str]:
        return {name for name, radio in self._choices.items() if radio.isChecked()}


def pick_identity(parent: QWidget | None, services, actor, exclude: uuid.UUID) -> uuid.UUID | None:
    """Asks which identity to merge into the current one; None if cancelled."""
    from app.ui.identities.identity_picker import IdentityPicker

    dialog = QDialog(parent)
    dialog.setWindowTitle("ادغام با هویت دیگر")
    picker = IdentityPicker(services, actor)
    error = QLabel(styleSheet="color: #c62828;")
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)

    def accept() -> None:
        chosen = picker.identity_id()
        if chosen is None:
            error.setText("هویتی از فهرست انتخاب کنید")
        elif chosen == exclude:
            error.setText("یک هویت را نمی‌توان با خودش ادغام کرد")
        else:
            dialog.accept()

    buttons.accepted.connect(accept)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(QLabel("هویتی که باید در این هویت ادغام شود:"))
    layout.addWidget(picker)
    layout.addWidget(error)
    layout.addWidget(buttons)
    dialog.resize(420, 140)
    return picker.identity_id() if dialog.exec() else None

"""The activity actions every view shares: plan, mark done with a result, postpone, cancel, follow.

Each action runs its write as a UI operation (app/ui/ops.py): refusals are shown in Persian and what
changed is published, so the cardboard, the calendar, the board and open forms refresh themselves.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import ActivityKind
from app.persian import format_datetime
from app.services.activities.service import RESULT_REQUIRED, DoneOutcome, Postpone
from app.services.core.errors import ServiceError
from app.ui.activities.activity_dialog import ActivityDialog
from app.ui.common.form_fields import ErrorForm, FieldRow
from app.ui.common.jalali_date_edit import JalaliDateEdit
from app.ui.common.typed_entry import refuse_bad_typing
from app.ui.errors import show_error
from app.ui.ops import op

if TYPE_CHECKING:
    from app.services.activities.service import ActivityDetail
    from app.services.core.actor import Actor
    from app.services.core.registry import Services


class DoneDialog(QDialog):
    """«این فعالیت انجام شد»: the result, required for calls and meetings (the service checks again)."""

    def __init__(self, services: Services, actor: Actor, detail: ActivityDetail, parent: QWidget | None = None):
        super().__init__(parent)
        self._services, self._actor, self._detail = services, actor, detail
        self.outcome: DoneOutcome | None = None
        self.setObjectName("doneDialog")
        self.setWindowTitle("ثبت نتیجه فعالیت")
        self.setMinimumWidth(400)
        layout = QVBoxLayout(self)
        title = QLabel(f"<b>{detail.type_name}:</b> {detail.summary}<br>{detail.identity_name}", wordWrap=True)
        layout.addWidget(title)
        self.form = ErrorForm()
        self.result_edit = QPlainTextEdit(objectName="result")
        self.result_edit.setPlaceholderText("نتیجه را کوتاه و با کلمات کلیدی بنویسید…")
        self.result_edit.setFixedHeight(90)
        row = FieldRow(self.result_edit)
        self.form.rows["result"] = row
        required = " *" if detail.kind in RESULT_REQUIRED else ""
        self.form.addRow(f"نتیجه{required}", row)
        layout.addLayout(self.form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("انجام شد")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout.addWidget(buttons)
        self.result_edit.setFocus()

    def accept(self) -> None:
        activities, actor, activity_id = self._services.activities, self._actor, self._detail.id
        result = self.result_edit.toPlainText()
        self.outcome = (
            op(self, lambda: activities.mark_done(actor, activity_id, result)).validation(self.form.show_errors).run()
        )
        if self.outcome is not None:
            super().accept()


def plan_activity(
    parent: QWidget | None,
    services: Services,
    actor: Actor,
    identity_id: uuid.UUID | None = None,
    opportunity_id: uuid.UUID | None = None,
    day: dt.date | None = None,
    kind: ActivityKind | None = None,
) -> ActivityDetail | None:
    """Opens «فعالیت جدید» (the warning icon, the calendar's day, the quick buttons); the saved one or None."""
    from app.services.activities.service import ActivityData

    prefill = ActivityData(identity_id, "", None, kind, opportunity_id=opportunity_id) if kind else None
    dialog = ActivityDialog(services, actor, parent, None, identity_id, opportunity_id, day, prefill)
    return dialog.detail if dialog.exec() else None


def edit_activity(parent: QWidget | None, services: Services, actor: Actor, activity_id: uuid.UUID) -> bool:
    try:
        dialog = ActivityDialog(services, actor, parent, activity_id=activity_id)
    except ServiceError as exc:
        show_error(parent, exc.message)
        return False
    return bool(dialog.exec())


def mark_done(parent: QWidget | None, services: Services, actor: Actor, activity_id: uuid.UUID) -> DoneOutcome | None:
    """Asks for the result, marks the activity done and offers (or reports) the type's next activity."""
    try:
        detail = services.activities.get(actor, activity_id)
    except ServiceError as exc:
        show_error(parent, exc.message)
        return None
    dialog = DoneDialog(services, actor, detail, parent)
    if not dialog.exec():
        return None
    outcome = dialog.outcome
    if outcome is not None and outcome.suggestion is not None:
        s = outcome.suggestion
        answer = QMessageBox.question(
            parent,
            "فعالیت بعدی",
            f"فعالیت بعدی پیشنهادی: «{s.summary}» در {format_datetime(s.due_at)}.\nبرنامه‌ریزی شود؟",
        )
        if answer == QMessageBox.StandardButton.Yes:
            ActivityDialog(services, actor, parent, prefill=s.as_data()).exec()
    return outcome


def postpone(
    parent: QWidget | None, services: Services, actor: Actor, activity_id: uuid.UUID, option: Postpone | dt.date
) -> ActivityDetail | None:
    activities = services.activities
    if isinstance(option, Postpone):
        return op(parent, lambda: activities.postpone(actor, activity_id, option)).run()
    return op(parent, lambda: activities.postpone_to(actor, activity_id, option)).run()


def pick_day(parent: QWidget | None, title: str = "انتخاب تاریخ") -> dt.date | None:
    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    edit = JalaliDateEdit(dialog)
    edit.set_date_value(dt.date.today() + dt.timedelta(days=1))
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(lambda: refuse_bad_typing(dialog) or dialog.accept())  # not an impossible date
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(edit)
    layout.addWidget(buttons)
    return edit.date_value() if dialog.exec() else None


def postpone_menu(parent: QWidget, services: Services, actor: Actor, activity_id: uuid.UUID) -> QMenu:
    """«به تعویق انداختن»: tomorrow and next week in one click, or a picked day."""
    menu = QMenu("به تعویق انداختن", parent)
    menu.addAction("فردا", lambda: postpone(parent, services, actor, activity_id, Postpone.TOMORROW))
    menu.addAction("هفته بعد", lambda: postpone(parent, services, actor, activity_id, Postpone.NEXT_WEEK))

    def picked() -> None:
        day = pick_day(parent, "به تعویق انداختن تا")
        if day is not None:
            postpone(parent, services, actor, activity_id, day)

    menu.addAction("انتخاب تاریخ…", picked)
    return menu


def cancel_activity(parent: QWidget | None, services: Services, actor: Actor, activity_id: uuid.UUID) -> bool:
    answer = QMessageBox.question(parent, "لغو فعالیت", "این فعالیت لغو شود؟ در سوابق باقی می‌ماند.")
    if answer != QMessageBox.StandardButton.Yes:
        return False
    cancel = op(parent, lambda: services.activities.cancel(actor, activity_id))
    cancel.run()
    return cancel.succeeded


def set_following(
    parent: QWidget | None, services: Services, actor: Actor, table: str, record_id: uuid.UUID, follow: bool
) -> None:
    """Follows or unfollows a record; a refusal is shown (callers refresh either way, so the box
    shows what is stored)."""
    followers = services.followers
    change = followers.follow if follow else followers.unfollow
    op(parent, lambda: change(actor, table, record_id)).run()

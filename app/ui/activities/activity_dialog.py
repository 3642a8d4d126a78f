"""Plan or edit an activity (برنامه‌ریزی فعالیت): type, summary, identity and opportunity, Jalali date
and time, assignee; for meetings a place and attendees."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import ActivityKind
from app.services.activities.service import ActivityData, ActivityDetail
from app.services.core.errors import ConcurrentChange
from app.ui.common.activity_icons import type_icon
from app.ui.common.conflict_dialog import ConflictChoice
from app.ui.common.conflicts import editor_text, resolve
from app.ui.common.form_fields import ErrorForm, FieldRow
from app.ui.common.jalali_date_edit import JalaliDateEdit
from app.ui.common.time_edit import TimeEdit
from app.ui.identities.identity_picker import IdentityPicker
from app.ui.ops import op

if TYPE_CHECKING:
    from app.services.core.actor import Actor
    from app.services.core.registry import Services


def next_round_hour(now: dt.datetime) -> dt.datetime:
    """A new activity's default time: the coming full hour (a time already past would fire its
    reminder as soon as it is saved)."""
    return now.replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)


def select_data(box: QComboBox, value) -> None:
    """Selects the item holding `value` (findData compares Python objects such as UUIDs by identity)."""
    for index in range(box.count()):
        if box.itemData(index) == value:
            box.setCurrentIndex(index)
            return


class ActivityDialog(QDialog):
    """`value()` builds the ActivityData; accepting saves through the service and keeps `detail`."""

    def __init__(
        self,
        services: Services,
        actor: Actor,
        parent: QWidget | None = None,
        activity_id: uuid.UUID | None = None,
        identity_id: uuid.UUID | None = None,
        opportunity_id: uuid.UUID | None = None,
        day: dt.date | None = None,
        prefill: ActivityData | None = None,
    ) -> None:
        super().__init__(parent)
        self._services, self._actor = services, actor
        self._current: ActivityDetail | None = None
        self._opened: ActivityData | None = None
        self._previous_id: uuid.UUID | None = None  # the done activity a suggested next one follows
        self.detail: ActivityDetail | None = None
        self.setObjectName("activityDialog")
        self.setWindowTitle("فعالیت جدید" if activity_id is None else "ویرایش فعالیت")
        self.setMinimumWidth(460)
        self._build()
        if activity_id is not None:
            self._load(services.activities.get(actor, activity_id))
        else:
            data = prefill or ActivityData(identity_id, "", None, opportunity_id=opportunity_id)
            self._prefill(data, day)

    # --- construction ----------------------------------------------------------------------
    def _build(self) -> None:
        form = self.form = ErrorForm()
        self.type_box = QComboBox(objectName="type_id")
        for t in self._services.activity_types.types(self._actor):
            self.type_box.addItem(type_icon(t.icon), t.name, t)
        self.type_box.currentIndexChanged.connect(self._type_changed)
        self._row(form, "type_id", "نوع فعالیت", self.type_box, required=True)
        self.summary = self._row(form, "summary", "خلاصه", QLineEdit(objectName="summary"))
        self.identity = IdentityPicker(self._services, self._actor)
        self.identity.setObjectName("identity_id")
        self.identity.sig_picked.connect(self._identity_changed)
        self._row(form, "identity_id", "هویت مرتبط", self.identity, required=True)
        self.opportunity = QComboBox(objectName="opportunity_id")
        self.opportunity.addItem("—", None)
        self._row(form, "opportunity_id", "فرصت", self.opportunity)
        when = QWidget()
        line = QHBoxLayout(when)
        line.setContentsMargins(0, 0, 0, 0)
        self.date = JalaliDateEdit()
        self.date.setObjectName("due_date")
        self.time = TimeEdit(objectName="due_time")
        line.addWidget(self.date, 2)
        line.addWidget(self.time, 1)
        self._row(form, "due_at", "تاریخ و ساعت", when, required=True)
        self.duration = QSpinBox(objectName="duration_minutes", minimum=0, maximum=24 * 60, singleStep=15)
        self.duration.setSuffix(" دقیقه")
        self.duration.setSpecialValueText("—")
        self._row(form, "duration_minutes", "مدت", self.duration)
        self.assignee = QComboBox(objectName="assignee_id")
        for user in self._services.activities.assignable_users(self._actor):
            self.assignee.addItem(user.display_name, user.id)
        self._row(form, "assignee_id", "انجام‌دهنده", self.assignee)
        self.place = self._row(form, "place", "مکان", QLineEdit(objectName="place"))
        self.attendees = self._attendee_box()
        self._row(form, "attendees", "شرکت‌کنندگان", self.attendees)
        self.details = QPlainTextEdit(objectName="details")
        self.details.setFixedHeight(80)
        self._row(form, "details", "شرح", self.details)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self._type_changed()

    @staticmethod
    def _row(form: ErrorForm, field: str, label: str, editor: QWidget, required: bool = False):
        row = FieldRow(editor)
        form.rows[field] = row
        form.addRow(f"{label}{' *' if required else ''}", row)
        return editor

    def _attendee_box(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        self.attendee_users = QListWidget(objectName="attendee_users")
        self.attendee_users.setFixedHeight(70)
        for user in self._services.activities.assignable_users(self._actor):
            item = QListWidgetItem(user.display_name, self.attendee_users)
            item.setData(Qt.ItemDataRole.UserRole, user.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.guest_picker = IdentityPicker(self._services, self._actor)
        add = QPushButton("افزودن مهمان")
        add.clicked.connect(self._add_guest)
        row = QHBoxLayout()
        row.addWidget(self.guest_picker, 1)
        row.addWidget(add)
        self.guests = QListWidget(objectName="attendee_identities")
        self.guests.setFixedHeight(60)
        self.guests.itemDoubleClicked.connect(lambda item: self.guests.takeItem(self.guests.row(item)))
        self.guests.setToolTip("برای حذف مهمان روی آن دوبار کلیک کنید.")
        layout.addWidget(self.attendee_users)
        layout.addLayout(row)
        layout.addWidget(self.guests)
        return box

    # --- filling -------------------------------------------------------------------------------
    def _prefill(self, data: ActivityData, day: dt.date | None) -> None:
        self._previous_id = data.previous_id
        self._select_type(data.type_id, data.kind)
        self.summary.setText(data.summary or "")
        if data.identity_id is not None or data.opportunity_id is not None:
            self._set_identity(data.identity_id, data.opportunity_id)
        due = data.due_at.astimezone() if data.due_at else None
        if due is None:
            due = next_round_hour(dt.datetime.now().astimezone())
            if day is not None and day != dt.date.today():
                due = dt.datetime.combine(day, due.time())
        self.date.set_date_value(due.date())
        self.time.set_time_value(due.time())
        self._select(self.assignee, data.assignee_id or self._actor.user_id)
        self.details.setPlainText(data.details or "")

    def _load(self, detail: ActivityDetail) -> None:
        self._current = detail
        self.guests.clear()
        self._select_type(detail.type_id, detail.kind)
        self.summary.setText(detail.summary)
        self._set_identity(detail.identity_id, detail.opportunity_id)
        local = detail.due_at.astimezone()
        self.date.set_date_value(local.date())
        self.time.set_time_value(local.time())
        self.duration.setValue(detail.duration_minutes or 0)
        self._select(self.assignee, detail.assignee_id)
        self.place.setText(detail.place or "")
        self.details.setPlainText(detail.details or "")
        for i in range(self.attendee_users.count()):
            item = self.attendee_users.item(i)
            chosen = any(a.user_id == item.data(Qt.ItemDataRole.UserRole) for a in detail.attendees)
            item.setCheckState(Qt.CheckState.Checked if chosen else Qt.CheckState.Unchecked)
        for a in detail.attendees:
            if a.identity_id is not None:
                self._add_guest_item(a.identity_id, a.name)
        self._opened = self.value()  # what a conflict is compared against

    def _select_type(self, type_id, kind) -> None:
        for i in range(self.type_box.count()):
            t = self.type_box.itemData(i)
            if (type_id is not None and t.id == type_id) or (type_id is None and t.is_builtin and t.kind is kind):
                self.type_box.setCurrentIndex(i)
                return

    @staticmethod
    def _select(box: QComboBox, value) -> None:
        select_data(box, value)

    def _set_identity(self, identity_id: uuid.UUID | None, opportunity_id: uuid.UUID | None) -> None:
        choice = self._services.activities.identity_choice(self._actor, identity_id, opportunity_id)
        self.identity.set_identity(choice.id, choice.name)
        self._fill_opportunities(choice.opportunities)
        self._select(self.opportunity, opportunity_id)

    def _fill_opportunities(self, opportunities) -> None:
        self.opportunity.clear()
        self.opportunity.addItem("—", None)
        for opp_id, title in opportunities:
            self.opportunity.addItem(title, opp_id)

    def _identity_changed(self, identity_id) -> None:
        if identity_id is None:
            self._fill_opportunities(())
        else:
            self._fill_opportunities(self._services.activities.identity_choice(self._actor, identity_id).opportunities)

    def _type_changed(self, *_args) -> None:
        t = self.type_box.currentData()
        is_meeting = t is not None and t.kind is ActivityKind.MEETING
        for field in ("place", "attendees"):
            self.form.setRowVisible(self.form.rows[field], is_meeting)
        if t is not None and not self.summary.text().strip():
            self.summary.setPlaceholderText(t.name)

    def _add_guest(self) -> None:
        identity_id = self.guest_picker.identity_id()
        if identity_id is not None:
            self._add_guest_item(identity_id, self.guest_picker.text())
            self.guest_picker.set_identity(None)

    def _add_guest_item(self, identity_id: uuid.UUID, name: str) -> None:
        ids = {self.guests.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.guests.count())}
        if identity_id not in ids:
            item = QListWidgetItem(name, self.guests)
            item.setData(Qt.ItemDataRole.UserRole, identity_id)

    # --- result --------------------------------------------------------------------------------
    def value(self) -> ActivityData:
        t = self.type_box.currentData()
        day = self.date.date_value() or dt.date.today()
        due = dt.datetime.combine(day, self.time.time_value()).astimezone()
        users = [self.attendee_users.item(i) for i in range(self.attendee_users.count())]
        return ActivityData(
            identity_id=self.identity.identity_id(),
            summary=self.summary.text(),
            due_at=due,
            kind=t.kind if t else None,
            type_id=t.id if t else None,
            opportunity_id=self.opportunity.currentData(),
            assignee_id=self.assignee.currentData(),
            duration_minutes=self.duration.value() or None,
            place=self.place.text(),
            details=self.details.toPlainText(),
            attendee_identity_ids=tuple(
                self.guests.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.guests.count())
            ),
            attendee_user_ids=tuple(
                i.data(Qt.ItemDataRole.UserRole) for i in users if i.checkState() == Qt.CheckState.Checked
            ),
            previous_id=None,
        )

    def accept(self) -> None:
        data = self.value()
        if self.date.typing.error() or self.time.typing.error():
            return  # a typed date or time that is none stays in its field, refused beside it
        if self._current is None:
            activities, actor, data = self._services.activities, self._actor, self._with_previous(data)
            self.detail = op(self, lambda: activities.plan(actor, data)).validation(self.form.show_errors).run()
        else:
            self.detail = self._update(data, self._current.version)
        if self.detail is not None:
            super().accept()

    def _update(self, data: ActivityData, version: int) -> ActivityDetail | None:
        """Saves over the version the dialog opened; if someone saved since, the user compares and
        chooses (None: nothing saved, the dialog shows what they chose)."""
        activities, actor, activity_id = self._services.activities, self._actor, self._current.id
        kept_mine: list[ActivityDetail | None] = []

        def compare(conflict: ConcurrentChange) -> None:
            fresh = activities.get(actor, activity_id)
            choice, merged = resolve(
                self, conflict, self._opened, data, fresh.to_data(), self._text_of(fresh), table="activities"
            )
            if choice is ConflictChoice.RELOAD:
                self._load(fresh)
            elif choice is ConflictChoice.KEEP_MINE:
                kept_mine.append(self._update(merged, fresh.version))

        saved = (
            op(self, lambda: activities.update(actor, activity_id, data, version))
            .validation(self.form.show_errors)
            .conflict(compare)
            .run()
        )
        return saved if saved is not None else next(iter(kept_mine), None)

    def _text_of(self, fresh: ActivityDetail):
        users = {self.attendee_users.item(i).data(Qt.ItemDataRole.UserRole): self.attendee_users.item(i).text()
                 for i in range(self.attendee_users.count())}  # fmt: skip
        guests = {self.guests.item(i).data(Qt.ItemDataRole.UserRole): self.guests.item(i).text()
                  for i in range(self.guests.count())} | {a.identity_id: a.name for a in fresh.attendees}  # fmt: skip

        def text_of(field: str, value, is_mine: bool) -> str:
            if field == "identity_id":
                return self.identity.text() if is_mine else fresh.identity_name
            if field in ("attendee_user_ids", "attendee_identity_ids"):
                names = users if field == "attendee_user_ids" else guests
                return "، ".join(names.get(i, "") for i in value) or "—"
            return editor_text(self.form.rows, {}, field, value)

        return text_of

    def _with_previous(self, data: ActivityData) -> ActivityData:
        if self._previous_id is None:
            return data
        return ActivityData(**{**data.__dict__, "previous_id": self._previous_id})

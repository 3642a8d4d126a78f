"""An activity opened in a tab: its details, the actions (done, postpone, edit, cancel, follow) and files."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import ActivityState
from app.services.core.errors import ServiceError
from app.services.core.labels import ACTIVITY_STATE
from app.ui import format as fmt
from app.ui.activities import activity_actions as actions
from app.ui.activities.attachments_widget import AttachmentsWidget
from app.ui.common.activity_icons import type_icon
from app.ui.common.record_form import RecordForm, register_form
from app.ui.events import RefreshWhenShown, change_bus

RLM = "\u200f"

if TYPE_CHECKING:
    from app.services.activities.service import ActivityDetail
    from app.services.core.actor import Actor
    from app.services.core.registry import Services


class ActivityForm(RefreshWhenShown, RecordForm):
    def __init__(self, services: Services, actor: Actor, record_id, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services, self._actor = services, actor
        self.setObjectName("activityForm")
        if record_id is None:  # «+ فعالیت» in a tab: plan in the dialog, then show the result here
            detail = actions.plan_activity(self, services, actor)
            record_id = detail.id if detail else None
        self.activity_id: uuid.UUID | None = uuid.UUID(str(record_id)) if record_id else None
        self.detail: ActivityDetail | None = None
        self.icon = QLabel()
        self.heading = QLabel(objectName="activityHeading", wordWrap=True)
        self.badge = QLabel(objectName="stateBadge")
        header = QHBoxLayout()
        header.addWidget(self.icon)
        header.addWidget(self.heading, 1)
        header.addWidget(self.badge)

        self.done_button = QPushButton("انجام شد…")
        self.done_button.clicked.connect(lambda: actions.mark_done(self, services, actor, self.activity_id))
        self.postpone_button = QToolButton(text="به تعویق انداختن")
        self.postpone_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.edit_button = QPushButton("ویرایش…")
        self.edit_button.clicked.connect(lambda: actions.edit_activity(self, services, actor, self.activity_id))
        self.cancel_button = QPushButton("لغو فعالیت")
        self.cancel_button.clicked.connect(lambda: actions.cancel_activity(self, services, actor, self.activity_id))
        self.follow_button = QPushButton(checkable=True)
        self.follow_button.clicked.connect(self._toggle_follow)
        bar = QHBoxLayout()
        for button in (self.done_button, self.postpone_button, self.edit_button, self.cancel_button):
            bar.addWidget(button)
        bar.addStretch()
        bar.addWidget(self.follow_button)

        self.fields = QFormLayout()
        self.labels: dict[str, QLabel] = {}
        for key, label in (
            ("type", "نوع"),
            ("identity", "هویت"),
            ("opportunity", "فرصت"),
            ("due", "موعد"),
            ("assignee", "انجام‌دهنده"),
            ("place", "مکان"),
            ("attendees", "شرکت‌کنندگان"),
            ("result", "نتیجه"),
            ("details", "شرح"),
        ):
            value = QLabel(wordWrap=True, textInteractionFlags=Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setObjectName(f"value_{key}")
            self.labels[key] = value
            self.fields.addRow(label, value)
        self.open_identity = QPushButton("باز کردن هویت")
        self.open_identity.clicked.connect(lambda: self.sig_open_record.emit("identity", self.detail.identity_id))
        self.open_opportunity = QPushButton("باز کردن فرصت")
        self.open_opportunity.clicked.connect(
            lambda: self.sig_open_record.emit("opportunity", self.detail.opportunity_id)
        )
        links = QHBoxLayout()
        links.addWidget(self.open_identity)
        links.addWidget(self.open_opportunity)
        links.addStretch()

        details = QWidget()
        inner = QVBoxLayout(details)
        inner.addLayout(self.fields)
        inner.addLayout(links)
        inner.addStretch()
        self.pages = QTabWidget()
        self.pages.addTab(details, "جزئیات")
        if self.activity_id is not None:
            self.attachments = AttachmentsWidget(services, actor, activity_id=self.activity_id)
            self.pages.addTab(self.attachments, "پیوست‌ها")
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(bar)
        layout.addWidget(self.pages)
        change_bus().sig_changed.connect(self._changed)
        self.reload()

    def title(self) -> str:
        return f"فعالیت: {self.detail.summary}" if self.detail else "فعالیت"

    def reload(self) -> None:
        if self.activity_id is None:
            self.heading.setText("فعالیتی ثبت نشد.")
            for button in (self.done_button, self.postpone_button, self.edit_button, self.cancel_button):
                button.setEnabled(False)
            return
        try:
            d = self.detail = self._services.activities.get(self._actor, self.activity_id)
        except ServiceError as exc:
            self.heading.setText(exc.message)
            return
        self.icon.setPixmap(type_icon(d.type_icon).pixmap(28, 28))
        self.heading.setText(f"<h3>{d.summary}</h3>")
        self.badge.setText(ACTIVITY_STATE[d.state])
        planned = d.state is ActivityState.PLANNED
        for button in (self.done_button, self.postpone_button, self.cancel_button):
            button.setEnabled(planned)
        self.postpone_button.setMenu(actions.postpone_menu(self, self._services, self._actor, d.id))
        values = {
            "type": d.type_name,
            "identity": d.identity_name,
            "opportunity": d.opportunity_title or "—",
            "due": fmt.datetime(d.due_at)
            + (f" ({fmt.number(d.duration_minutes)} دقیقه)" if d.duration_minutes else ""),
            "assignee": d.assignee_name or "—",
            "place": d.place or "—",
            "attendees": "، ".join(a.name for a in d.attendees) or "—",
            "result": (d.result or "—") + (f" — {fmt.datetime(d.done_at)}" if d.done_at else ""),
            "details": d.details or "—",
        }
        for key, text in values.items():
            self.labels[key].setText(RLM + text)  # a value starting with digits is still read right to left
        self.open_opportunity.setVisible(d.opportunity_id is not None)
        try:
            following = self._services.followers.is_following(self._actor, "activities", d.id)
        except ServiceError:
            following = False
        self.follow_button.setChecked(following)
        self.follow_button.setText("دنبال می‌کنید" if following else "دنبال کردن")
        self.sig_title_changed.emit(self.title())

    def _toggle_follow(self, checked: bool) -> None:
        actions.set_following(self, self._services, self._actor, "activities", self.activity_id, checked)
        self.reload()

    def _changed(self, table: str, ids) -> None:
        if (table == "activities" and (ids is None or self.activity_id in ids)) or table == "followers":
            self.refresh_or_defer(self.reload)


register_form("activity", ActivityForm)

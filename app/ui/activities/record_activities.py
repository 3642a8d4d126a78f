"""An identity's or an opportunity's activities, for its form: planned ones (done with a result,
postpone) and the history «سوابق» of done and cancelled ones with their results; notes; following
(the record's followers in their own tab, app.ui.activities.followers_widget).

Forms add it with `add_activity_tabs(tabs, services, actor)` and call `set_record(...)` once the
record's id is known; it brings the «پیوست‌ها» and «دنبال‌کنندگان» tabs along.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QPushButton,
    QTabWidget,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import ActivityState
from app.services.activities.activity_types import BUILTIN_ICONS
from app.services.core.errors import ServiceError
from app.services.core.labels import ACTIVITY_KIND, ACTIVITY_STATE
from app.ui import format as fmt
from app.ui.activities import activity_actions as actions
from app.ui.activities.attachments_widget import AttachmentsWidget
from app.ui.activities.followers_widget import FollowersWidget
from app.ui.common.activity_icons import type_icon
from app.ui.errors import show_error
from app.ui.events import RefreshWhenShown, change_bus
from app.ui.ops import op

if TYPE_CHECKING:
    from app.services.core.actor import Actor
    from app.services.core.registry import Services

ROLE = Qt.ItemDataRole.UserRole


class RecordActivities(RefreshWhenShown, QWidget):
    sig_open_record = Signal(str, object)
    """Open an activity in a tab: ("activity", id)."""

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services, self._actor = services, actor
        self.identity_id: uuid.UUID | None = None
        self.opportunity_id: uuid.UUID | None = None
        self.setObjectName("recordActivities")
        self.plan_button = QPushButton("+ فعالیت")
        self.plan_button.clicked.connect(self.plan)
        self.note_button = QPushButton("+ یادداشت")
        self.note_button.clicked.connect(self.ask_note)
        self.done_button = QPushButton("انجام شد…")
        self.done_button.clicked.connect(
            lambda: self._selected() and actions.mark_done(self, services, actor, self._selected())
        )
        self.postpone_button = QToolButton(text="به تعویق انداختن")
        self.postpone_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.follow_button = QPushButton(checkable=True)
        self.follow_button.clicked.connect(self._toggle_follow)
        bar = QHBoxLayout()
        for widget in (self.plan_button, self.note_button, self.done_button, self.postpone_button):
            bar.addWidget(widget)
        bar.addStretch()
        bar.addWidget(self.follow_button)
        self.tree = QTreeWidget(objectName="recordActivityTree")
        self.tree.setHeaderLabels(["فعالیت", "زمان", "نتیجه / انجام‌دهنده"])
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.itemDoubleClicked.connect(self._open)
        self.tree.itemSelectionChanged.connect(self._update_buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.tree)
        change_bus().sig_changed.connect(self._changed)
        self._update_buttons()

    def set_record(self, identity_id: uuid.UUID | None = None, opportunity_id: uuid.UUID | None = None) -> None:
        self.identity_id, self.opportunity_id = identity_id, opportunity_id
        for widget in (self.plan_button, self.note_button, self.follow_button):
            widget.setEnabled(self._table_and_id() is not None)
        self.refresh_or_defer(self.refresh)  # a background tab (its form reloads often) reads when shown

    def _table_and_id(self) -> tuple[str, uuid.UUID] | None:
        if self.opportunity_id is not None:
            return "opportunities", self.opportunity_id
        if self.identity_id is not None:
            return "identities", self.identity_id
        return None

    def refresh(self) -> None:
        self.tree.clear()
        record = self._table_and_id()
        for widget in (self.plan_button, self.note_button, self.follow_button):
            widget.setEnabled(record is not None)
        if record is None:
            return
        rows = self._services.activities.for_record(
            self._actor,
            identity_id=None if self.opportunity_id else self.identity_id,
            opportunity_id=self.opportunity_id,
        )
        planned = QTreeWidgetItem(self.tree, ["برنامه‌ریزی‌شده"])
        history = QTreeWidgetItem(self.tree, ["سوابق"])
        for head in (planned, history):
            head.setFirstColumnSpanned(True)
            head.setData(0, ROLE, None)
        for row in rows:
            is_planned = row.state is ActivityState.PLANNED
            when = fmt.datetime(row.due_at if is_planned else (row.done_at or row.due_at))
            extra = row.assignee_name or "" if is_planned else (row.result or ACTIVITY_STATE[row.state])
            item = QTreeWidgetItem(planned if is_planned else history, [row.summary, when, extra])
            item.setData(0, ROLE, row.id)
            item.setIcon(0, type_icon(row.type_icon or BUILTIN_ICONS.get(row.kind)))
            item.setToolTip(0, f"{row.type_name or ACTIVITY_KIND[row.kind]} — {ACTIVITY_STATE[row.state]}")
        for head in (planned, history):
            head.setText(0, f"{head.text(0)} ({fmt.number(head.childCount())})")
            head.setExpanded(True)
        table, record_id = record
        try:
            following = self._services.followers.is_following(self._actor, table, record_id)
        except ServiceError:
            following = False
        self.follow_button.setChecked(following)
        self.follow_button.setText("دنبال می‌کنید" if following else "دنبال کردن")
        self._update_buttons()

    def plan(self) -> None:
        actions.plan_activity(self, self._services, self._actor, self.identity_id, self.opportunity_id)

    def ask_note(self) -> None:
        """«+ یادداشت»: asks for the text, then adds the note."""
        text, ok = QInputDialog.getMultiLineText(self, "یادداشت", "متن یادداشت (برای مسئول و دنبال‌کنندگان):")
        if ok:
            self.add_note(text)

    def add_note(self, text: str) -> bool:
        activities, actor = self._services.activities, self._actor
        identity_id, opportunity_id = self.identity_id, self.opportunity_id

        def write():
            owner = identity_id or activities.identity_choice(actor, None, opportunity_id).id
            return activities.add_note(actor, owner, text, opportunity_id)

        note = op(self, write).validation(lambda errors: show_error(self, " ".join(errors.values()))).run()
        return note is not None

    def _selected(self) -> uuid.UUID | None:
        item = self.tree.currentItem()
        return item.data(0, ROLE) if item is not None else None

    def _selected_is_planned(self) -> bool:
        item = self.tree.currentItem()
        return item is not None and item.parent() is self.tree.topLevelItem(0) and item.data(0, ROLE) is not None

    def _update_buttons(self) -> None:
        planned = self._selected_is_planned()
        self.done_button.setEnabled(planned)
        self.postpone_button.setEnabled(planned)
        self.postpone_button.setMenu(
            actions.postpone_menu(self, self._services, self._actor, self._selected()) if planned else None
        )

    def _open(self, item: QTreeWidgetItem, _column: int) -> None:
        activity_id = item.data(0, ROLE)
        if activity_id is not None:
            self.sig_open_record.emit("activity", activity_id)

    def _toggle_follow(self, checked: bool) -> None:
        record = self._table_and_id()
        if record is None:
            return
        actions.set_following(self, self._services, self._actor, *record, checked)
        self.refresh()

    def _changed(self, table: str, _ids) -> None:
        if table in ("activities", "followers") and self._table_and_id() is not None:
            self.refresh_or_defer(self.refresh)


def add_activity_tabs(tabs: QTabWidget, services: Services, actor: Actor) -> RecordActivities:
    """Adds «فعالیت‌ها», «پیوست‌ها» and «دنبال‌کنندگان» to a record form's tabs; call `set_record` on
    the result when the id is known (the files and followers tabs follow)."""
    panel = RecordActivities(services, actor)
    files = AttachmentsWidget(services, actor)
    followers = FollowersWidget(services, actor)
    tabs.addTab(panel, "فعالیت‌ها")
    tabs.addTab(files, "پیوست‌ها")
    tabs.addTab(followers, "دنبال‌کنندگان")
    original = panel.set_record

    def set_record(identity_id=None, opportunity_id=None) -> None:
        original(identity_id, opportunity_id)
        files.set_record(identity_id=None if opportunity_id else identity_id, opportunity_id=opportunity_id)
        followers.set_record(*(("opportunities", opportunity_id) if opportunity_id else ("identities", identity_id)))

    panel.set_record = set_record  # type: ignore[method-assign]
    panel.files = files
    panel.followers = followers
    return panel

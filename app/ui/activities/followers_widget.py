"""«دنبال‌کنندگان» on an identity's or an opportunity's form (seed 004): who follows the record, adding a
colleague from those who may see it (FollowerService.candidates) and removing one.

A refusal (a colleague who can no longer see the record, say, after leaving the team) is shown in
Persian under the picker; the list follows every change of the `followers` table.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.core.errors import ServiceError
from app.ui.events import RefreshWhenShown, change_bus
from app.ui.ops import op

if TYPE_CHECKING:
    from app.services.core.actor import Actor
    from app.services.core.registry import Services

ROLE = Qt.ItemDataRole.UserRole
NOBODY = "هنوز کسی این رکورد را دنبال نمی‌کند."
NO_CANDIDATE = "همکار دیگری نیست که بتوان افزود"
ERROR_STYLE = "color: #c62828;"


class FollowersWidget(RefreshWhenShown, QWidget):
    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services, self._actor = services, actor
        self.record: tuple[str, uuid.UUID] | None = None
        self.setObjectName("followersWidget")
        self.list = QListWidget(objectName="followersList")
        self.list.itemSelectionChanged.connect(self._update_buttons)
        self.empty = QLabel(NOBODY, objectName="followersEmpty")
        self.picker = QComboBox(objectName="followerPicker")
        self.picker.setMinimumContentsLength(16)
        self.add_button = QPushButton("افزودن دنبال‌کننده", objectName="addFollowerButton")
        self.add_button.clicked.connect(self.add_chosen)
        self.remove_button = QPushButton("حذف از دنبال‌کنندگان", objectName="removeFollowerButton")
        self.remove_button.clicked.connect(self.remove_selected)
        self.error = QLabel(objectName="followerError", wordWrap=True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.hide()
        row = QHBoxLayout()  # the picker and its button together at the reading side, not a screen apart
        row.addWidget(QLabel("همکار:"))
        row.addWidget(self.picker)
        row.addWidget(self.add_button)
        row.addStretch()
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.error)
        layout.addWidget(self.empty)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignLeading)
        change_bus().sig_changed.connect(self._changed)
        self._update_buttons()

    def set_record(self, table: str, record_id: uuid.UUID | None) -> None:
        self.record = (table, record_id) if record_id is not None else None
        self.error.hide()
        self.refresh_or_defer(self.refresh)  # a background tab reads when first shown

    def refresh(self) -> None:
        self.list.clear()
        self.picker.clear()
        followers, candidates = [], []
        if self.record is not None:
            try:  # the record may have been deleted or taken out of reach meanwhile: show it empty
                followers = self._services.followers.followers(self._actor, *self.record)
                candidates = self._services.followers.candidates(self._actor, *self.record)
            except ServiceError:
                pass
        for row in followers:
            item = QListWidgetItem(row.display_name, self.list)
            item.setData(ROLE, row.user_id)
        for row in candidates:
            self.picker.addItem(row.display_name, row.user_id)
        if not candidates:
            self.picker.addItem(NO_CANDIDATE, None)
        self.empty.setVisible(self.record is not None and not followers)
        self._update_buttons()

    def names(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]

    def add_chosen(self) -> None:
        """«افزودن دنبال‌کننده»: the colleague chosen in the picker follows the record."""
        user_id = self.picker.currentData()
        if self.record is None or user_id is None:
            return
        followers, actor, (table, record_id) = self._services.followers, self._actor, self.record
        self._write(lambda: followers.follow(actor, table, record_id, user_id))

    def remove_selected(self) -> None:
        """«حذف از دنبال‌کنندگان»: the selected colleague stops following the record."""
        item = self.list.currentItem()
        if self.record is None or item is None:
            return
        followers, actor, (table, record_id) = self._services.followers, self._actor, self.record
        user_id = item.data(ROLE)
        self._write(lambda: followers.unfollow(actor, table, record_id, user_id))

    def _write(self, fn) -> None:
        self.error.hide()
        op(self, fn).validation(self._refused).success(lambda _: self.refresh()).run()

    def _refused(self, errors: dict[str, str]) -> None:
        self.error.setText(" ".join(errors.values()))
        self.error.show()
        self.refresh()  # the picker shows who may still be added

    def _update_buttons(self) -> None:
        has_record = self.record is not None
        self.picker.setEnabled(has_record and self.picker.currentData() is not None)
        self.add_button.setEnabled(has_record and self.picker.currentData() is not None)
        self.remove_button.setEnabled(has_record and self.list.currentItem() is not None)

    def _changed(self, table: str, _ids) -> None:
        if table in ("followers", "users", "sales_teams") and self.record is not None:
            self.refresh_or_defer(self.refresh)

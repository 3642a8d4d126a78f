"""One day of the calendar: its Jalali day number, a «+» to plan an activity, and the day's activities;
a planned activity dragged onto another day is moved there."""

from __future__ import annotations

import datetime as dt
import uuid

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QToolButton,
    QVBoxLayout,
)

from app.models.enums import ActivityState
from app.persian import is_weekend, to_persian_digits
from app.services.activities.calendar import CalendarEntry
from app.services.core.labels import ACTIVITY_KIND

WEEKEND_BG = "#fdecec"
OUTSIDE_FG = "#9e9e9e"
TODAY_BORDER = "#1565c0"
ACTIVITY_MIME = "application/x-peyvand-activity"


class DayList(QListWidget):
    """A day's activities. A planned one drags out as its id; a drop asks the calendar to move it
    (the list itself never adds or removes rows: the calendar redraws after the service has moved it)."""

    sig_dropped = Signal(object)

    def __init__(self) -> None:
        super().__init__(objectName="dayActivities")
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.CopyAction)  # a move would delete the row before the service agrees

    def mimeTypes(self) -> list[str]:
        return [ACTIVITY_MIME]

    def mimeData(self, items: list[QListWidgetItem]) -> QMimeData:
        data = QMimeData()
        data.setData(ACTIVITY_MIME, str(items[0].data(Qt.ItemDataRole.UserRole)).encode())
        return data

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(ACTIVITY_MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        self.dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        if not event.mimeData().hasFormat(ACTIVITY_MIME):
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        self.sig_dropped.emit(uuid.UUID(bytes(event.mimeData().data(ACTIVITY_MIME)).decode()))


class DayCell(QFrame):
    sig_plan = Signal(object)
    """«+» or a double-click on the empty list: plan an activity on this day (datetime.date)."""
    sig_open = Signal(object)
    """An activity was double-clicked: its id."""
    sig_move = Signal(object, object)
    """An activity was dropped on this day: (its id, datetime.date)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.day: dt.date | None = None
        self.setObjectName("dayCell")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.number = QLabel(objectName="dayNumber")
        self.plan_button = QToolButton(text="+", objectName="planButton", autoRaise=True)
        self.plan_button.setToolTip("برنامه‌ریزی فعالیت در این روز")
        self.plan_button.clicked.connect(lambda: self.sig_plan.emit(self.day))
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.number)
        top.addStretch()
        top.addWidget(self.plan_button)
        self.items = DayList()
        self.items.sig_dropped.connect(lambda activity_id: self.sig_move.emit(activity_id, self.day))
        self.items.setFrameShape(QFrame.Shape.NoFrame)
        self.items.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.items.itemDoubleClicked.connect(lambda item: self.sig_open.emit(item.data(Qt.ItemDataRole.UserRole)))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(3, 2, 3, 2)
        layout.setSpacing(1)
        layout.addLayout(top)
        layout.addWidget(self.items, 1)

    def show_day(
        self, day: dt.date, jalali_day: int, in_month: bool, is_today: bool, entries: list[CalendarEntry]
    ) -> None:
        self.day = day
        self.number.setText(to_persian_digits(str(jalali_day)))
        colour = "#c62828" if is_weekend(day) else ("black" if in_month else OUTSIDE_FG)
        self.number.setStyleSheet(f"color: {colour}; font-weight: {'bold' if is_today else 'normal'};")
        background = WEEKEND_BG if is_weekend(day) else ("white" if in_month else "#f5f5f5")
        border = f"2px solid {TODAY_BORDER}" if is_today else "1px solid #ddd"
        self.setStyleSheet(f"#dayCell {{ background: {background}; border: {border}; }}")
        self.items.clear()
        for entry in entries:
            row = entry.row
            local = row.due_at.astimezone()
            text = f"{to_persian_digits(local.strftime('%H:%M'))} {row.summary}"
            item = QListWidgetItem(text, self.items)
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            if row.state is not ActivityState.PLANNED:  # done: shown when asked, greyed, stays where it was
                item.setText(f"✓ {text}")
                item.setForeground(QColor(OUTSIDE_FG))
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsDragEnabled)
            tip = f"{row.summary}\n{ACTIVITY_KIND[row.kind]} — {row.identity_name}"
            if row.opportunity_title:
                tip += f"\n{row.opportunity_title}"
            if row.assignee_name:
                tip += f"\nانجام‌دهنده: {row.assignee_name}"
            item.setToolTip(tip)

    def activity_ids(self) -> list[uuid.UUID]:
        return [self.items.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.items.count())]

    def mouseDoubleClickEvent(self, event) -> None:  # a double-click on the day's empty space plans
        self.sig_plan.emit(self.day)
        super().mouseDoubleClickEvent(event)

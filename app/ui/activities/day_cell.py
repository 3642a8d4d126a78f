"""One day of the calendar: its Jalali day number, a «+» to plan an activity, and the day's activities."""

from __future__ import annotations

import datetime as dt
import uuid

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QToolButton, QVBoxLayout

from app.persian import is_weekend, to_persian_digits
from app.services.activities.calendar import CalendarEntry
from app.services.core.labels import ACTIVITY_KIND

WEEKEND_BG = "#fdecec"
OUTSIDE_FG = "#9e9e9e"
TODAY_BORDER = "#1565c0"


class DayCell(QFrame):
    sig_plan = Signal(object)
    """«+» or a double-click on the empty list: plan an activity on this day (datetime.date)."""
    sig_open = Signal(object)
    """An activity was double-clicked: its id."""

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
        self.items = QListWidget(objectName="dayActivities")
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
            tip = f"{ACTIVITY_KIND[row.kind]}: {row.summary}\n{row.identity_name}"
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

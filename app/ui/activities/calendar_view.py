"""The activity calendar (تقویم فعالیت‌ها): a Jalali month grid or a week agenda, Saturday first and
Friday marked as the weekend; the user's planned activities and, for a team leader, the team's.

Opened in a tab of the main window (`window.tabs.open_record("calendar", "me")`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.persian import WEEKDAY_NAMES, to_persian_digits, week_start
from app.ui.activities import activity_actions as actions
from app.ui.activities.day_cell import DayCell
from app.ui.common.record_form import RecordForm, register_form
from app.ui.events import RefreshWhenShown, change_bus
from app.ui.qt_setup import jalali_calendar, persian_locale

if TYPE_CHECKING:
    from app.services.core.actor import Actor
    from app.services.core.registry import Services

MONTH_WEEKS = 6


def jalali_parts(day: dt.date) -> tuple[int, int, int]:
    parts = jalali_calendar().partsFromDate(QDate(day.year, day.month, day.day))
    return parts.year, parts.month, parts.day


def jalali_to_date(year: int, month: int, day: int) -> dt.date:
    return jalali_calendar().dateFromParts(year, month, day).toPython()


def month_title(year: int, month: int) -> str:
    """«آذر ۱۴۰۵»: the month's Persian name from Qt's Jalali calendar."""
    name = jalali_calendar().monthName(persian_locale(), month, year)
    return f"{name} {to_persian_digits(str(year))}"


class CalendarView(RefreshWhenShown, RecordForm):
    def __init__(self, services: Services, actor: Actor, _record_id=None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services, self._actor = services, actor
        self.setObjectName("calendarView")
        self.anchor = dt.date.today()  # a day of the shown month or week
        self.mode = "month"
        self.title_label = QLabel(objectName="calendarTitle")
        self.title_label.setStyleSheet("font-size: 15pt; font-weight: bold;")
        previous = QPushButton("قبلی", objectName="previousButton")  # RTL: the earlier period is on the right
        previous.clicked.connect(lambda: self.step(-1))
        following = QPushButton("بعدی", objectName="nextButton")
        following.clicked.connect(lambda: self.step(1))
        today = QPushButton("امروز", objectName="todayButton")
        today.clicked.connect(self.go_today)
        self.month_button = QPushButton("ماه", checkable=True, checked=True)
        self.week_button = QPushButton("هفته", checkable=True)
        modes = QButtonGroup(self)
        for button, mode in ((self.month_button, "month"), (self.week_button, "week")):
            modes.addButton(button)
            button.clicked.connect(lambda _=False, m=mode: self.set_mode(m))
        self.team_box = QCheckBox("فعالیت‌های تیم")
        self.team_box.setVisible(services.calendar.is_leader(actor))
        self.team_box.toggled.connect(self.refresh)
        self.done_box = QCheckBox("نمایش انجام‌شده‌ها", objectName="showDone")
        self.done_box.toggled.connect(self.refresh)
        bar = QHBoxLayout()
        for widget in (previous, today, following, self.title_label):
            bar.addWidget(widget)
        bar.addStretch()
        for widget in (self.done_box, self.team_box, self.month_button, self.week_button):
            bar.addWidget(widget)

        self.grid = QGridLayout()
        self.grid.setSpacing(2)
        for column, name in enumerate(WEEKDAY_NAMES):  # شنبه … جمعه: Saturday starts the (right-hand) row
            header = QLabel(name, objectName="weekdayHeader")
            if column == 6:
                header.setStyleSheet("color: #c62828;")
            self.grid.addWidget(header, 0, column)
        self.cells: list[DayCell] = []
        for index in range(MONTH_WEEKS * 7):
            cell = DayCell(self)
            cell.sig_plan.connect(self.plan_on)
            cell.sig_open.connect(self.open_activity)
            cell.sig_move.connect(self.move_activity)
            self.cells.append(cell)
            self.grid.addWidget(cell, 1 + index // 7, index % 7)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(self.grid, 1)
        change_bus().sig_changed.connect(self._changed)
        self.refresh()

    def title(self) -> str:
        return "تقویم فعالیت‌ها"

    # --- navigation ----------------------------------------------------------------------------
    def set_mode(self, mode: str) -> None:
        self.mode = mode
        self.month_button.setChecked(mode == "month")
        self.week_button.setChecked(mode == "week")
        self.refresh()

    def step(self, direction: int) -> None:
        if self.mode == "week":
            self.anchor += dt.timedelta(days=7 * direction)
        else:
            year, month, _ = jalali_parts(self.anchor)
            index = year * 12 + month - 1 + direction
            self.anchor = jalali_to_date(index // 12, index % 12 + 1, 1)
        self.refresh()

    def go_today(self) -> None:
        self.anchor = dt.date.today()
        self.refresh()

    def visible_days(self) -> list[dt.date]:
        if self.mode == "week":
            first = week_start(self.anchor)
            return [first + dt.timedelta(days=i) for i in range(7)]
        year, month, _ = jalali_parts(self.anchor)
        first = week_start(jalali_to_date(year, month, 1))
        return [first + dt.timedelta(days=i) for i in range(MONTH_WEEKS * 7)]

    # --- drawing -------------------------------------------------------------------------------
    def refresh(self) -> None:
        days = self.visible_days()
        year, month, _ = jalali_parts(self.anchor)
        if self.mode == "week":
            first, last = jalali_parts(days[0]), jalali_parts(days[-1])
            self.title_label.setText(
                f"هفته {to_persian_digits(str(first[2]))} {month_title(first[0], first[1])}"
                f" تا {to_persian_digits(str(last[2]))} {month_title(last[0], last[1])}"
            )
        else:
            self.title_label.setText(month_title(year, month))
        entries = self._services.calendar.activities(
            self._actor,
            days[0],
            days[-1],
            include_team=self.team_box.isChecked(),
            include_done=self.done_box.isChecked(),
        )
        by_day = defaultdict(list)
        for entry in entries:
            by_day[entry.row.due_at.astimezone().date()].append(entry)
        today = dt.date.today()
        for index, cell in enumerate(self.cells):
            visible = index < len(days)
            cell.setVisible(visible)
            if visible:
                day = days[index]
                _, m, d = jalali_parts(day)
                in_month = self.mode == "week" or m == month
                cell.show_day(day, d, in_month, day == today, by_day.get(day, []))

    def cell_for(self, day: dt.date) -> DayCell | None:
        return next((c for c in self.cells if c.isVisibleTo(self) and c.day == day), None)

    # --- actions -------------------------------------------------------------------------------
    def plan_on(self, day: dt.date) -> None:
        actions.plan_activity(self, self._services, self._actor, day=day)

    def move_activity(self, activity_id, day: dt.date) -> None:
        """Dropped on another day: moved there at the same time of day (the change redraws the grid)."""
        actions.postpone(self, self._services, self._actor, activity_id, day)

    def open_activity(self, activity_id) -> None:
        self.sig_open_record.emit("activity", activity_id)

    def _changed(self, table: str, _ids) -> None:
        if table in ("activities", "identities", "opportunities"):
            self.refresh_or_defer(self.refresh)


register_form("calendar", CalendarView)

"""The Jalali activity calendar: Persian month names, Saturday first, Friday as the weekend, a day's
activities, planning on a clicked day and opening an activity."""

from __future__ import annotations

import datetime as dt

import pytest

from app.persian import MONTH_NAMES, WEEKDAY_NAMES, is_weekend, month_name, to_persian_digits
from app.services.activities.service import ActivityData
from app.ui.activities.activity_dialog import ActivityDialog
from app.ui.activities.calendar_view import CalendarView, jalali_parts, jalali_to_date, month_title
from tests.conftest import TEST_OUTPUT
from tests.services.activity_helpers import add_identity
from tests.ui.activity_ui import persian_widget, when_dialog
from tests.ui.persian_typing import type_text


@pytest.fixture
def view(qtbot, services, admin):
    widget = persian_widget(CalendarView(services, admin))
    qtbot.addWidget(widget)
    widget.resize(1100, 760)
    widget.show()
    yield widget


def test_month_names_are_jalali_and_persian(view) -> None:
    assert [month_title(1405, m).split()[0] for m in range(1, 13)] == list(MONTH_NAMES)
    assert month_title(1405, 9) == "آذر ۱۴۰۵" and month_name(9) == "آذر"
    view.anchor = dt.date(2026, 11, 22)  # 1 Azar 1405
    view.refresh()
    assert view.title_label.text() == "آذر ۱۴۰۵"
    view.step(1)
    assert view.title_label.text() == "دی ۱۴۰۵"
    view.step(-2)
    assert view.title_label.text() == "آبان ۱۴۰۵"


def test_grid_starts_on_saturday_and_marks_friday(view) -> None:
    view.anchor = dt.date(2026, 11, 22)
    view.refresh()
    days = view.visible_days()
    assert len(days) == 42 and days[0].weekday() == 5  # Saturday
    # 1 Azar 1405 is a Sunday: the grid opens on the Saturday before it, 30 Aban.
    assert jalali_parts(days[0]) == (1405, 8, 30) and jalali_parts(days[1]) == (1405, 9, 1)
    headers = [view.grid.itemAtPosition(0, c).widget().text() for c in range(7)]
    assert headers == list(WEEKDAY_NAMES) and headers[0] == "شنبه" and headers[6] == "جمعه"
    friday = view.cells[6]
    assert is_weekend(friday.day) and "#c62828" in friday.number.styleSheet()
    first = view.cell_for(jalali_to_date(1405, 9, 1))
    assert first.number.text() == "۱"


def test_a_days_activities_show_and_open(qtbot, view, services, admin) -> None:
    identity = add_identity(services, admin, "شرکت آلفا")
    due = dt.datetime(2026, 11, 24, 10, 30).astimezone()
    call = services.activities.plan(admin, ActivityData(identity.id, "تماس معرفی محصولات", due))
    view.anchor = due.date()
    view.refresh()
    cell = view.cell_for(due.date())
    assert cell.activity_ids() == [call.id]
    assert cell.items.item(0).text() == f"{to_persian_digits('10:30')} تماس معرفی محصولات"
    with qtbot.waitSignal(view.sig_open_record) as opened:
        cell.items.itemDoubleClicked.emit(cell.items.item(0))
    assert opened.args == ["activity", call.id]
    view.set_mode("week")
    assert len(view.visible_days()) == 7 and view.cell_for(due.date()).activity_ids() == [call.id]
    assert view.title_label.text().startswith("هفته")
    view.grab().save(str(TEST_OUTPUT / "calendar_week.png"))


def test_clicking_a_day_plans_an_activity_there(qtbot, view, services, admin) -> None:
    identity = add_identity(services, admin, "شرکت بتا")
    view.anchor = dt.date(2026, 11, 22)
    view.refresh()
    day = jalali_to_date(1405, 9, 10)

    def fill(dialog: ActivityDialog) -> None:
        assert dialog.date.date_value() == day
        dialog.identity.set_identity(identity.id, identity.display_name)
        type_text(dialog.summary, "جلسه مذاکره قیمت")
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()

    failures = when_dialog(ActivityDialog, fill)
    view.cell_for(day).plan_button.click()
    assert not failures, failures
    qtbot.waitUntil(lambda: bool(view.cell_for(day).activity_ids()), timeout=3000)
    rows = services.calendar.activities(admin, day, day)
    assert [r.row.summary for r in rows] == ["جلسه مذاکره قیمت"]
    view.grab().save(str(TEST_OUTPUT / "calendar_month.png"))

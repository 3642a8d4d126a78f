import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import datetime
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QDate, QLocale, QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QCalendarWidget, QDateTimeEdit, QTableView, QWidget

from app.ui.common.jalali_date_edit import JalaliCalendarWidget, JalaliDateEdit
from app.ui.qt_setup import configure_application, jalali_calendar
from tests.ui.persian_typing import type_text

AZAR_1_1405 = datetime.date(2026, 11, 22)  # a Sunday


@pytest.fixture(params=[Qt.LayoutDirection.RightToLeft, Qt.LayoutDirection.LeftToRight], ids=["rtl", "ltr"])
def form(qtbot, request) -> QWidget:
    widget = QWidget()
    widget.setLayoutDirection(request.param)
    qtbot.addWidget(widget)
    return widget


@pytest.fixture
def edit(qtbot) -> Iterator[JalaliDateEdit]:
    parent = QWidget()
    parent.setLayoutDirection(Qt.LayoutDirection.RightToLeft)  # as in the application
    qtbot.addWidget(parent)
    widget = JalaliDateEdit(parent)
    widget.set_date_value(AZAR_1_1405)
    parent.show()
    qtbot.waitExposed(parent)
    widget.setFocus()
    yield widget  # yield, not return: qtbot holds widgets weakly and the parent must stay alive


def jalali_day_of_highlighted_cell(calendar: QCalendarWidget) -> int:
    view = calendar.findChild(QTableView)
    return view.model().data(view.currentIndex())


def open_popup(qtbot, edit: JalaliDateEdit) -> QCalendarWidget:
    # The arrow sits at the end of the field: the left edge in a right-to-left form.
    x = 6 if edit.isRightToLeft() else edit.width() - 6
    qtbot.mouseClick(edit, Qt.MouseButton.LeftButton, pos=QPoint(x, edit.height() // 2))
    calendar = edit.calendarWidget()
    qtbot.waitUntil(calendar.isVisible)
    return calendar


def test_shows_the_jalali_date_with_persian_digits(form):
    edit = JalaliDateEdit(form)
    edit.set_date_value(AZAR_1_1405)
    assert edit.text() == "۱۴۰۵/۰۹/۰۱"
    assert edit.date_value() == AZAR_1_1405


def test_keeps_year_first_when_moved_into_a_right_to_left_form(qtbot):
    edit = JalaliDateEdit()
    qtbot.addWidget(edit)
    edit.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
    edit.set_date_value(AZAR_1_1405)
    edit.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    assert edit.text() == "۱۴۰۵/۰۹/۰۱"


def test_typing_a_persian_year_into_the_year_section(edit):
    edit.setSelectedSection(QDateTimeEdit.Section.YearSection)
    type_text(edit, "۱۴۰۴")
    assert edit.date_value() == datetime.date(2025, 11, 22)  # ۱۴۰۴/۰۹/۰۱


@pytest.mark.parametrize("key", ["ت", "T", "t"])
def test_t_means_today(edit, key):
    type_text(edit, key)
    assert edit.date_value() == datetime.date.today()


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        ("+", datetime.date(2026, 11, 23)),
        ("-", datetime.date(2026, 11, 21)),
        ("−", datetime.date(2026, 11, 21)),  # the Unicode minus sign
        ("++-", datetime.date(2026, 11, 23)),
    ],
)
def test_plus_and_minus_move_by_a_day(edit, keys, expected):
    type_text(edit, keys)
    assert edit.date_value() == expected


def test_page_up_and_down_move_by_a_jalali_month(qtbot, edit):
    qtbot.keyClick(edit, Qt.Key.Key_PageUp)
    assert edit.text() == "۱۴۰۵/۱۰/۰۱"
    assert edit.date_value() == datetime.date(2026, 12, 22)
    qtbot.keyClick(edit, Qt.Key.Key_PageDown)
    qtbot.keyClick(edit, Qt.Key.Key_PageDown)
    assert edit.text() == "۱۴۰۵/۰۸/۰۱"


def test_ctrl_combinations_are_left_to_the_window(qtbot, edit):
    qtbot.keyClick(edit, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert edit.date_value() == AZAR_1_1405


def test_calendar_starts_on_saturday_and_only_friday_is_weekend(qtbot):
    calendar = JalaliCalendarWidget()
    qtbot.addWidget(calendar)
    red = QColor(Qt.GlobalColor.red)
    assert calendar.firstDayOfWeek() == Qt.DayOfWeek.Saturday
    assert calendar.weekdayTextFormat(Qt.DayOfWeek.Friday).foreground().color() == red
    for day in (Qt.DayOfWeek.Saturday, Qt.DayOfWeek.Sunday):
        assert calendar.weekdayTextFormat(day).foreground().color() != red
    assert calendar.verticalHeaderFormat() == QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader


def jalali_day(date: QDate) -> int:
    return jalali_calendar().partsFromDate(date).day


def test_a_new_calendar_highlights_today(qtbot):
    # Qt keeps the cell of today's Gregorian layout highlighted after the switch to Jalali.
    calendar = JalaliCalendarWidget()
    qtbot.addWidget(calendar)
    calendar.show()
    qtbot.waitExposed(calendar)
    assert jalali_day_of_highlighted_cell(calendar) == jalali_day(QDate.currentDate())


def test_the_popup_of_a_new_edit_highlights_today(qtbot, form):
    edit = JalaliDateEdit(form)
    form.show()
    qtbot.waitExposed(form)
    calendar = open_popup(qtbot, edit)
    assert jalali_day_of_highlighted_cell(calendar) == jalali_day(QDate.currentDate())


def test_calendar_highlights_the_selected_jalali_day(qtbot):
    calendar = JalaliCalendarWidget()
    qtbot.addWidget(calendar)
    calendar.setSelectedDate(QDate(2026, 11, 22))
    calendar.show()
    qtbot.waitExposed(calendar)
    assert jalali_day_of_highlighted_cell(calendar) == 1  # ۱ آذر, not the Gregorian 22


def test_popup_shows_the_edited_date_and_picks_a_new_one(qtbot, edit):
    calendar = open_popup(qtbot, edit)
    assert calendar.selectedDate() == QDate(2026, 11, 22)
    assert jalali_day_of_highlighted_cell(calendar) == 1
    qtbot.keyClick(calendar.findChild(QTableView), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not calendar.isVisible())
    assert edit.date_value() == AZAR_1_1405


def test_value_round_trips_and_is_announced(qtbot, edit):
    seen = []
    edit.sig_value_changed.connect(seen.append)
    for value in (datetime.date(2025, 3, 21), datetime.date(2024, 3, 20), AZAR_1_1405):
        edit.set_date_value(value)
        assert edit.date_value() == value
    assert seen == [datetime.date(2025, 3, 21), datetime.date(2024, 3, 20), AZAR_1_1405]
    assert edit.text() == "۱۴۰۵/۰۹/۰۱"


def test_a_required_date_refuses_none(edit):
    assert not edit.isNullable()
    with pytest.raises(ValueError):
        edit.set_date_value(None)


def test_an_optional_date_can_be_empty(qtbot, edit):
    seen = []
    edit.sig_value_changed.connect(seen.append)
    edit.setNullable(True)
    edit.set_date_value(None)
    assert edit.date_value() is None
    assert edit.text() == "—"
    assert seen == [None]
    qtbot.keyClick(edit, Qt.Key.Key_Plus)  # stepping from empty starts at today
    assert edit.date_value() == datetime.date.today() + datetime.timedelta(days=1)
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    assert edit.date_value() is None


def test_an_empty_date_opens_the_popup_at_today_without_filling_the_field(qtbot, edit):
    edit.setNullable(True)
    edit.set_date_value(None)
    calendar = open_popup(qtbot, edit)
    assert calendar.selectedDate() == QDate.currentDate()
    assert edit.date_value() is None


def test_in_the_configured_application(qtbot, restore_application):
    configure_application(QApplication.instance())
    edit = JalaliDateEdit()
    qtbot.addWidget(edit)
    edit.set_date_value(AZAR_1_1405)
    assert edit.isRightToLeft()
    assert edit.text() == "۱۴۰۵/۰۹/۰۱"
    assert QApplication.font().family() == "Vazirmatn"
    assert QApplication.translate("QPlatformTheme", "Cancel") == "انصراف"


@pytest.fixture
def restore_application():
    """configure_application changes process-wide state; put it back for the other tests."""
    app = QApplication.instance()
    direction, font, style_sheet, locale = app.layoutDirection(), app.font(), app.styleSheet(), QLocale()
    yield
    app.setLayoutDirection(direction)
    app.setFont(font)
    app.setStyleSheet(style_sheet)
    QLocale.setDefault(locale)

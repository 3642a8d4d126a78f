"""Typing whole dates and times into the date and time fields, in Persian and Latin digits."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import datetime
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QWidget

from app.ui.common.form_fields import FieldRow
from app.ui.common.jalali_date_edit import JalaliDateEdit
from app.ui.common.time_edit import TimeEdit
from tests.ui.persian_typing import type_text

AZAR_1_1405 = datetime.date(2026, 11, 22)
ESFAND_30_1403 = datetime.date(2025, 3, 20)


@pytest.fixture
def form(qtbot) -> Iterator[QWidget]:
    """A right-to-left form row holding a date, a time and a line edit to move the focus to."""
    window = QWidget()
    window.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    qtbot.addWidget(window)
    line = QHBoxLayout(window)
    fields = QWidget()
    inner = QHBoxLayout(fields)
    window.date, window.time, window.other = JalaliDateEdit(), TimeEdit(), QLineEdit()
    inner.addWidget(window.date)
    inner.addWidget(window.time)
    window.row = FieldRow(fields)
    line.addWidget(window.row)
    line.addWidget(window.other)
    window.date.set_date_value(AZAR_1_1405)
    window.show()
    qtbot.waitExposed(window)
    yield window


def click_into(qtbot, widget: QWidget) -> None:
    line = widget.lineEdit()
    qtbot.mouseClick(line, Qt.MouseButton.LeftButton, pos=QPoint(line.width() // 2, line.height() // 2))


@pytest.mark.parametrize("typed", ["۱۴۰۳/۱۲/۳۰", "1403/12/30", "14031230", "۱۴۰۳-۱۲-۳۰", "۱۴۰۳۱۲۳۰"])
def test_a_whole_date_typed_after_a_click(qtbot, form, typed):
    click_into(qtbot, form.date)
    type_text(form.date, typed)
    qtbot.keyClick(form.date, Qt.Key.Key_Return)
    assert form.date.date_value() == ESFAND_30_1403
    assert form.date.text() == "۱۴۰۳/۱۲/۳۰"


@pytest.mark.parametrize("typed", ["1403", "۱۴۰۳"])
def test_a_year_alone_changes_the_year(qtbot, form, typed):
    click_into(qtbot, form.date)
    type_text(form.date, typed)
    qtbot.keyClick(form.date, Qt.Key.Key_Tab)
    assert form.date.date_value() == datetime.date(2024, 11, 21)  # ۱۴۰۳/۰۹/۰۱


def test_the_typed_text_shows_in_persian_digits(qtbot, form):
    click_into(qtbot, form.date)
    type_text(form.date, "1403/1")
    assert form.date.text() == "۱۴۰۳/۱"


def test_an_impossible_date_is_refused_beside_the_field_and_kept(qtbot, form):
    form.date.set_date_value(datetime.date(2025, 11, 22))
    click_into(qtbot, form.date)
    type_text(form.date, "1404/12/30")
    form.other.setFocus()  # leaving the field reads it
    assert form.date.text() == "۱۴۰۴/۱۲/۳۰"  # not the clamped ۱۴۰۴/۱۲/۲۹
    assert form.row.error.text() == "تاریخ نامعتبر است"
    assert form.date.date_value() == datetime.date(2025, 11, 22)  # the last date, not a made-up one
    assert form.date.typing.error() == "تاریخ نامعتبر است"
    form.date.setFocus()
    qtbot.keyClick(form.date, Qt.Key.Key_Backspace)
    qtbot.keyClick(form.date, Qt.Key.Key_Backspace)
    type_text(form.date, "۲۹")
    qtbot.keyClick(form.date, Qt.Key.Key_Return)
    assert form.date.date_value() == datetime.date(2026, 3, 20)  # ۱۴۰۴/۱۲/۲۹
    assert form.row.error.isHidden()
    assert form.date.typing.error() is None


def test_escape_puts_the_date_back(qtbot, form):
    click_into(qtbot, form.date)
    type_text(form.date, "۱۳۹")
    qtbot.keyClick(form.date, Qt.Key.Key_Escape)
    assert form.date.text() == "۱۴۰۵/۰۹/۰۱"
    assert form.date.date_value() == AZAR_1_1405


def test_minus_separates_while_typing_and_steps_a_day_otherwise(qtbot, form):
    type_text(form.date, "-")
    assert form.date.date_value() == AZAR_1_1405 - datetime.timedelta(days=1)
    type_text(form.date, "1403-12-30")
    assert form.date.date_value() == ESFAND_30_1403


@pytest.mark.parametrize("typed", ["۱۱:۳۰", "1130", "11.30", "۱۱۳۰", "11:30"])
def test_a_whole_time_typed_after_a_click(qtbot, form, typed):
    click_into(qtbot, form.time)
    type_text(form.time, typed)
    qtbot.keyClick(form.time, Qt.Key.Key_Tab)
    assert form.time.time_value() == datetime.time(11, 30)
    assert form.time.text() == "۱۱:۳۰"


def test_time_digits_are_always_persian(qtbot, form):
    click_into(qtbot, form.time)
    type_text(form.time, "10:3")
    assert form.time.text() == "۱۰:۳"
    type_text(form.time, "0")
    assert form.time.time_value() == datetime.time(10, 30)
    assert form.time.text() == "۱۰:۳۰"


def test_an_impossible_time_is_refused_and_kept(qtbot, form):
    form.time.set_time_value(datetime.time(9, 0))
    click_into(qtbot, form.time)
    type_text(form.time, "2530")
    form.other.setFocus()
    assert form.time.text() == "۲۵۳۰"
    assert form.row.error.text() == "ساعت نامعتبر است"
    assert form.time.time_value() == datetime.time(9, 0)


def test_typing_after_a_double_click_on_the_hour_replaces_the_time(qtbot, form):
    form.time.set_time_value(datetime.time(10, 45))
    line = form.time.lineEdit()
    y = line.height() // 2
    x = next(x for x in range(line.width()) if line.cursorPositionAt(QPoint(x, y)) == 1)  # inside «۱۰»
    qtbot.mouseDClick(line, Qt.MouseButton.LeftButton, pos=QPoint(x, y))
    type_text(form.time, "۱۱۳۰")
    qtbot.keyClick(form.time, Qt.Key.Key_Return)
    assert form.time.time_value() == datetime.time(11, 30)


def test_next_round_hour():
    from app.ui.activities.activity_dialog import next_round_hour

    assert next_round_hour(datetime.datetime(2026, 11, 22, 10, 5, 7)) == datetime.datetime(2026, 11, 22, 11, 0)
    assert next_round_hour(datetime.datetime(2026, 11, 22, 23, 30)) == datetime.datetime(2026, 11, 23, 0, 0)


@pytest.fixture
def activity_dialog(qtbot, services, admin):
    from app.services.activities.activity_types import ensure_builtin_types
    from app.ui.activities.activity_dialog import ActivityDialog, next_round_hour
    from tests.services.activity_helpers import add_identity

    ensure_builtin_types(services.db)
    identity = add_identity(services, admin, "شرکت آلفا")
    before = next_round_hour(datetime.datetime.now().astimezone())
    dialog = ActivityDialog(services, admin, None, identity_id=identity.id)
    qtbot.addWidget(dialog)
    dialog.expected = {before, next_round_hour(datetime.datetime.now().astimezone())}
    dialog.identity_id = identity.id
    return dialog


def test_a_new_activity_starts_at_the_next_round_hour(activity_dialog):
    due = activity_dialog.value().due_at
    assert due in activity_dialog.expected
    assert due > datetime.datetime.now().astimezone()  # no reminder fires on saving


def test_an_activity_with_a_typed_date_and_time_is_saved_as_typed(qtbot, activity_dialog, services, admin):
    type_text(activity_dialog.summary, "تماس")
    type_text(activity_dialog.date, "۱۴۰۶/۱/۱۵")
    type_text(activity_dialog.time, "0930")
    activity_dialog.accept()
    saved = services.activities.get(admin, activity_dialog.detail.id).due_at.astimezone()
    assert (saved.date(), saved.hour, saved.minute) == (datetime.date(2027, 4, 4), 9, 30)


def test_an_impossible_typed_date_is_not_saved(qtbot, activity_dialog, services, admin):
    type_text(activity_dialog.summary, "تماس")
    type_text(activity_dialog.date, "1404/12/30")
    activity_dialog.accept()
    assert activity_dialog.detail is None
    assert activity_dialog.form.rows["due_at"].error.text() == "تاریخ نامعتبر است"
    assert activity_dialog.date.text() == "۱۴۰۴/۱۲/۳۰"
    assert services.activities.for_record(admin, identity_id=activity_dialog.identity_id) == []


def test_a_date_set_elsewhere_replaces_the_typed_text(qtbot, form):
    click_into(qtbot, form.date)
    type_text(form.date, "1404/12/30")
    form.date.set_date_value(ESFAND_30_1403)  # e.g. picked in the calendar popup
    assert form.date.text() == "۱۴۰۳/۱۲/۳۰"
    assert not form.date.typing.is_typing()
    form.other.setFocus()
    assert form.date.typing.error() is None
    assert form.date.date_value() == ESFAND_30_1403

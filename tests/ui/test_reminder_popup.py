"""Reminders in the running program: one timer sleeping until the next due time, a popup with open /
done / snooze, missed ones listed once at start-up."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QPushButton, QWidget

from app.models import ActivityKind, ActivityState, utcnow
from app.services.activities.service import ActivityData
from app.ui.activities.activity_actions import DoneDialog
from app.ui.activities.reminders import MAX_SLEEP_MS, TITLE_MISSED, TITLE_NOW, ReminderController
from tests.conftest import TEST_OUTPUT
from tests.services.activity_helpers import add_identity
from tests.ui.activity_ui import persian_widget, when_dialog
from tests.ui.persian_typing import type_text


class Clock:
    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def setup(qtbot, services, admin):
    window = persian_widget(QWidget())
    qtbot.addWidget(window)
    opened = []
    clock = Clock()
    controller = ReminderController(services, admin, window, opened.append, clock=clock)
    identity = add_identity(services, admin, "شرکت آلفا")
    yield controller, clock, opened, identity
    controller.stop()
    if controller.popup is not None:
        controller.popup.close()


def _plan(services, admin, identity, due, summary="تماس پیگیری", kind=ActivityKind.CALL):
    return services.activities.plan(admin, ActivityData(identity.id, summary, due, kind))


def _button(popup, activity_id, name) -> QPushButton:
    return popup.row_for(activity_id).findChild(QPushButton, name)


def test_missed_reminders_are_listed_once_at_start_up(setup, services, admin) -> None:
    controller, clock, _, identity = setup
    first = _plan(services, admin, identity, clock.now - dt.timedelta(hours=3), "تماس اول")
    second = _plan(services, admin, identity, clock.now - dt.timedelta(minutes=30), "جلسه دوم")
    _plan(services, admin, identity, clock.now - dt.timedelta(days=3), "خیلی قدیمی")  # in the cardboard only
    controller.start()
    popup = controller.popup
    assert popup.windowTitle() == TITLE_MISSED and popup.isVisible()
    assert popup.reminder_ids == [first.id, second.id]
    assert popup.heading.text() == "۲ فعالیت به موعد رسیده است."
    popup.grab().save(str(TEST_OUTPUT / "reminders_missed.png"))
    controller.fire()  # nothing new: no second list
    assert popup.reminder_ids == [first.id, second.id]


def test_timer_sleeps_until_the_next_due_time(setup, services, admin) -> None:
    controller, clock, _, identity = setup
    controller.start()
    assert controller.popup is None and controller.timer.remainingTime() > MAX_SLEEP_MS - 1000
    call = _plan(services, admin, identity, clock.now + dt.timedelta(minutes=2))
    controller.schedule()
    assert 110_000 <= controller.timer.remainingTime() <= 126_000  # a coarse timer may add 5%
    clock.now += dt.timedelta(minutes=2)
    controller.fire()
    assert controller.popup.windowTitle() == TITLE_NOW and controller.popup.reminder_ids == [call.id]


def test_snooze_and_open(setup, services, admin) -> None:
    controller, clock, opened, identity = setup
    call = _plan(services, admin, identity, clock.now - dt.timedelta(minutes=1))
    controller.start()
    popup = controller.popup
    _button(popup, call.id, "openButton").click()
    assert opened == [call.id]
    _button(popup, call.id, "snooze10Button").click()
    assert popup.reminder_ids == []
    assert services.reminders.next_time(admin, clock.now) >= clock.now + dt.timedelta(minutes=9)
    clock.now += dt.timedelta(minutes=11)
    controller.fire()
    assert controller.popup.reminder_ids == [call.id]


def test_done_from_the_reminder(qtbot, setup, services, admin) -> None:
    controller, clock, _, identity = setup
    call = _plan(services, admin, identity, clock.now - dt.timedelta(minutes=1))
    controller.start()

    def answer(dialog: DoneDialog) -> None:
        type_text(dialog.result_edit, "پاسخ نداد؛ دوباره تماس گرفته شود")
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()

    failures = when_dialog(DoneDialog, answer)
    _button(controller.popup, call.id, "doneButton").click()
    assert not failures, failures
    detail = services.activities.get(admin, call.id)
    assert detail.state is ActivityState.DONE and detail.result.startswith("پاسخ نداد")

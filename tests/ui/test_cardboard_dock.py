"""The cardboard dock as a rep uses it: sections with counts, done with a Persian result, postpone,
plan for an unplanned opportunity, rows that open records, refresh on change."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from app.models import ActivityKind, ActivityState, utcnow
from app.persian import format_date, format_datetime, format_time, format_weekday_time
from app.services.activities.service import ActivityData
from app.services.opportunities.health import Health
from app.ui.activities.activity_actions import DoneDialog
from app.ui.activities.cardboard_dock import CardboardPanel
from app.ui.ops import op
from tests.conftest import TEST_OUTPUT
from tests.services.activity_helpers import add_identity, add_opportunity
from tests.ui.activity_ui import persian_widget, when_dialog
from tests.ui.persian_typing import type_text


@pytest.fixture
def world(services, admin):
    identity = add_identity(services, admin, "شرکت آلفا")
    opp = add_opportunity(services, admin, identity, "فروش ۵۰ دستگاه پرینتر")
    bare = add_opportunity(services, admin, identity, "نصب شبکه")
    now = utcnow()
    call = services.activities.plan(
        admin,
        ActivityData(
            None, "تماس پیگیری پیش‌فاکتور", now - dt.timedelta(minutes=5), ActivityKind.CALL, opportunity_id=opp.id
        ),
    )
    late = services.activities.plan(admin, ActivityData(identity.id, "ارسال کاتالوگ", now - dt.timedelta(days=2)))
    return {"identity": identity, "opp": opp, "bare": bare, "call": call, "late": late}


@pytest.fixture
def panel(qtbot, services, admin, world):
    widget = persian_widget(CardboardPanel(services, admin))
    qtbot.addWidget(widget)
    widget.resize(520, 600)
    widget.show()
    widget.refresh()
    yield widget


def test_sections_counts_and_title(panel, world) -> None:
    titles = [panel.topLevelItem(i).text(0) for i in range(panel.topLevelItemCount())]
    assert titles[:4] == ["عقب‌افتاده (۱)", "امروز (۱)", "هفت روز آینده (۰)", "فرصت بی‌برنامه (۱)"]
    assert titles[4:] == [
        "پیش‌فاکتور منتظر پاسخ (۰)",
        "فاکتور سررسیدگذشته (۰)",
        "فاکتور منتظر پرداخت (۰)",
        "چک‌های سررسید (۰)",
        "اقساط سررسید قرارداد (۰)",
        "پیام‌های تازه (۰)",
        "اخیراً دیده‌شده (۰)",
    ]
    [bare] = panel.items_of("no_plan")
    assert bare.text(0) == "نصب شبکه" and not bare.icon(0).isNull()
    with_signal = []
    panel.sig_title_changed.connect(with_signal.append)
    panel.refresh()
    assert with_signal == ["کارتابل (۲)"]


def test_mark_done_from_the_cardboard_with_a_persian_result(qtbot, panel, services, admin, world) -> None:
    call = world["call"]
    assert panel.select("activity", call.id)
    assert panel.done_button.isEnabled()

    def answer(dialog: DoneDialog) -> None:
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()  # empty: refused, dialog stays
        assert dialog.isVisible() and "نتیجه تماس" in dialog.form.rows["result"].error.text()
        type_text(dialog.result_edit, "مشتری پیش‌فاکتور خواست")
        dialog.grab().save(str(TEST_OUTPUT / "cardboard_done_dialog.png"))
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()

    failures = when_dialog(DoneDialog, answer)
    with qtbot.waitSignal(panel.sig_title_changed, timeout=10_000, raising=False) as title:  # a loaded CI machine
        panel.done_button.click()
    assert not failures, failures
    assert title.signal_triggered
    assert title.args == ["کارتابل (۱)"]
    done = services.activities.get(admin, call.id)
    assert done.state is ActivityState.DONE and done.result == "مشتری پیش‌فاکتور خواست"
    assert panel.items_of("today") == []
    # the opportunity has nothing planned any more: it joins the unplanned ones, with a warning
    assert {i.text(0) for i in panel.items_of("no_plan")} == {"نصب شبکه", "فروش ۵۰ دستگاه پرینتر"}
    assert services.deal_health.health(admin, world["opp"].id) is Health.WARNING


def test_plan_an_activity_for_an_unplanned_opportunity(qtbot, panel, services, admin, world) -> None:
    from app.ui.activities.activity_dialog import ActivityDialog

    assert panel.select("opportunity", world["bare"].id)

    def fill(dialog: ActivityDialog) -> None:
        assert dialog.opportunity.currentData() == world["bare"].id
        assert dialog.identity.text() == "شرکت آلفا"
        type_text(dialog.summary, "جلسه نمایش محصول")
        dialog.date.set_date_value(dt.date.today() + dt.timedelta(days=3))
        dialog.grab().save(str(TEST_OUTPUT / "activity_dialog.png"))
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()

    failures = when_dialog(ActivityDialog, fill)
    with qtbot.waitSignal(panel.sig_title_changed, timeout=10_000, raising=False) as title:  # a loaded CI machine
        panel.plan_button.click()
    assert not failures, failures
    assert title.signal_triggered
    assert services.deal_health.health(admin, world["bare"].id) is Health.PLANNED
    assert [i.text(0) for i in panel.items_of("next_7_days")] == ["جلسه نمایش محصول — نصب شبکه"]
    assert panel.items_of("no_plan") == []


def test_postpone_tomorrow_in_one_click(qtbot, panel, services, admin, world) -> None:
    late = world["late"]
    panel.select("activity", late.id)
    menu = panel.postpone_button.menu()
    assert [a.text() for a in menu.actions()] == ["فردا", "هفته بعد", "انتخاب تاریخ…"]
    with qtbot.waitSignal(panel.sig_title_changed, timeout=3000):
        menu.actions()[0].trigger()
    moved = services.activities.get(admin, late.id).due_at.astimezone()
    assert moved.date() == dt.date.today() + dt.timedelta(days=1)
    assert panel.items_of("overdue") == []


def test_rows_open_their_records_and_changes_elsewhere_refresh(qtbot, panel, services, admin, world) -> None:
    opened = []
    panel.sig_open_record.connect(lambda kind, rid: opened.append((kind, rid)))
    [bare] = panel.items_of("no_plan")
    panel.open_item(bare)
    assert opened == [("opportunity", world["bare"].id)]
    with qtbot.waitSignal(panel.sig_title_changed, timeout=3000):  # planned elsewhere in the UI: no call to the panel
        op(
            None,
            lambda: services.activities.plan(
                admin, ActivityData(world["identity"].id, "وظیفه تازه", utcnow() + dt.timedelta(hours=1))
            ),
        ).run()
    assert "وظیفه تازه" in [i.text(0) for i in panel.items_of("today")] + [
        i.text(0) for i in panel.items_of("next_7_days")
    ]
    panel.grab().save(str(TEST_OUTPUT / "cardboard.png"))


def test_quick_buttons_and_right_to_left(panel) -> None:
    assert panel.new_activity.isEnabled()
    assert panel.new_opportunity.isEnabled() and panel.new_quote.isEnabled()
    assert panel.tree.layoutDirection() == Qt.LayoutDirection.RightToLeft


def test_action_buttons_keep_their_captions_at_the_default_dock_width(panel, qtbot) -> None:
    """At 1366×768 the dock is 320 px wide: «انجام شد…» and «برنامه‌ریزی فعالیت…» were clipped."""
    assert panel.minimumSizeHint().width() <= 320
    panel.resize(320, 600)
    qtbot.wait(10)
    buttons = [panel.done_button, panel.postpone_button, panel.plan_button, panel.new_activity, panel.new_quote]
    for button in buttons:
        assert button.width() >= button.sizeHint().width(), button.text()
        assert button.geometry().right() <= panel.width(), button.text()


def test_due_moments_are_as_short_as_their_section_allows(panel, services, admin, world) -> None:
    """The dock is narrow: today's show the time, the week's the weekday and time, overdue ones the day;
    the whole moment is in the tooltip, and what the activity is keeps the room."""
    soon = utcnow() + dt.timedelta(days=3)
    services.activities.plan(admin, ActivityData(world["identity"].id, "ارسال نمونه", soon))
    panel.refresh()
    [late], [call], [week] = panel.items_of("overdue"), panel.items_of("today"), panel.items_of("next_7_days")
    assert late.text(2) == format_date(world["late"].due_at)
    assert call.text(2) == format_time(world["call"].due_at) and call.toolTip(2) == format_datetime(
        world["call"].due_at
    )
    assert week.text(2) == format_weekday_time(soon) and len(week.text(2)) < len(format_datetime(soon))


def test_a_narrow_dock_gives_the_items_their_room_and_names_the_customer_in_the_tooltip(panel, qtbot, world) -> None:
    [call] = panel.items_of("today")
    assert not panel.tree.isColumnHidden(1) and call.text(1) == "شرکت آلفا"
    panel.resize(320, 600)
    qtbot.waitUntil(lambda: panel.tree.isColumnHidden(1))
    assert panel.tree.columnWidth(0) > 150 and call.toolTip(0).endswith("\nشرکت آلفا")
    panel.resize(520, 600)
    qtbot.waitUntil(lambda: not panel.tree.isColumnHidden(1))

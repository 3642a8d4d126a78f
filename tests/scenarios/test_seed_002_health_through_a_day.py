"""Seed 002, «چرا مهم است روی معامله جاری فعالیت داشته باشیم؟», as an own-documents rep lives a day of it,
through the main window's board and cardboard, with real clicks:

The morning: four open opportunities, each showing one health icon on its board card (yellow ⚠ nothing
planned, red an overdue activity, green one due today, grey one planned later) and sitting in the
matching cardboard section.

1. «با انتخاب علامت اخطار روی کاریز ... برنامه ریزی کنید»: the rep clicks the ⚠ on a card and plans a call
   for today, typing its type, date and time; the ⚠ turns green.
2. «روی آیکن فعالیت کلیک کنید و تیک (این فعالیت انجام شد) را بزنید و نتیجه کار خود را ثبت کنید»: the red
   icon opens the overdue call, the rep records its result; nothing is planned any more, so the card
   warns (⚠). «اگر داخل پرونده معامله هستید روی گزینه افزودن فعالیت جدید کلیک کنید»: the rep opens the
   record (a double click on its card); its «فعالیت‌ها» show the done call with its result under «سوابق»
   and nothing under «برنامه‌ریزی‌شده»; «+ فعالیت» plans the next meeting for later in the week, which is
   listed there, and the card turns grey.
3. From the cardboard: today's call of the third opportunity is done with its result («انجام شد…»); the
   opportunity moves to «فرصت بی‌برنامه», where «برنامه‌ریزی فعالیت…» plans its next step (grey).
4. «به تعویق انداختن»: the call planned in step 1 cannot happen today; the rep postpones it to tomorrow
   from the cardboard (green to grey).

The evening: no card warns and none is overdue; every icon is grey; the cardboard's «عقب‌افتاده» and
«فرصت بی‌برنامه» are empty.
"""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDockWidget, QMessageBox

from app.models import AccessLevel, ActivityState
from app.persian import format_date, format_datetime
from app.services.activities.service import ActivityData
from app.services.opportunities.health import Health, today_bounds
from app.ui.activities.activity_actions import DoneDialog
from app.ui.activities.activity_dialog import ActivityDialog
from app.ui.activities.record_activities import RecordActivities
from app.ui.main_window import MainWindow
from app.ui.opportunities.opportunity_dock import OpportunityDock
from app.ui.opportunities.opportunity_form import OpportunityForm
from app.ui.qt_setup import configure_application
from tests.ui.activity_ui import when_dialog
from tests.ui.board_clicks import card_place, click_health_icon, settled
from tests.ui.persian_typing import type_text


@pytest.fixture
def day(qtbot, sales, tmp_path, monkeypatch):
    """The rep's four opportunities in the morning, and the main window as the rep opens it."""
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)  # no chained next
    services, rep = sales.services, sales.rep
    assert rep.access_level is AccessLevel.OWN_DOCUMENTS  # the seed's rep sees only their own documents
    start, tomorrow = today_bounds()
    opps = {name: sales.new(title=name) for name in ("نصب شبکه", "فروش پرینتر", "قرارداد پشتیبانی", "تمدید لایسنس")}
    for name, due in (
        ("فروش پرینتر", start - dt.timedelta(days=2)),  # overdue
        ("قرارداد پشتیبانی", start + (tomorrow - start) / 2),  # today
        ("تمدید لایسنس", tomorrow + dt.timedelta(days=3)),  # later
    ):
        services.activities.plan(rep, ActivityData(None, f"تماس {name}", due, opportunity_id=opps[name]))
    configure_application(QApplication.instance())
    window = MainWindow(QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.attach(services, rep)
    dock = window.findChild(OpportunityDock)
    dock.show_view("board")
    window.resizeDocks([window.findChild(QDockWidget, "opportunityDock")], [560], Qt.Orientation.Vertical)
    qtbot.waitUntil(lambda: sum(c.model.count() for c in dock.board.columns) == len(opps), timeout=5000)
    qtbot.waitUntil(lambda: window.cardboard_panel.board is not None, timeout=5000)  # read in the background
    return window, dock.board, window.cardboard_panel, opps


def health(board, opp_id) -> Health:
    column, row = card_place(board, opp_id)
    return column.model.card_at(row).health


def icons(board, opps) -> dict[str, Health]:
    return {name: health(board, opp_id) for name, opp_id in opps.items()}


def section_titles(cardboard, key: str) -> list[str]:
    return [item.text(0) for item in cardboard.items_of(key)]


def open_activities(qtbot, window, board, opp_id) -> RecordActivities:
    """Double-clicks the card (on its amount line, away from the icon and the stars) and opens the record's
    «فعالیت‌ها» tab."""
    settled(qtbot, window)
    qtbot.waitUntil(lambda: card_place(board, opp_id)[0].view.isVisible(), timeout=3000)  # a reloaded board
    column, row = card_place(board, opp_id)
    card = column.view.visualRect(column.model.index(row, 0))
    for click in (QTest.mouseClick, QTest.mouseDClick):  # QTest's double click alone lacks the first press
        click(column.view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, card.center())
    qtbot.waitUntil(lambda: isinstance(window.tabs.currentWidget(), OpportunityForm), timeout=3000)
    form = window.tabs.currentWidget()
    assert form.detail.id == opp_id
    bar = form.tabs.tabBar()
    [index] = [i for i in range(bar.count()) if bar.tabText(i) == "فعالیت‌ها"]
    QTest.mouseClick(bar, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, bar.tabRect(index).center())
    return form.activities


def record_rows(activities: RecordActivities) -> dict[str, list[tuple[str, ...]]]:
    """The record's activities as shown: each section's heading and its rows' texts."""
    tree = activities.tree
    return {
        head.text(0): [tuple(head.child(i).text(c) for c in range(3)) for i in range(head.childCount())]
        for head in (tree.topLevelItem(i) for i in range(tree.topLevelItemCount()))
    }


def click_into(qtbot, widget) -> None:
    line = widget.lineEdit()
    qtbot.mouseClick(line, Qt.MouseButton.LeftButton, pos=QPoint(line.width() // 2, line.height() // 2))
    line.selectAll()


class Answer:
    """A dialog the rep will answer once it opens (a click on a board icon opens it after the click)."""

    def __init__(self, cls, act) -> None:
        self.done = False

        def answer(dialog) -> None:
            act(dialog)
            self.done = True

        self.failures = when_dialog(cls, answer)

    def wait(self, qtbot) -> None:
        qtbot.waitUntil(lambda: self.done or bool(self.failures), timeout=5000)
        assert not self.failures, self.failures


def plan(qtbot, kind: str, summary: str, on: dt.date, at: str) -> Answer:
    """Fills «فعالیت جدید» as the rep does: the type, a summary, the date and time typed, «ذخیره»."""

    def fill(dialog: ActivityDialog) -> None:
        dialog.type_box.setCurrentIndex(dialog.type_box.findText(kind))
        type_text(dialog.summary, summary)
        click_into(qtbot, dialog.date)
        type_text(dialog.date, format_date(on))
        click_into(qtbot, dialog.time)
        type_text(dialog.time, at)
        QTest.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton)

    return Answer(ActivityDialog, fill)


def record_result(text: str) -> Answer:
    def answer(dialog: DoneDialog) -> None:
        type_text(dialog.result_edit, text)
        QTest.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)

    return Answer(DoneDialog, answer)


def test_the_health_icons_through_a_rep_s_day(qtbot, day, sales) -> None:
    today = dt.date.today()  # at the test's run, not at import: a run may cross midnight
    window, board, cardboard, opps = day
    services, rep = sales.services, sales.rep

    # the morning: one state each, on the board and in the cardboard
    assert icons(board, opps) == {
        "نصب شبکه": Health.WARNING,
        "فروش پرینتر": Health.OVERDUE,
        "قرارداد پشتیبانی": Health.TODAY,
        "تمدید لایسنس": Health.PLANNED,
    }
    assert section_titles(cardboard, "no_plan") == ["نصب شبکه"]
    assert section_titles(cardboard, "overdue") == ["تماس فروش پرینتر — فروش پرینتر"]
    assert section_titles(cardboard, "today") == ["تماس قرارداد پشتیبانی — قرارداد پشتیبانی"]
    assert section_titles(cardboard, "next_7_days") == ["تماس تمدید لایسنس — تمدید لایسنس"]

    # 1. the ⚠ on the card plans a call for today: green
    answer = plan(qtbot, "تماس", "تماس معرفی", today, "۲۳:۳۰")
    settled(qtbot, window)
    click_health_icon(qtbot, board, opps["نصب شبکه"], Health.WARNING)
    answer.wait(qtbot)
    qtbot.waitUntil(lambda: health(board, opps["نصب شبکه"]) is Health.TODAY, timeout=3000)
    [call] = services.activities.for_record(rep, opportunity_id=opps["نصب شبکه"])
    assert call.summary == "تماس معرفی" and call.due_at.astimezone().date() == today

    # 2. the red icon opens the overdue call: its result is recorded; nothing planned, so ⚠; planned again: grey
    answer = record_result("مشتری پیش‌فاکتور خواست")
    settled(qtbot, window)
    click_health_icon(qtbot, board, opps["فروش پرینتر"], Health.OVERDUE)
    answer.wait(qtbot)
    qtbot.waitUntil(lambda: health(board, opps["فروش پرینتر"]) is Health.WARNING, timeout=3000)
    [done] = services.activities.for_record(rep, opportunity_id=opps["فروش پرینتر"])
    assert done.result == "مشتری پیش‌فاکتور خواست"
    done_row = ("تماس فروش پرینتر", format_datetime(done.done_at), "مشتری پیش‌فاکتور خواست")
    # inside the record: the done call and its result in «سوابق», nothing planned; «+ فعالیت» plans the meeting
    activities = open_activities(qtbot, window, board, opps["فروش پرینتر"])
    qtbot.waitUntil(lambda: record_rows(activities) == {"برنامه‌ریزی‌شده (۰)": [], "سوابق (۱)": [done_row]})
    answer = plan(qtbot, "جلسه", "جلسه ارائه", today + dt.timedelta(days=2), "۱۰:۰۰")
    QTest.mouseClick(activities.plan_button, Qt.MouseButton.LeftButton)
    answer.wait(qtbot)
    [meeting] = services.activities.for_record(rep, opportunity_id=opps["فروش پرینتر"], state=ActivityState.PLANNED)
    local_due = meeting.due_at.astimezone()
    assert (local_due.date(), local_due.hour, local_due.minute) == (today + dt.timedelta(days=2), 10, 0)
    meeting_row = ("جلسه ارائه", format_datetime(meeting.due_at))
    qtbot.waitUntil(lambda: [r[:2] for r in record_rows(activities).get("برنامه‌ریزی‌شده (۱)", [])] == [meeting_row])
    assert record_rows(activities)["سوابق (۱)"] == [done_row]
    qtbot.waitUntil(lambda: health(board, opps["فروش پرینتر"]) is Health.PLANNED, timeout=3000)
    assert window.tabs.close_tab(window.tabs.currentIndex())  # Ctrl+W: back to the board

    # 3. from the cardboard: today's call done, then the next step planned from «فرصت بی‌برنامه»
    qtbot.waitUntil(lambda: "تماس قرارداد پشتیبانی — قرارداد پشتیبانی" in section_titles(cardboard, "today"))
    [item] = [i for i in cardboard.items_of("today") if i.text(0).startswith("تماس قرارداد")]
    cardboard.tree.setCurrentItem(item)
    answer = record_result("قرارداد را برای امضا فرستادیم")
    QTest.mouseClick(cardboard.done_button, Qt.MouseButton.LeftButton)
    answer.wait(qtbot)
    qtbot.waitUntil(lambda: section_titles(cardboard, "no_plan") == ["قرارداد پشتیبانی"], timeout=3000)
    qtbot.waitUntil(lambda: health(board, opps["قرارداد پشتیبانی"]) is Health.WARNING, timeout=3000)
    cardboard.tree.setCurrentItem(cardboard.items_of("no_plan")[0])
    answer = plan(qtbot, "تماس", "پیگیری امضا", today + dt.timedelta(days=1), "۱۱:۰۰")
    QTest.mouseClick(cardboard.plan_button, Qt.MouseButton.LeftButton)
    answer.wait(qtbot)
    qtbot.waitUntil(lambda: health(board, opps["قرارداد پشتیبانی"]) is Health.PLANNED, timeout=3000)

    # 4. the call planned in step 1 is postponed to tomorrow from the cardboard
    qtbot.waitUntil(lambda: "تماس معرفی — نصب شبکه" in section_titles(cardboard, "today"), timeout=3000)
    [item] = [i for i in cardboard.items_of("today") if i.text(0) == "تماس معرفی — نصب شبکه"]
    cardboard.tree.setCurrentItem(item)
    tomorrow = next(a for a in cardboard.postpone_button.menu().actions() if a.text() == "فردا")
    tomorrow.trigger()
    qtbot.waitUntil(lambda: health(board, opps["نصب شبکه"]) is Health.PLANNED, timeout=3000)

    # the evening
    assert set(icons(board, opps).values()) == {Health.PLANNED}
    qtbot.waitUntil(lambda: not cardboard.items_of("overdue") and not cardboard.items_of("no_plan"), timeout=3000)
    assert cardboard.items_of("today") == []
    settled(qtbot, window)  # the window closes after the test: not in the middle of a refresh

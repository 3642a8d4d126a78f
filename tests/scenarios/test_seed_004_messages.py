"""Seed 004, «منو مشترک ماژول ها» — «دنبال کنندگان» and «پیام ها», as two reps of a team live it in their
own windows (each an own-documents user):

1. The manager makes rep_two a follower of rep_one's customer («دنبال کننده جدید اضافه نمود»).
2. rep_one opens the customer's page and, on «پیام‌ها و یادداشت‌ها», writes a note with a file
   («یادداشت ... فقط برای مخاطب و دنبال کنندگانش ... هر نوع فایلی را هم به یادداشت ضمیمه نمود»).
3. rep_two's window shows it is new: the badge «پیام‌های تازه: ۱» and the cardboard's «پیام‌های تازه»;
   opening it from the cardboard shows the note and its file, and clears the badge.
4. rep_two answers with a message («ارسال پیام ... برای تمام کاربران سیستم»); rep_one, who follows the
   customer since writing the note, sees the badge; both appear in the customer's «سوابق».
5. The manager, who does not follow the customer, reads the message but not the note; rep_three, who
   may not see the customer, reads neither.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

import app.ui.identities.identity_form  # noqa: F401  (registers the form)
from app.services.core.errors import AccessDenied
from app.ui.activities.messages_widget import TAB_TITLE
from app.ui.main_window import MainWindow
from app.ui.qt_setup import configure_application
from tests.ui.persian_typing import type_text


@pytest.fixture
def window_of(qtbot, sales, tmp_path):
    configure_application(QApplication.instance())

    def make(actor) -> MainWindow:
        win = MainWindow(QSettings(str(tmp_path / f"{actor.login}.ini"), QSettings.Format.IniFormat))
        qtbot.addWidget(win)
        win.show()
        qtbot.waitExposed(win)
        win.attach(sales.services, actor)
        return win

    return make


def _messages_tab(form):
    tab = next(form.tabs.widget(i) for i in range(form.tabs.count()) if form.tabs.tabText(i) == TAB_TITLE)
    form.tabs.setCurrentWidget(tab)
    return tab


def _listed(tab) -> list[tuple[str, str, str]]:
    tree = tab.tree
    return [(tree.topLevelItem(i).text(3), tree.topLevelItem(i).text(0), tree.topLevelItem(i).text(1))
            for i in range(tree.topLevelItemCount())]  # fmt: skip


def test_a_note_for_the_followers_and_a_message_for_everyone(qtbot, sales, window_of, tmp_path) -> None:
    services, customer = sales.services, sales.customer
    # 1. The manager adds rep_two as a follower.
    services.followers.follow(sales.admin, "identities", customer, sales.mate.user_id)
    mine, theirs = window_of(sales.rep), window_of(sales.mate)
    assert not theirs.messages_badge.isVisible()

    # 2. rep_one writes a note with a file on the customer's page.
    page = _messages_tab(mine.tabs.open_record("identity", customer))
    price_list = tmp_path / "قیمت‌ها.txt"
    price_list.write_bytes("پرینتر: ۱۸۵ میلیون".encode())
    type_text(page.text, "مشتری تخفیف ۵٪ خواست")
    page.set_files([price_list])
    qtbot.mouseClick(page.send_button, Qt.MouseButton.LeftButton)
    assert _listed(page) == [("مشتری تخفیف ۵٪ خواست", "یادداشت", sales.rep.display_name)]

    # 3. rep_two's window says so; the cardboard opens it, and reading clears the badge.
    qtbot.waitUntil(lambda: theirs.messages_badge.count == 1)
    assert theirs.messages_badge.text() == "✉ پیام‌های تازه: ۱"
    qtbot.mouseClick(theirs.messages_badge, Qt.MouseButton.LeftButton)
    assert theirs.cardboard_dock.isVisible()
    theirs.cardboard_panel.refresh()
    (new,) = theirs.cardboard_panel.items_of("new_messages")
    assert (new.text(0), new.text(1)) == ("یادداشت: مشتری تخفیف ۵٪ خواست", "شرکت آلفا")
    theirs.cardboard_panel.open_item(new)
    read = _messages_tab(theirs.tabs.currentWidget())
    assert _listed(read) == [("مشتری تخفیف ۵٪ خواست", "یادداشت", sales.rep.display_name)]
    assert read.tree.topLevelItem(0).child(0).text(3) == "قیمت‌ها.txt"
    qtbot.waitUntil(lambda: theirs.messages_badge.count == 0)
    assert not theirs.messages_badge.isVisible()

    # 4. rep_two answers with a message; rep_one hears of it; both are in the customer's «سوابق».
    type_text(read.text, "با ۳٪ موافقت شد")
    read.message_choice.click()
    qtbot.mouseClick(read.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: mine.messages_badge.count == 1)
    form = mine.tabs.currentWidget()
    form.tabs.setCurrentWidget(form.timeline)
    form.timeline.refresh()
    table = form.timeline.table
    rows = {(table.item(r, 1).text(), table.item(r, 2).text()) for r in range(table.rowCount())}
    assert {("یادداشت", "مشتری تخفیف ۵٪ خواست"), ("پیام", "با ۳٪ موافقت شد")} <= rows

    # 5. The manager reads the message only; rep_three reads nothing of a customer they may not see.
    bodies = [m.body for m in services.messages.for_record(sales.admin, "identities", customer)]
    assert bodies == ["با ۳٪ موافقت شد"]
    with pytest.raises(AccessDenied):
        services.messages.for_record(sales.other, "identities", customer)

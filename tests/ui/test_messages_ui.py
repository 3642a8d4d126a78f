"""The «پیام‌ها و یادداشت‌ها» tab of the identity and opportunity forms, the main window's badge of new
messages and the cardboard's «پیام‌های تازه», as users meet them (clicks on the real widgets)."""

from __future__ import annotations

import pytest
import shiboken6
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QMessageBox

import app.ui.identities.identity_form  # noqa: F401  (registers the forms)
import app.ui.opportunities.opportunity_form  # noqa: F401
from app.models.message import NOTE
from app.persian import to_persian_digits
from app.ui import format as fmt
from app.ui.activities.messages_widget import TAB_TITLE, MessagesWidget
from app.ui.main_window import MainWindow
from app.ui.qt_setup import configure_application
from tests.ui.deleted_meanwhile import delete_during
from tests.ui.persian_typing import type_text


def _messages_tab(form):
    tab = next(form.tabs.widget(i) for i in range(form.tabs.count()) if form.tabs.tabText(i) == TAB_TITLE)
    form.tabs.setCurrentWidget(tab)
    return tab


def _rows(tab) -> list[list[str]]:
    """[text, kind, author, time] of each row, top to bottom."""
    tree = tab.tree
    return [[tree.topLevelItem(i).text(c) for c in (3, 0, 1, 2)] for i in range(tree.topLevelItemCount())]


def test_writing_a_message_with_a_file_and_a_note_on_an_identity(qtbot, tabs, sales, tmp_path, monkeypatch) -> None:
    form = tabs.open_record("identity", sales.customer)
    tab = _messages_tab(form)
    offer = tmp_path / "پیشنهاد.txt"
    offer.write_bytes(b"offer")
    type_text(tab.text, "قرارداد امضا شد")
    tab.message_choice.click()
    tab.set_files([offer])
    assert tab.files_label.text() == "پیشنهاد.txt"
    qtbot.mouseClick(tab.send_button, Qt.MouseButton.LeftButton)
    type_text(tab.text, "مدیرعامل فقط صبح‌ها پاسخ می‌دهد")
    tab.note_choice.click()
    qtbot.mouseClick(tab.send_button, Qt.MouseButton.LeftButton)

    rows = _rows(tab)  # newest first, with kind, author and Jalali time
    assert [r[:3] for r in rows] == [
        ["مدیرعامل فقط صبح‌ها پاسخ می‌دهد", "یادداشت", sales.rep.display_name],
        ["قرارداد امضا شد", "پیام", sales.rep.display_name],
    ]
    written = sales.services.messages.for_record(sales.rep, "identities", sales.customer)
    assert rows[0][3] == fmt.datetime(written[0].created_at) and rows[0][3].startswith(to_persian_digits("14"))
    assert tab.text.toPlainText() == "" and tab.files_label.text() == ""
    file_item = tab.tree.topLevelItem(1).child(0)
    assert (file_item.text(0), file_item.text(3)) == ("پیوست", "پیشنهاد.txt")
    monkeypatch.setattr("app.ui.activities.messages_widget.QDesktopServices.openUrl", lambda _url: True)
    assert tab.open_file(file_item.data(0, Qt.ItemDataRole.UserRole + 1)).read_bytes() == b"offer"


def test_an_empty_text_is_refused_in_persian_and_only_the_author_edits(qtbot, tabs, sales, monkeypatch) -> None:
    sales.services.messages.post(sales.admin, "message", "identities", sales.customer, "پیام مدیر")
    form = tabs.open_record("identity", sales.customer)
    tab = _messages_tab(form)
    shown = []
    monkeypatch.setattr("app.ui.activities.messages_widget.show_error", lambda _w, text: shown.append(text))
    qtbot.mouseClick(tab.send_button, Qt.MouseButton.LeftButton)
    assert shown == ["متن پیام خالی است."]
    tab.tree.setCurrentItem(tab.tree.topLevelItem(0))
    assert not tab.edit_button.isEnabled() and not tab.remove_button.isEnabled()  # the admin's message

    type_text(tab.text, "جلسه شنبه است")
    qtbot.mouseClick(tab.send_button, Qt.MouseButton.LeftButton)
    tab.tree.setCurrentItem(tab.tree.topLevelItem(0))
    assert tab.edit_button.isEnabled()
    monkeypatch.setattr(
        "app.ui.activities.messages_widget.QInputDialog.getMultiLineText", lambda *a, **k: ("جلسه یکشنبه است", True)
    )
    qtbot.mouseClick(tab.edit_button, Qt.MouseButton.LeftButton)
    assert _rows(tab)[0][0] == "جلسه یکشنبه است" and _rows(tab)[0][3].endswith("(ویرایش‌شده)")
    tab.tree.setCurrentItem(tab.tree.topLevelItem(0))
    monkeypatch.setattr(
        "app.ui.activities.messages_widget.QMessageBox.question", lambda *a, **k: QMessageBox.StandardButton.Yes
    )
    qtbot.mouseClick(tab.remove_button, Qt.MouseButton.LeftButton)
    assert [r[0] for r in _rows(tab)] == ["پیام مدیر"]


def test_an_opportunity_form_has_its_own_messages(qtbot, tabs, sales) -> None:
    opportunity = sales.new(title="فروش پرینتر")
    form = tabs.open_record("opportunity", opportunity)
    tab = _messages_tab(form)
    type_text(tab.text, "رقیب قیمت پایین‌تری داده")
    qtbot.mouseClick(tab.send_button, Qt.MouseButton.LeftButton)
    assert [r[:2] for r in _rows(tab)] == [["رقیب قیمت پایین‌تری داده", "یادداشت"]]
    assert sales.services.messages.for_record(sales.rep, "identities", sales.customer) == []


@pytest.fixture
def follower_window(qtbot, sales, tmp_path) -> MainWindow:
    """The main window of rep_two, who follows rep_one's customer."""
    sales.services.followers.follow(sales.admin, "identities", sales.customer, sales.mate.user_id)
    configure_application(QApplication.instance())
    win = MainWindow(QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.attach(sales.services, sales.mate)
    return win


def test_new_messages_show_as_a_badge_and_in_the_cardboard_until_the_record_opens(qtbot, sales, follower_window):
    window = follower_window
    assert not window.messages_badge.isVisible()
    sales.services.messages.post(sales.rep, NOTE, "identities", sales.customer, "مشتری تخفیف خواست")
    window.messages_badge.refresh()
    qtbot.waitUntil(lambda: window.messages_badge.count == 1)
    assert window.messages_badge.isVisible() and window.messages_badge.text() == "✉ پیام‌های تازه: ۱"
    window.cardboard_panel.refresh()
    (item,) = window.cardboard_panel.items_of("new_messages")
    assert (item.text(0), item.text(1)) == ("یادداشت: مشتری تخفیف خواست", "شرکت آلفا")

    window.cardboard_panel.open_item(item)  # opening the record marks it read
    qtbot.waitUntil(lambda: window.messages_badge.count == 0)
    assert not window.messages_badge.isVisible()
    qtbot.waitUntil(lambda: window.cardboard_panel.items_of("new_messages") == [])


def test_an_issued_invoice_takes_notes_beside_its_lines(qtbot, services) -> None:
    """Writing on a document never touches the document itself (an issued invoice stays as issued)."""
    import app.ui.documents.invoice_form  # noqa: F401  (registers the form)
    from app.ui.record_tabs import RecordTabs
    from tests.services.doc_helpers import issued_invoice, office

    o = office(services)
    invoice = issued_invoice(o)
    configure_application(QApplication.instance())
    record_tabs = RecordTabs()
    qtbot.addWidget(record_tabs)
    record_tabs.attach(services, o.rep)
    record_tabs.show()
    form = record_tabs.open_record("invoice", invoice.id)
    assert [form.sections.tabText(i) for i in range(form.sections.count())] == ["اقلام", TAB_TITLE]
    form.sections.setCurrentWidget(form.messages)
    type_text(form.messages.text, "مشتری نسخه کاغذی خواست")
    qtbot.mouseClick(form.messages.send_button, Qt.MouseButton.LeftButton)
    assert [r[:2] for r in _rows(form.messages)] == [["مشتری نسخه کاغذی خواست", "یادداشت"]]
    assert services.followers.is_following(o.rep, "invoices", invoice.id)
    assert services.invoices.get(o.rep, invoice.id).version == invoice.version


def test_a_tab_deleted_while_it_marks_messages_read_is_left_alone(qapp, sales, monkeypatch) -> None:
    """Marking read waits in an event loop, which lets a closing form go (this tab with it): nothing more
    reaches the deleted tab (it raised «already deleted»)."""
    tab = MessagesWidget(sales.services, sales.rep)  # not qtbot's: it would close the deleted tab
    tab.show()
    delete_during(monkeypatch, tab, sales.services.message_reads, "mark_read")
    tab.set_record("identities", sales.customer)
    assert not shiboken6.isValid(tab)


def test_a_tab_deleted_while_its_messages_load_is_left_alone(qapp, sales, monkeypatch) -> None:
    tab = MessagesWidget(sales.services, sales.rep)
    tab.show()
    tab.set_record("identities", sales.customer)
    delete_during(monkeypatch, tab, sales.services.messages, "for_record")
    tab.refresh()
    assert not shiboken6.isValid(tab)

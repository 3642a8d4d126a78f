"""What the window remembers across a restart (open record tabs, floating docks), and what it says
about a record the user may not open."""

from __future__ import annotations

import importlib
import uuid

import pytest
from PySide6.QtCore import QEvent, QPoint, QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractButton, QApplication, QMessageBox
from sqlalchemy import select

from app.models.enums import AccessLevel
from app.models.identity import Identity
from app.models.opportunity import Opportunity
from app.services.admin.users import UserData
from app.services.core.actor import Actor
from app.services.identities.records import IdentityData
from app.ui.common.record_form import RecordForm
from app.ui.main_window import MainWindow
from app.ui.qt_setup import configure_application
from app.ui.record_tabs import OTHERS_RECORD, RecordTabs, RefusedRecord


@pytest.fixture
def settings(tmp_path) -> QSettings:
    return QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def start(qtbot, demo_services, demo_admin, settings):
    """Starts the window as the program does: shown, then attached to the data."""

    def started() -> MainWindow:
        configure_application(QApplication.instance())
        window = MainWindow(settings)
        qtbot.addWidget(window)
        window.show()
        window.attach(demo_services, demo_admin)
        return window

    return started


def _first_ids(services, actor, model, count: int) -> list[uuid.UUID]:
    with services.db.read(actor) as session:
        return list(session.scalars(select(model.id).limit(count)))


def test_open_record_tabs_come_back_after_a_restart(start, demo_services, demo_admin, monkeypatch) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.Discard)
    window = start()
    people = _first_ids(demo_services, demo_admin, Identity, 2)
    (deal,) = _first_ids(demo_services, demo_admin, Opportunity, 1)
    opened = (("identity", people[0]), ("opportunity", deal), ("calendar", "me"), ("identity", people[1]))
    for kind, record_id in opened:
        window.tabs.open_record(kind, record_id)
    window.tabs.open_record("identity", None)  # a new, empty record is not remembered
    keys = window.tabs.open_keys()
    window.close()

    again = start()
    assert again.tabs.open_keys() == keys
    assert keys == [f"identity:{people[0]}", f"opportunity:{deal}", "calendar:me", f"identity:{people[1]}"]
    assert again.tabs.widget(1).title() == demo_services.identities.get(demo_admin, people[0]).display_name


def test_a_remembered_record_that_is_gone_is_skipped(start, demo_services, demo_admin, settings) -> None:
    (person,) = _first_ids(demo_services, demo_admin, Identity, 1)
    remembered = [f"identity:{uuid.uuid4()}", f"identity:{person}", "nothing:1"]
    settings.setValue(f"main/tabs/{demo_admin.user_id}", remembered)
    window = start()
    assert window.tabs.open_keys() == [f"identity:{person}"]
    assert window.tabs.count() == 2  # the welcome page and the one reachable record, no refusal tabs


def test_a_floating_dock_off_every_screen_comes_back_on_screen(start) -> None:
    window = start()
    window.opportunity_dock.setFloating(True)
    window.opportunity_dock.move(QPoint(20_000, 20_000))  # where a since-unplugged monitor was
    window.close()

    again = start()
    screen = QGuiApplication.primaryScreen().availableGeometry()
    assert again.opportunity_dock.isFloating() and again.opportunity_dock.isVisible()
    assert screen.intersects(again.opportunity_dock.frameGeometry())


def test_a_restored_floating_dock_is_a_tool_window_of_the_main_window(qtbot, start) -> None:
    """What keeps a floating dock above the main window (Windows, X11 window managers): it comes back
    as a Qt.Tool window whose transient parent is the main window, not as a window of its own."""
    window = start()
    window.identity_dock.setFloating(True)
    window.close()

    again = start()
    dock = again.identity_dock
    qtbot.waitUntil(lambda: dock.windowHandle() is not None)
    assert dock.isFloating() and dock.isVisible() and dock.parent() is again
    assert dock.windowFlags() & Qt.WindowType.Tool == Qt.WindowType.Tool
    assert dock.windowHandle().transientParent() is again.windowHandle()


def test_a_colleagues_record_says_so_instead_of_a_grey_form(qtbot, services, admin) -> None:
    theirs = services.identities.create(admin, IdentityData(last_name="کریمی"))
    rep_row = services.users.create_user(admin, UserData("rep1", "مریم احمدی"), "Abi-Darya-5150")
    rep = Actor(rep_row.id, rep_row.login, rep_row.display_name, AccessLevel.OWN_DOCUMENTS)
    importlib.import_module("app.ui.identities.identity_form")  # registers the form, as attach() does
    tabs = RecordTabs()
    qtbot.addWidget(tabs)
    tabs.attach(services, rep)
    with qtbot.assertNotEmitted(tabs.sig_record_opened):
        page = tabs.open_record("identity", theirs.id)
    assert isinstance(page, RefusedRecord) and tabs.currentWidget() is page
    assert page.message.text() == OTHERS_RECORD and tabs.tabText(tabs.currentIndex()) == "بدون دسترسی"
    assert page.findChildren(QAbstractButton) == []
    assert tabs.open_keys() == []
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert tabs.findChildren(RecordForm) == [page]  # the half-built identity form was thrown away

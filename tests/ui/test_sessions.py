"""«خروج از حساب» and «تعویض کاربر»: the login dialog again, nothing unsaved lost without asking."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import shiboken6
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import select

from app.models.enums import AccessLevel
from app.models.identity import Identity
from app.services.admin.users import UserData
from app.services.core.actor import Actor
from app.ui import app as gui
from app.ui.main_window import MainWindow
from app.ui.qt_setup import configure_application


@pytest.fixture
def window(qtbot, demo_services, demo_admin, tmp_path) -> Iterator[MainWindow]:
    configure_application(QApplication.instance())
    win = MainWindow(QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    win.show()
    win.attach(demo_services, demo_admin)
    gui.follow_sessions(win, demo_services)
    yield win
    if shiboken6.isValid(win):  # a switch of user closes and deletes the old window itself
        win.hide()  # put away without asking about a record a test left unsaved
        win.deleteLater()


@pytest.fixture
def logins(monkeypatch) -> list:
    """Who logs in at each login dialog (None: the dialog is cancelled); the dialogs shown are counted."""
    answers: list = []

    def sign_in(_services, _parent):
        answers.append("shown")
        return answers.pop(0) if answers[0] != "shown" else None

    monkeypatch.setattr(gui, "sign_in", sign_in)
    return answers


def _person(services, actor):
    with services.db.read(actor) as session:
        return session.scalar(select(Identity.id).limit(1))


def _new_windows(window) -> list[MainWindow]:
    shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
    return [w for w in shown if w is not window]


def test_the_file_menu_offers_log_out_and_switch_user(window) -> None:
    items = [action.text() for action in window.menuBar().actions()[0].menu().actions()]
    assert "تعویض کاربر…" in items and "خروج از حساب" in items
    assert window.log_out_action.isEnabled() and window.switch_user_action.isEnabled()


def test_an_unsaved_record_kept_open_keeps_the_session(qtbot, window, logins, monkeypatch) -> None:
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a: asked.append(a[2]) or QMessageBox.StandardButton.Cancel)
    form = window.tabs.open_record("identity", None)
    assert form.is_dirty()
    window.log_out_action.trigger()
    assert len(asked) == 1 and logins == []  # asked about the record; no login dialog
    assert window.isVisible() and window.tabs.indexOf(form) >= 0


def test_switching_user_opens_a_window_for_the_new_user(qtbot, window, demo_services, demo_admin, logins) -> None:
    rep_row = demo_services.users.create_user(demo_admin, UserData("rep9", "مریم تستی"), "Abi-Darya-5150")
    rep = Actor(rep_row.id, rep_row.login, rep_row.display_name, AccessLevel.OWN_DOCUMENTS)
    person = _person(demo_services, demo_admin)
    window.tabs.open_record("identity", person)
    logins.append(rep)
    window.switch_user_action.trigger()
    assert logins == ["shown"]
    (fresh,) = _new_windows(window)
    qtbot.addWidget(fresh)
    assert fresh.user_label.text() == "کاربر: مریم تستی" and not window.isVisible()
    assert fresh.tabs.open_keys() == []  # the administrator's records are theirs, not the rep's
    assert window.settings.value(f"main/tabs/{demo_admin.user_id}", type=list) == [f"identity:{person}"]


def test_switching_cancelled_at_the_login_returns_to_the_same_user(window, demo_services, demo_admin, logins) -> None:
    person = _person(demo_services, demo_admin)
    window.tabs.open_record("identity", person)
    window.switch_user_action.trigger()  # the login dialog is cancelled
    assert logins == ["shown"] and window.isVisible() and _new_windows(window) == []
    assert window.tabs.open_keys() == [f"identity:{person}"]


def test_logging_out_and_cancelling_the_login_closes_the_program(window, logins) -> None:
    window.log_out_action.trigger()
    assert logins == ["shown"] and not window.isVisible()

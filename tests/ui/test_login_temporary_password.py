"""A temporary password (`server import-sqlite`, `users set-password --temporary`): the login dialog
asks for a new one, twice, before the user works; on a server the role and the saved connection
follow."""

from __future__ import annotations

import io
import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.cli import main
from app.services.admin import passwords
from app.services.admin.users import PasswordChangeRequired, UserData
from app.services.core.database import Database
from app.services.core.registry import Services
from app.services.server import connection as server_connection
from app.ui.admin.login_dialog import LoginDialog
from app.ui.qt_setup import configure_application
from tests.conftest import require_pg_server, sqlite_url
from tests.server.role_office import office_on
from tests.services.test_server_connection import vault  # noqa: F401  (fixture)
from tests.ui.persian_typing import type_text

pytestmark = pytest.mark.usefixtures("quick_hashes")

TEMPORARY = "Zard-Kooh-7319"
NEW = "گذرواژه‌ی-تازه-مریم"


def _open_dialog(qtbot, users) -> LoginDialog:
    configure_application(QApplication.instance())
    dialog = LoginDialog(users, "شرکت بازرگانی پیوند")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _log_in_with_temporary(qtbot, dialog: LoginDialog, login: str) -> None:
    type_text(dialog.login, login)
    type_text(dialog.password, TEMPORARY)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.actor is None
    assert "موقت" in dialog.message.text() and dialog.new_password.isVisible() and dialog.repeat_password.isVisible()
    assert dialog.login.isReadOnly() and dialog.focusWidget() is dialog.new_password


def test_a_temporary_password_is_replaced_before_the_user_works(qtbot, services, admin) -> None:
    boss = services.users.set_up_admin(admin, "boss", "مدیر فروش", "Sabz-Dasht-4826")
    rep = services.users.create_user(boss, UserData("maryam", "مریم احمدی"), "Abi-Darya-5150")
    services.users.reset_password(boss, rep.id, TEMPORARY, temporary=True)
    dialog = _open_dialog(qtbot, services.users)
    assert not dialog.new_password.isVisible()
    _log_in_with_temporary(qtbot, dialog, "maryam")

    type_text(dialog.new_password, NEW)
    type_text(dialog.repeat_password, NEW + "x")
    qtbot.keyClick(dialog.repeat_password, Qt.Key.Key_Return)
    assert dialog.message.text() == "گذرواژه تازه و تکرار آن یکسان نیستند." and dialog.actor is None
    dialog.new_password.clear()
    type_text(dialog.new_password, TEMPORARY)
    type_text(dialog.repeat_password, TEMPORARY)
    qtbot.keyClick(dialog.repeat_password, Qt.Key.Key_Return)
    assert "فرق" in dialog.message.text() and dialog.actor is None  # the temporary one again is refused

    dialog.new_password.clear()
    dialog.repeat_password.clear()
    type_text(dialog.new_password, NEW)
    type_text(dialog.repeat_password, NEW)
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        qtbot.keyClick(dialog.repeat_password, Qt.Key.Key_Return)
    assert dialog.actor is not None and dialog.actor.login == "maryam"
    assert services.users.authenticate("maryam", NEW).login == "maryam"  # asked no more
    with pytest.raises(passwords.LoginRefused) as old:
        services.users.authenticate("maryam", TEMPORARY)
    assert old.value.message == passwords.WRONG_CREDENTIALS


def test_users_set_password_temporary_makes_the_next_login_ask(tmp_path, monkeypatch, capsys) -> None:
    url = sqlite_url(tmp_path / "office.db")
    monkeypatch.setattr(sys, "stdin", io.StringIO("Abi-Darya-5150\n"))
    assert main(["users", "add", "reza", "--name", "رضا", "--db", url]) == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO(TEMPORARY + "\n"))
    assert main(["users", "set-password", "reza", "--temporary", "--db", url]) == 0
    assert "اولین ورود" in capsys.readouterr().out
    db = Database(url)
    with pytest.raises(PasswordChangeRequired):
        Services(db).users.authenticate("reza", TEMPORARY)
    db.dispose()


def test_on_a_server_the_role_and_the_saved_connection_follow(qtbot, vault, isolated_home) -> None:  # noqa: F811
    with office_on(require_pg_server()) as office:
        login = office.login("maryam")
        rep = office.owner.users.create_user(office.boss, UserData(login, "مریم احمدی"), "Abi-Darya-5150")
        office.owner.users.reset_password(office.boss, rep.id, TEMPORARY, temporary=True)
        role_before = office.role(login)["password"]
        settings = server_connection.ServerSettings(host="127.0.0.1", database="office", user=f"pv_{login}")
        server_connection.save(settings, TEMPORARY)
        own = Services(Database(office.url_as(login, TEMPORARY)))  # the rep's own role, as on their computer
        try:
            dialog = _open_dialog(qtbot, own.users)
            _log_in_with_temporary(qtbot, dialog, login)
            type_text(dialog.new_password, NEW)
            type_text(dialog.repeat_password, NEW)
            with qtbot.waitSignal(dialog.accepted, timeout=5000):
                qtbot.keyClick(dialog.repeat_password, Qt.Key.Key_Return)
        finally:
            own.db.dispose()
        assert office.role(login)["password"] != role_before  # the role's own verifier changed
        assert vault.get_password(server_connection.KEYRING_SERVICE, settings.keyring_user) == NEW
        assert office.owner.users.authenticate(login, NEW).login == login  # the flag is cleared

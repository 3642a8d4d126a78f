"""«ابزار ← کاربران» on an office server: the note that each user is also a server login, and a
user created from the dialog (connected as the administrator's own role) gets their role."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from app.services.admin.teams import TeamService
from app.ui.admin import users_dialog
from app.ui.admin.users_dialog import UsersDialog
from app.ui.qt_setup import configure_application
from tests.conftest import TEST_OUTPUT, require_pg_server
from tests.server.role_office import office_on
from tests.ui.persian_typing import type_text

pytestmark = pytest.mark.usefixtures("quick_hashes")


@pytest.fixture
def office():
    configure_application(QApplication.instance())
    with office_on(require_pg_server()) as made:
        yield made


def _type(form, field: str, text: str) -> None:
    form.rows[field].editor.clear()
    type_text(form.rows[field].editor, text)


def test_a_user_made_in_the_dialog_is_a_server_login(qtbot, office, monkeypatch) -> None:
    dialog = UsersDialog(office.as_boss.users, TeamService(office.as_boss.db), office.boss)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.server_note.isVisible() and "pv_" in dialog.server_note.text()
    dialog.grab().save(str(TEST_OUTPUT / "users_dialog_server.png"))

    rep, too_long = office.login("maryam"), office.login("m" * 45)
    seen = {}

    def fill_and_save(user_dialog) -> int:
        """Stands in for the modal loop: types like a user, first a login too long for the server."""
        form = user_dialog.form
        _type(form, "login", too_long)
        _type(form, "display_name", "مریم احمدی")
        _type(form, "password", "گذرواژه‌ی مریم")
        _type(form, "password_repeat", "گذرواژه‌ی مریم")
        user_dialog.accept()
        seen["error"] = form.rows["login"].error.text()
        seen["kept"] = form.text("display_name")
        _type(form, "login", rep)
        user_dialog.accept()
        return user_dialog.result()

    monkeypatch.setattr(users_dialog.UserDialog, "exec", fill_and_save)
    dialog.new_user()
    assert seen == {"error": "نام کاربری روی سرور حداکثر ۴۸ نویسه است.", "kept": "مریم احمدی"}
    assert dialog.message.text() == f"کاربر «{rep}» ساخته شد."
    role = office.role(rep)
    assert role["can_login"] and role["user"] and not role["admin"]

    dialog.table.setCurrentCell([dialog.table.item(r, 0).text() for r in range(2)].index(rep), 0)
    dialog.toggle_active()
    assert office.role(rep)["can_login"] is False


@pytest.mark.sqlite_only  # the local database is a server in the PostgreSQL pass
def test_no_server_note_on_the_local_database(qtbot, services, admin, db) -> None:
    configure_application(QApplication.instance())
    dialog = UsersDialog(services.users, TeamService(db), admin)
    qtbot.addWidget(dialog)
    assert not hasattr(dialog, "server_note")

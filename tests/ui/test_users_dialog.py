"""«ابزار ← کاربران»: creating a user after a refusal, passwords, deactivation and sales teams."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.models.enums import AccessLevel
from app.persian import MoneyUnit
from app.services.admin.teams import TeamData, TeamService
from app.services.admin.users import UserData
from app.ui.admin.teams_dialog import TeamDialog
from app.ui.admin.users_dialog import PasswordDialog, UserDialog, UsersDialog
from app.ui.qt_setup import configure_application
from tests.ui.persian_typing import type_text

pytestmark = pytest.mark.usefixtures("quick_hashes")


@pytest.fixture
def boss(services, admin):
    configure_application(QApplication.instance())
    return services.users.set_up_admin(admin, "boss", "مدیر فروش", "kelid-e-modir")


@pytest.fixture
def teams(db) -> TeamService:
    return TeamService(db)


def _type(form, field: str, text: str) -> None:
    form.rows[field].editor.clear()
    type_text(form.rows[field].editor, text)


def test_create_user_shows_errors_by_the_field_then_saves(qtbot, services, teams, boss) -> None:
    north = teams.create_team(boss, TeamData("تیم شمال"))
    dialog = UserDialog(services.users, boss, teams.list_teams(boss))
    qtbot.addWidget(dialog)
    form = dialog.form
    assert dialog.level.value() is AccessLevel.OWN_DOCUMENTS  # least access by default
    _type(form, "login", "boss")  # taken
    _type(form, "display_name", "مریم احمدی")
    _type(form, "password", "کوتاه")
    _type(form, "password_repeat", "کوتاه")
    dialog.accept()
    assert dialog.result() == 0 and dialog.saved is None
    assert form.rows["login"].error.text() == "این نام کاربری قبلاً ثبت شده است."
    assert form.rows["password"].error.text() == "گذرواژه باید دست‌کم ۸ نویسه باشد."
    assert form.rows["display_name"].error.isHidden()
    assert form.text("display_name") == "مریم احمدی" and form.text("password") == "کوتاه"  # nothing lost

    _type(form, "login", "maryam")
    _type(form, "password", "گذرواژه‌ی مریم")
    dialog.accept()
    assert form.rows["password_repeat"].error.text() == "تکرار گذرواژه با خود گذرواژه یکی نیست."
    assert form.rows["login"].error.isHidden()

    _type(form, "password_repeat", "گذرواژه‌ی مریم")
    dialog.level.set_value(AccessLevel.ALL_DOCUMENTS)
    dialog.team.set_value(north.id)
    dialog.accept()
    assert dialog.result() == 1
    assert (dialog.saved.login, dialog.saved.access_level, dialog.saved.team_name) == (
        "maryam",
        AccessLevel.ALL_DOCUMENTS,
        "تیم شمال",
    )
    assert services.users.authenticate("maryam", "گذرواژه‌ی مریم").display_name == "مریم احمدی"

    users = UsersDialog(services.users, teams, boss)
    qtbot.addWidget(users)
    cells = {users.table.item(r, 0).text(): users.table.item(r, 2).text() for r in range(users.table.rowCount())}
    assert cells == {"boss": "مدیر", "maryam": "همه اسناد"}


def test_deactivating_and_passwords_from_the_list(qtbot, services, teams, boss) -> None:
    dialog = UsersDialog(services.users, teams, boss)
    qtbot.addWidget(dialog)
    assert not dialog.edit_button.isEnabled()  # nothing selected yet
    dialog.table.setCurrentCell(0, 0)  # as a click would (selectRow() fails right to left)
    dialog.toggle_active()  # oneself: refused, said in the dialog
    assert dialog.message.text() == "نمی‌توانید حساب خودتان را غیرفعال کنید."

    edit = UserDialog(services.users, boss, [], dialog.selected())
    qtbot.addWidget(edit)
    assert "password" not in edit.form.rows  # passwords are set apart
    edit.level.set_value(AccessLevel.OWN_DOCUMENTS)
    edit.accept()
    assert edit.result() == 0 and "سطح دسترسی خودتان" in edit.form.rows["access_level"].error.text()

    reset = PasswordDialog(services.users, boss, dialog.selected())
    qtbot.addWidget(reset)
    _type(reset.form, "password", "گذرواژه‌ی تازه")
    _type(reset.form, "password_repeat", "گذرواژه‌ی تازه")
    reset.accept()
    assert reset.result() == 1
    assert services.users.authenticate("boss", "گذرواژه‌ی تازه").user_id == boss.user_id


def test_team_form_reads_persian_amounts_and_members(qtbot, services, teams, boss) -> None:
    maryam = services.users.create_user(boss, UserData("maryam", "مریم احمدی"), "password-1")
    users = services.users.list_users(boss)
    dialog = TeamDialog(teams, boss, users, MoneyUnit.RIAL)
    qtbot.addWidget(dialog)
    type_text(dialog.target, "۵۰۰٬۰۰۰٬۰۰۰")
    assert dialog.target_words.text() == "پانصد میلیون ریال"
    dialog.accept()
    assert dialog.result() == 0 and dialog.form.rows["name"].error.text() == "نام تیم را وارد کنید."

    type_text(dialog.form.rows["name"].editor, "تیم شمال")
    dialog.leader.set_value(maryam.id)
    for i in range(dialog.members.count()):
        item = dialog.members.item(i)
        if "maryam" in item.text():
            item.setCheckState(Qt.CheckState.Checked)
    dialog.accept()
    assert dialog.result() == 1
    saved = teams.list_teams(boss)[0]
    assert (saved.name, saved.leader_name, saved.member_ids, saved.monthly_target) == (
        "تیم شمال",
        "مریم احمدی",
        (maryam.id,),
        500_000_000,
    )


def test_a_user_is_put_in_several_teams_from_the_user_dialog(qtbot, services, teams, boss) -> None:
    north, south = teams.create_team(boss, TeamData("تیم شمال")), teams.create_team(boss, TeamData("تیم جنوب"))
    maryam = services.users.create_user(boss, UserData("maryam", "مریم احمدی"), "password-1")
    dialog = UserDialog(services.users, boss, teams.list_teams(boss), maryam)
    qtbot.addWidget(dialog)
    dialog.team.set_value(north.id)
    checks = dialog.other_teams
    names = [checks.item(i).text() for i in range(checks.count())]
    checks.item(names.index("تیم جنوب")).setCheckState(Qt.CheckState.Checked)
    dialog.accept()
    assert dialog.result() == 1
    assert (dialog.saved.team_id, dialog.saved.other_team_ids) == (north.id, (south.id,))
    listed = {t.id: t.member_ids for t in teams.list_teams(boss)}
    assert maryam.id in listed[north.id] and maryam.id in listed[south.id]
    users = UsersDialog(services.users, teams, boss)
    qtbot.addWidget(users)
    cells = {users.table.item(r, 0).text(): users.table.item(r, 3).text() for r in range(users.table.rowCount())}
    assert cells["maryam"] == "تیم شمال، تیم جنوب"
    again = UserDialog(services.users, boss, teams.list_teams(boss), services.users.get_by_login(boss, "maryam"))
    qtbot.addWidget(again)
    assert again.other_teams.values() == (south.id,)

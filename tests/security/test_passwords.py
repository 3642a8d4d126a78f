"""Weak passwords are refused for users (and so for their server roles), in Persian, by the field:
guessing through `psql -U pv_<login>` never meets the app's waiting time (issue 13)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from PySide6.QtWidgets import QApplication

from app.services.admin import passwords
from app.services.admin.users import UserData
from app.services.core.errors import ValidationFailed
from app.ui.admin.users_dialog import UserDialog
from app.ui.qt_setup import configure_application
from tests.conftest import sqlite_url
from tests.ui.persian_typing import type_text

COMMON = "این گذرواژه بسیار رایج و آسان‌یاب است؛ گذرواژه دیگری برگزینید."
HAS_LOGIN = "گذرواژه نباید نام کاربری را در خود داشته باشد."


@pytest.fixture
def boss(services, admin):
    return services.users.set_up_admin(admin, "boss", "مدیر", "kelid-e-modir")


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("qwerty123", COMMON),
        ("Password1", COMMON),  # any case
        ("۱۲۳۴۵۶۷۸۹", COMMON),  # Persian digits read as ASCII
        ("iloveyou", COMMON),
        ("aaaaaaaaaaaa", COMMON),  # one or two characters repeated
        ("maryam-2026", HAS_LOGIN),
        ("MyMARYAMpass", HAS_LOGIN),
        ("kotah-7", "گذرواژه باید دست‌کم ۸ نویسه باشد."),
    ],
)
def test_weak_passwords_are_named_beside_the_field(services, boss, password: str, message: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.users.create_user(boss, UserData("maryam", "مریم"), password)
    assert caught.value.errors == {"password": message}
    row = services.users.create_user(boss, UserData("maryam", "مریم"), "kelid-sabz-9")
    with pytest.raises(ValidationFailed) as caught:
        services.users.reset_password(boss, row.id, password)
    assert caught.value.errors == {"password": message}


def test_the_demo_reps_password_and_ordinary_ones_pass() -> None:
    assert passwords.weakness(passwords.DEMO_PASSWORD, "maryam") is None
    assert passwords.weakness("کلید-۱۴۰۵-سبز", "maryam") is None
    assert passwords.weakness("tir-o-kaman-9", "ali") is None


def test_the_first_run_admin_gets_the_same_rule(services, admin) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.users.set_up_admin(admin, "admin", "مدیر", "admin1405")
    assert caught.value.errors == {"password": HAS_LOGIN}
    assert services.users.needs_admin_setup()


def test_the_users_dialog_shows_it_by_the_password(qtbot, services, boss) -> None:
    configure_application(QApplication.instance())
    dialog = UserDialog(services.users, boss, [])
    qtbot.addWidget(dialog)
    for field, text in (
        ("login", "sara"),
        ("display_name", "سارا"),
        ("password", "qwerty123"),
        ("password_repeat", "qwerty123"),
    ):
        type_text(dialog.form.rows[field].editor, text)
    dialog.accept()
    assert dialog.result() == 0 and dialog.saved is None
    assert dialog.form.rows["password"].error.text() == COMMON


def test_the_users_command_refuses_a_common_password(tmp_path, isolated_home) -> None:
    url = sqlite_url(tmp_path / "users.db")
    added = subprocess.run(
        [sys.executable, "-m", "app", "users", "add", "sara", "--name", "سارا", "--db", url],
        input="12345678\n", capture_output=True, text=True, encoding="utf-8", timeout=120,
    )  # fmt: skip
    assert added.returncode != 0
    assert COMMON in added.stderr + added.stdout and "Traceback" not in added.stderr

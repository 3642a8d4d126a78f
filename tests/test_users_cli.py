"""`python -m app users ...` run as an administrator would, in a child process; passwords come on stdin."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest

from app.cli import main
from app.services.core.database import Database
from app.services.core.registry import Services
from tests.conftest import sqlite_url
from tests.test_cli import ROOT


def users(*args: str, home, stdin: str = "") -> subprocess.CompletedProcess:
    env = {**os.environ, "PEYVAND_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "app", "users", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def _authenticate(url: str, login: str, password: str):
    db = Database(url)
    try:
        return Services(db).users.authenticate(login, password)
    finally:
        db.dispose()


def test_add_list_set_password_deactivate(tmp_path, isolated_home) -> None:
    url = sqlite_url(tmp_path / "users.db")
    added = users(
        "add", "Maryam", "--name", "مریم احمدی", "--level", "all", "--db", url, home=isolated_home, stdin="first-pass\n"
    )
    assert added.returncode == 0, added.stderr
    assert "maryam" in added.stdout and "first-pass" not in added.stdout + added.stderr
    assert _authenticate(url, "maryam", "first-pass").display_name == "مریم احمدی"

    listed = users("list", "--json", "--db", url, home=isolated_home)
    assert listed.returncode == 0, listed.stderr
    rows = {row["login"]: row for row in json.loads(listed.stdout)}
    assert rows["maryam"] == {
        "login": "maryam",
        "display_name": "مریم احمدی",
        "access_level": "all",
        "team": None,
        "active": True,
        "has_password": True,
        "last_login_at": rows["maryam"]["last_login_at"],
    }
    assert rows["maryam"]["last_login_at"] is not None  # the login above

    assert users("set-password", "maryam", "--db", url, home=isolated_home, stdin="second-pass\n").returncode == 0
    assert _authenticate(url, "maryam", "second-pass").login == "maryam"

    deactivated = users("deactivate", "MARYAM", "--db", url, home=isolated_home)
    assert deactivated.returncode == 0, deactivated.stderr
    listed = users("list", "--db", url, home=isolated_home).stdout  # for people: Persian labels
    assert listed.split("\t") == ["maryam", "مریم احمدی", "همه اسناد", "—", "غیرفعال\n"]


def _main(*args: str, stdin: str = "", monkeypatch) -> int:
    """The same command in this process (quicker for the refusals); stdin is not a terminal."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    return main(["users", *args])


def test_refusals_are_persian_messages_with_an_exit_code(tmp_path, monkeypatch, capsys) -> None:
    db = ("--db", sqlite_url(tmp_path / "users.db"))
    assert _main("add", "reza", "--name", "رضا", *db, stdin="short\n", monkeypatch=monkeypatch) == 1
    assert "دست‌کم ۸ نویسه" in capsys.readouterr().err
    assert _main("add", "رضا", "--name", "رضا", *db, stdin="long-enough\n", monkeypatch=monkeypatch) == 1
    assert "حروف انگلیسی" in capsys.readouterr().err
    assert _main("add", "reza", "--name", "رضا", "--team", "تیم شمال", *db, monkeypatch=monkeypatch) == 1
    assert "تیم فروش «تیم شمال»" in capsys.readouterr().err
    assert _main("set-password", "nobody", *db, stdin="long-enough\n", monkeypatch=monkeypatch) == 1
    assert "پیدا نشد" in capsys.readouterr().err


def test_a_password_cannot_be_given_on_the_command_line(tmp_path, monkeypatch, capsys) -> None:
    db = ("--db", sqlite_url(tmp_path / "users.db"))
    for flag in ("--password", "--pass", "-p"):
        with pytest.raises(SystemExit) as refused:
            _main("add", "reza", "--name", "رضا", flag, "secret-pass", *db, monkeypatch=monkeypatch)
        assert refused.value.code == 2 and "خطا:" in capsys.readouterr().err  # argparse speaks Persian (issue 13)
    assert _main("list", "--json", *db, monkeypatch=monkeypatch) == 0
    assert json.loads(capsys.readouterr().out) == []
    with pytest.raises(SystemExit):
        _main("add", "--help", monkeypatch=monkeypatch)
    help_text = capsys.readouterr().out
    assert "--password" not in help_text and "--name" in help_text

"""`python -m app backup` and `restore`, run as an administrator would, in a child process."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from app.services.admin.backup import list_backups, verify_database
from tests.conftest import sqlite_url

pytestmark = pytest.mark.sqlite_only  # backups copy the SQLite file

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, home: Path, answer: str = "") -> subprocess.CompletedProcess:
    env = {**os.environ, "PEYVAND_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        cwd=ROOT,
        env=env,
        input=answer,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def names(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as conn:
        return [row[0] for row in conn.execute("SELECT display_name FROM identities ORDER BY id")]


def rename_everyone(path: Path) -> None:
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("UPDATE identities SET display_name = 'تغییر کرد'")
        conn.commit()


@pytest.fixture
def db_path(demo_db) -> Path:
    return demo_db.sqlite_path


def test_help_lists_backup_and_restore(isolated_home) -> None:
    result = run("--help", home=isolated_home)
    assert "backup" in result.stdout and "restore" in result.stdout


def test_backup_prints_the_verified_file(db_path, isolated_home, tmp_path) -> None:
    made = run("backup", "--db", sqlite_url(db_path), "--json", home=isolated_home)
    assert made.returncode == 0, made.stderr
    report = json.loads(made.stdout)
    copy = Path(report["path"])
    assert report["ok"] and report["kind"] == "manual"
    assert copy.parent == isolated_home / "data" / "backups"
    assert verify_database(copy, full=True) == [] and names(copy) == names(db_path)

    text = run("backup", "--db", sqlite_url(db_path), "--to", str(tmp_path / "usb"), home=isolated_home)
    assert text.returncode == 0, text.stderr
    summary, path_line = text.stdout.strip().splitlines()
    assert "ساخته و بررسی شد" in summary and "۱۴" in summary  # a Jalali year in Persian digits
    assert Path(path_line).parent == tmp_path / "usb" and Path(path_line).is_file()


def test_restore_asks_first_and_keeps_the_replaced_data(db_path, isolated_home) -> None:
    original = names(db_path)
    copy = json.loads(run("backup", "--db", sqlite_url(db_path), "--json", home=isolated_home).stdout)["path"]
    rename_everyone(db_path)

    declined = run("restore", copy, "--db", sqlite_url(db_path), home=isolated_home, answer="n\n")
    assert declined.returncode == 1 and "لغو" in declined.stdout
    assert "جایگزین" in declined.stderr  # the question names what is replaced
    assert set(names(db_path)) == {"تغییر کرد"}

    accepted = run("restore", copy, "--db", sqlite_url(db_path), "--json", home=isolated_home, answer="بله\n")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    report = json.loads(accepted.stdout)  # the question went to stderr: stdout is still JSON
    assert names(db_path) == original
    assert set(names(Path(report["kept"]))) == {"تغییر کرد"}


def test_restore_without_a_terminal_needs_yes(db_path, isolated_home) -> None:
    copy = json.loads(run("backup", "--db", sqlite_url(db_path), "--json", home=isolated_home).stdout)["path"]
    rename_everyone(db_path)
    assert run("restore", copy, "--db", sqlite_url(db_path), home=isolated_home).returncode == 1
    assert set(names(db_path)) == {"تغییر کرد"}
    done = run("restore", copy, "--db", sqlite_url(db_path), "--yes", home=isolated_home)
    assert done.returncode == 0 and "بازیابی شد" in done.stdout
    assert "تغییر کرد" not in names(db_path)


def test_restore_refuses_a_damaged_backup(db_path, isolated_home, tmp_path) -> None:
    copy = Path(json.loads(run("backup", "--db", sqlite_url(db_path), "--json", home=isolated_home).stdout)["path"])
    data = bytearray(copy.read_bytes())
    for offset in range(8192, len(data), 4096):  # scribble over every page after the schema
        data[offset : offset + 64] = b"\xff" * 64
    broken = tmp_path / "broken.db"
    broken.write_bytes(bytes(data))
    before = db_path.read_bytes()

    result = run("restore", str(broken), "--db", sqlite_url(db_path), "--yes", home=isolated_home)

    assert result.returncode == 1 and "سالم نیست" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert db_path.read_bytes() == before
    assert [b.kind for b in list_backups(copy.parent)] == ["manual"]  # nothing set aside either


def test_backup_of_a_missing_file_creates_nothing(tmp_path, isolated_home) -> None:
    missing = tmp_path / "missing.db"
    result = run("backup", "--db", sqlite_url(missing), home=isolated_home)
    assert result.returncode == 2 and "پیدا نشد" in result.stdout
    assert not missing.exists()

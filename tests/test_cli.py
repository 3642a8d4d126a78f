"""The admin command line, run as a user would: `python -m app ...` in a child process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import sqlite_url

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, home: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PEYVAND_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )


def test_help_lists_the_admin_commands(isolated_home) -> None:
    result = run("--help", home=isolated_home)
    assert result.returncode == 0
    assert "demo" in result.stdout and "check" in result.stdout


def test_demo_then_check(tmp_path, isolated_home) -> None:
    url = sqlite_url(tmp_path / "demo.db")
    made = run("demo", "--identities", "150", "--opportunities", "40", "--db", url, "--json", home=isolated_home)
    assert made.returncode == 0, made.stderr
    assert json.loads(made.stdout)["identities"] == 150
    checked = run("check", "--db", url, "--json", home=isolated_home)
    assert checked.returncode == 0, checked.stdout
    report = json.loads(checked.stdout)
    assert report["ok"] and report["counts"]["identities"] == 150 and report["counts"]["opportunities"] == 40
    text = run("--db", url, "check", home=isolated_home)
    assert "سالم" in text.stdout and "۱۵۰" in text.stdout


def test_check_fails_on_a_damaged_file(tmp_path, isolated_home) -> None:
    path = tmp_path / "broken.db"
    assert run("demo", "--identities", "300", "--db", sqlite_url(path), home=isolated_home).returncode == 0
    data = bytearray(path.read_bytes())
    for offset in range(8192, len(data), 4096):  # scribble over the start of every page after the schema
        data[offset : offset + 64] = b"\xff" * 64
    path.write_bytes(bytes(data))
    result = run("check", "--db", sqlite_url(path), home=isolated_home)
    assert result.returncode != 0
    assert "Traceback" not in result.stdout + result.stderr


def test_check_refuses_a_missing_file_without_creating_it(tmp_path, isolated_home) -> None:
    path = tmp_path / "missing.db"
    result = run("check", "--db", sqlite_url(path), home=isolated_home)
    assert result.returncode == 2 and "پیدا نشد" in result.stdout
    assert not path.exists()


def test_db_comes_from_the_environment_when_not_given(tmp_path, isolated_home, monkeypatch) -> None:
    path = tmp_path / "env.db"
    monkeypatch.setenv("PEYVAND_DB", sqlite_url(path))
    assert run("demo", "--identities", "10", "--opportunities", "5", home=isolated_home).returncode == 0
    assert path.exists()
    assert not (isolated_home / "data" / "peyvand.db").exists()

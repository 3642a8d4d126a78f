"""The command line never shows a traceback: damaged files, closed pipes, bad counts, and --help
in Persian down to argparse's own words. Each runs `python -m app` in a child process."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app.services.core import migrations
from app.services.core.database import Database
from tests.conftest import sqlite_url
from tests.test_cli import ROOT, run

# argparse's own English, as it would appear in help or in an error.
ENGLISH = re.compile(
    r"usage:|options:|positional arguments|show this help|error:|required|unrecognized|invalid choice|expected"
)


@pytest.fixture(scope="module")
def module_home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("home")


@pytest.fixture(scope="module")
def migrated_file(tmp_path_factory) -> Path:
    """A migrated SQLite file of its own (the command line is about files here, in both passes of CI)."""
    path = tmp_path_factory.mktemp("migrated") / "peyvand.db"
    db = Database(sqlite_url(path))
    migrations.upgrade(db)
    db.dispose()
    return path


@pytest.fixture(scope="module")
def damaged_file(migrated_file, tmp_path_factory) -> Path:
    """A copy of a migrated database with garbage over the start of every page after the first
    two (the schema stays readable, so the damage shows only when a command reads its tables)."""
    path = tmp_path_factory.mktemp("damaged") / "damaged.db"
    data = bytearray(migrated_file.read_bytes())
    for offset in range(8192, len(data), 4096):
        data[offset : offset + 64] = b"\xff" * 64
    path.write_bytes(bytes(data))
    return path


@pytest.fixture(scope="module")
def garbage_file(tmp_path_factory) -> Path:
    """Not a database at all: garbage where the SQLite header should be."""
    path = tmp_path_factory.mktemp("garbage") / "garbage.db"
    path.write_bytes(os.urandom(64 * 1024))
    return path


COMMANDS = {
    "opportunities list": ("opportunities", "list"),
    "activities due": ("activities", "due"),
    "identities export": ("identities", "export", "{out}/people.xlsx"),
    "render invoice": ("render", "invoice", "1", "-o", "{out}/invoice.pdf"),
    "users list": ("users", "list"),
    "identities search": ("identities", "search", "علی"),
    "check": ("check",),
}


def _assert_calm_failure(result: subprocess.CompletedProcess) -> None:
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    output = result.stdout + result.stderr
    assert "Traceback" not in output and "Error" not in output, output
    assert re.search("[آ-ی]", result.stderr) or re.search("[آ-ی]", result.stdout), output


@pytest.mark.parametrize("kind", ["damaged_file", "garbage_file"])
@pytest.mark.parametrize("name", list(COMMANDS))
def test_a_damaged_file_gives_a_persian_message_and_exit_code_1(request, name, kind, module_home, tmp_path) -> None:
    path = request.getfixturevalue(kind)
    args = [part.format(out=tmp_path) for part in COMMANDS[name]]
    result = run(*args, "--db", sqlite_url(path), home=module_home)
    _assert_calm_failure(result)
    if name != "check":  # check reports the damage itself; the others through the handler
        assert "آسیب دیده" in result.stderr, result.stderr
        log = (module_home / "logs" / "peyvand.log").read_text(encoding="utf-8")
        assert "Traceback" in log  # the details are kept for support


def test_a_reader_that_stops_early_ends_the_command_quietly(migrated_file, module_home, tmp_path) -> None:
    """Like `| head` that has had enough: the pipe is closed before the command writes a line."""
    path = tmp_path / "piped.db"
    shutil.copyfile(migrated_file, path)
    env = {**os.environ, "PEYVAND_HOME": str(module_home), "QT_QPA_PLATFORM": "offscreen"}
    command = [sys.executable, "-m", "app", "identities", "search", "", "--db", sqlite_url(path)]
    read_end, write_end = os.pipe()
    child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=write_end, stderr=subprocess.PIPE)
    os.close(write_end)
    os.close(read_end)  # before the child has started: its first write finds no reader
    _, errors = child.communicate(timeout=120)
    assert errors.decode("utf-8") == ""
    assert child.returncode == 1


def test_demo_refuses_zero_identities_as_a_usage_error(tmp_path, module_home) -> None:
    result = run("demo", "--identities", "0", "--db", sqlite_url(tmp_path / "zero.db"), home=module_home)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and not ENGLISH.search(result.stderr), result.stderr
    assert "بزرگ‌تر از صفر" in result.stderr


def _help_pages() -> list[tuple[str, ...]]:
    from app.cli import _parser

    pages: list[tuple[str, ...]] = [()]
    for action in _parser()._subparsers._group_actions:  # every sub-command and its actions
        for name, sub in action.choices.items():
            pages.append((name,))
            for nested in getattr(sub._subparsers, "_group_actions", []):
                pages += [(name, inner) for inner in nested.choices]
    return pages


@pytest.mark.parametrize("page", _help_pages(), ids=lambda page: " ".join(page) or "main")
def test_help_has_no_english_argparse_words(page, module_home) -> None:
    result = run(*page, "--help", home=module_home)
    assert result.returncode == 0, result.stderr
    assert not ENGLISH.search(result.stdout), result.stdout
    assert "کاربرد:" in result.stdout and "نمایش این راهنما" in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("opportunities",),
        ("demo", "--identities", "many"),
        ("check", "--bogus"),
        ("nonsense",),
        ("--screenshot", "x.png", "--size", "0x0"),
    ],
    ids=["missing action", "not a number", "unknown option", "unknown command", "window of no size"],
)
def test_usage_errors_are_persian_with_exit_code_2(args, module_home) -> None:
    result = run(*args, home=module_home)
    assert result.returncode == 2
    assert not ENGLISH.search(result.stderr) and "خطا" in result.stderr, result.stderr


def test_only_a_damaged_file_is_called_damaged() -> None:
    import sqlite3

    from app.commands.failures import DAMAGED, DISK, UNEXPECTED, _describe

    assert _describe(sqlite3.DatabaseError("file is not a database")) == DAMAGED
    assert _describe(sqlite3.OperationalError("no such table: identities")) == DAMAGED
    assert _describe(sqlite3.IntegrityError("UNIQUE constraint failed: users.login")) == UNEXPECTED
    assert _describe(sqlite3.OperationalError("database or disk is full")) == DISK

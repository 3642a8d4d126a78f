"""The database file lost while the app runs, or missing at the next start: the user is told and
offered the newest backup, never a silent new empty company. Questions are answered in code."""

from __future__ import annotations

import pytest
import shiboken6
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from app import config
from app.models import Setting
from app.models.enums import AccessLevel
from app.services.admin import backup_jobs
from app.services.admin.backup import default_backups_dir
from app.services.core.actor import Actor
from app.services.core.errors import DatabaseFileLost
from app.ui import startup_checks
from app.ui.admin.backup_dialogs import BackupActions
from app.ui.main_window import MainWindow
from app.ui.qt_setup import configure_application
from tests.conftest import sqlite_url
from tests.ui.test_backup_ui import Answers, names, window  # noqa: F401  (window is a fixture)

pytestmark = pytest.mark.sqlite_only  # the SQLite file is deleted


@pytest.fixture
def bare_window(qtbot, tmp_path):
    """The main window without its docks attached: nothing but the backup actions reads the file."""
    configure_application(QApplication.instance())
    win = MainWindow(QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    win.show()
    yield win
    if shiboken6.isValid(win):  # a restore closes (and deletes) the window itself
        win.close()


def test_a_write_to_a_deleted_file_is_refused_and_the_newest_backup_offered(
    qtbot, bare_window, demo_services, demo_admin
) -> None:
    window = bare_window
    path = demo_services.db.sqlite_path
    original = names(path)
    copy = backup_jobs.backup_now(demo_services.db)
    answers = Answers(backup=copy.path)
    window.backup_actions = BackupActions(window, lambda: (demo_services, demo_admin), answers)
    startup_checks.watch_database_file(window, demo_services)
    assert config.known_database() == (path.absolute(), default_backups_dir())  # for the next start
    path.unlink()

    with pytest.raises(DatabaseFileLost), demo_services.db.write(demo_admin) as s:
        s.merge(Setting(key="lost", value=1))

    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10_000)  # restored, then closed to restart
    assert "حذف شده" in answers.asked[0]
    assert names(path) == original


def test_a_sales_rep_is_told_to_call_the_administrator(qtbot, window, demo_services, demo_admin) -> None:
    rep = Actor(user_id=None, login="rep", display_name="نماینده", access_level=AccessLevel.OWN_DOCUMENTS)
    answers = Answers()
    window.backup_actions = BackupActions(window, lambda: (demo_services, rep), answers)
    startup_checks.watch_database_file(window, demo_services)
    demo_services.db.sqlite_path.unlink()

    for _ in range(2):  # told once, however many writes are refused
        with pytest.raises(DatabaseFileLost), demo_services.db.write(demo_admin) as s:
            s.merge(Setting(key="lost", value=1))
    qtbot.waitUntil(lambda: bool(answers.told))
    qtbot.wait(50)

    assert len(answers.told) == 1 and "مدیر برنامه" in answers.told[0] and not answers.asked
    assert window.isVisible()


def _lose_known_file(db) -> tuple:
    path = db.sqlite_path
    good = backup_jobs.backup_now(db)
    config.remember_database(path, default_backups_dir())
    db.dispose()
    path.unlink()
    return path, good


def test_a_missing_known_file_at_start_offers_the_newest_backup_before_the_wizard(qtbot, demo_db) -> None:
    original = names(demo_db.sqlite_path)
    path, good = _lose_known_file(demo_db)
    asked = []

    def restore(parent, missing, candidate) -> str:
        asked.append((missing, candidate))
        return startup_checks.RESTORE

    assert startup_checks.check_database_file(sqlite_url(path), None, ask_missing=restore)
    assert asked == [(path, good)]
    assert names(path) == original


@pytest.mark.parametrize("answer, goes_on", [(startup_checks.QUIT, False), (startup_checks.NEW_DATABASE, True)])
def test_a_missing_known_file_declined_quits_or_starts_empty(qtbot, demo_db, answer, goes_on) -> None:
    path, _ = _lose_known_file(demo_db)
    assert startup_checks.check_database_file(sqlite_url(path), None, ask_missing=lambda *_: answer) is goes_on
    assert not path.exists()  # nothing restored; a new file is made only when the database opens


def test_a_first_start_asks_nothing(qtbot, tmp_path) -> None:
    def never(*_args) -> str:
        raise AssertionError("asked on a first start")

    assert startup_checks.check_database_file(sqlite_url(tmp_path / "new.db"), None, ask_missing=never)

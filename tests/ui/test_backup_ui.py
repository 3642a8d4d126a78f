"""Backups as a user meets them: the «فایل» menu items, the restore list, and a damaged file at start-up.

Questions to the user go through `BackupPrompts`; the tests answer them with `Answers`, so no modal
dialog blocks. The dialogs themselves are driven directly.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QThreadPool
from PySide6.QtWidgets import QApplication

from app.models.enums import AccessLevel
from app.services.admin import backup_jobs
from app.services.admin.backup import DB_DAMAGED, BackupInfo, backup_database, default_backups_dir, verify_database
from app.services.core.actor import Actor
from app.ui import startup_checks
from app.ui.admin.backup_dialogs import BackupActions, BackupPrompts, RestoreDialog, format_size
from app.ui.main_window import MainWindow
from app.ui.qt_setup import configure_application
from tests.conftest import sqlite_url

pytestmark = pytest.mark.sqlite_only  # backups copy the SQLite file


class Answers(BackupPrompts):
    """Canned answers; records what the user would have been asked and told."""

    def __init__(self, backup: Path | None = None, folder: Path | None = None, confirm: bool = True) -> None:
        self.backup, self.folder, self.confirm_answer = backup, folder, confirm
        self.offered: list[BackupInfo] = []
        self.asked: list[str] = []
        self.told: list[str] = []

    def choose_backup(self, parent, backups, note=""):
        self.offered = backups
        return self.backup or (backups[0].path if backups else None)

    def choose_folder(self, parent, current):
        return self.folder

    def confirm(self, parent, title, text, yes):
        self.asked.append(text)
        return self.confirm_answer

    def inform(self, parent, title, text):
        self.told.append(text)


def names(path: Path) -> set[str]:
    with closing(sqlite3.connect(path)) as conn:
        return {row[0] for row in conn.execute("SELECT display_name FROM identities")}


def rename_everyone(path: Path) -> None:
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("UPDATE identities SET display_name = 'تغییر کرد'")
        conn.commit()


def corrupt_identities(path: Path) -> None:
    with closing(sqlite3.connect(path)) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'identities'").fetchone()[0]
    with path.open("r+b") as f:
        f.seek((root - 1) * page_size)
        f.write(b"\xa5" * page_size)


@pytest.fixture
def window(qtbot, demo_services, demo_admin, tmp_path):
    configure_application(QApplication.instance())
    win = MainWindow(QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    win.show()
    win.attach(demo_services, demo_admin)
    win.backup_actions.prompts = Answers()
    win.menuBar().actions()[0].menu().aboutToShow.emit()  # the items are enabled as the menu opens
    yield win  # qtbot keeps only a weak reference: the window must live until the test ends
    win.close()
    QThreadPool.globalInstance().waitForDone(10_000)  # its background checks end with the test


def status(window: MainWindow) -> str:
    return window.statusBar().currentMessage()


def test_file_menu_holds_the_backup_items_enabled_after_attach(qtbot, tmp_path, demo_services, demo_admin) -> None:
    win = MainWindow(QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    file_menu = win.menuBar().actions()[0].menu()
    texts = [a.text() for a in file_menu.actions() if not a.isSeparator()]
    # issue 16 added the session items before «خروج»
    assert texts == ["پشتیبان‌گیری", "بازیابی از پشتیبان…", "پوشه پشتیبان‌ها…", "تعویض کاربر…", "خروج از حساب", "خروج"]
    assert not any(a.isEnabled() for a in win.backup_actions.actions())  # nothing attached yet
    win.attach(demo_services, demo_admin)
    file_menu.aboutToShow.emit()
    assert all(a.isEnabled() for a in win.backup_actions.actions())


def test_a_sales_rep_may_back_up_but_not_restore(window, demo_services) -> None:
    rep = Actor(user_id=None, login="rep", display_name="نماینده", access_level=AccessLevel.OWN_DOCUMENTS)
    actions = BackupActions(window, lambda: (demo_services, rep))
    assert actions.backup_action.isEnabled()
    assert not actions.restore_action.isEnabled() and not actions.folder_action.isEnabled()
    assert actions.restore() is None  # a trigger from code is refused too


def test_backup_from_the_menu_runs_off_the_ui_thread_and_names_the_file(qtbot, window) -> None:
    window.backup_actions.backup_action.trigger()
    qtbot.waitUntil(lambda: "نسخه پشتیبان ذخیره شد" in status(window), timeout=10_000)
    name = status(window).rsplit(" ", 1)[-1]
    copy = default_backups_dir() / name
    assert copy.is_file() and name.endswith("-manual.db")
    assert verify_database(copy, full=True) == []


def test_backups_folder_chosen_from_the_menu_is_used_next(qtbot, window, demo_services, tmp_path) -> None:
    chosen = tmp_path / "پشتیبان‌ها"
    window.backup_actions.prompts = Answers(folder=chosen)
    window.backup_actions.folder_action.trigger()
    assert str(chosen) in status(window)
    assert backup_jobs.backups_dir(demo_services.db) == chosen
    window.backup_actions.backup_action.trigger()
    qtbot.waitUntil(lambda: "نسخه پشتیبان ذخیره شد" in status(window), timeout=10_000)
    assert [p.name for p in chosen.iterdir()] == [status(window).rsplit(" ", 1)[-1]]


def test_restore_from_the_menu_replaces_the_data_and_closes(qtbot, window, demo_services) -> None:
    path = demo_services.db.sqlite_path
    original = names(path)
    copy = backup_jobs.backup_now(demo_services.db)
    rename_everyone(path)
    answers = Answers(backup=copy.path)
    window.backup_actions.prompts = answers

    window.backup_actions.restore_action.trigger()

    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10_000)
    assert names(path) == original
    assert answers.offered[0].path == copy.path  # newest first
    assert "جایگزین" in answers.asked[0] and "بسته می‌شود" in answers.told[0]
    kept = [b for b in backup_jobs.available_backups(default_backups_dir()) if b.kind == "pre-restore"]
    assert len(kept) == 1 and names(kept[0].path) == {"تغییر کرد"}


def test_restore_declined_changes_nothing(window, demo_services) -> None:
    backup_jobs.backup_now(demo_services.db)
    before = demo_services.db.sqlite_path.read_bytes()
    window.backup_actions.prompts = Answers(confirm=False)
    assert window.backup_actions.restore() is None
    assert window.isVisible() and demo_services.db.sqlite_path.read_bytes() == before


def test_restore_dialog_lists_newest_first_in_jalali(qtbot, db, tmp_path) -> None:
    configure_application(QApplication.instance())
    folder = tmp_path / "backups"
    for kind, day in (("daily", 20), ("weekly", 21), ("manual", 22)):
        backup_database(db.sqlite_path, folder, kind, datetime(2026, 11, day, 10, 30))
    dialog = RestoreDialog(backup_jobs.available_backups(folder))
    qtbot.addWidget(dialog)
    rows = [[dialog.table.item(r, c).text() for c in range(3)] for r in range(dialog.table.rowCount())]
    assert [row[1] for row in rows] == ["دستی", "هفتگی", "روزانه"]
    assert rows[0][0].startswith("۱۴۰۵/۰۹/۰۱ ")  # 22 November 2026, Persian digits
    assert dialog.value().name.endswith("-manual.db")
    assert dialog.layoutDirection() == Qt.LayoutDirection.RightToLeft
    dialog.table.setCurrentCell(2, 1)
    assert dialog.value().name.endswith("-daily.db")


def test_restore_dialog_without_backups_says_what_to_do(qtbot) -> None:
    dialog = RestoreDialog([])
    qtbot.addWidget(dialog)
    assert "فایل دیگر" in dialog.note.text() and not dialog.restore_button.isEnabled()


def test_sizes_read_in_persian() -> None:
    assert format_size(4_665_344) == "۴٫۴ مگابایت"
    assert format_size(300_000) == "۲۹۳ کیلوبایت"


# --- start-up -------------------------------------------------------------------------------
def test_damaged_file_at_startup_is_restored_from_the_newest_good_backup(qtbot, demo_db) -> None:
    path = demo_db.sqlite_path
    original = names(path)
    good = backup_jobs.backup_now(demo_db)
    demo_db.dispose()
    corrupt_identities(path)
    seen = []

    def restore(parent, problems, candidate) -> bool:
        seen.append((problems[0], candidate))
        return True

    assert startup_checks.check_database_file(sqlite_url(path), None, ask=restore)
    assert seen == [(DB_DAMAGED, good)]
    assert verify_database(path, full=True) == [] and names(path) == original
    assert any("damaged" in p.name for p in default_backups_dir().iterdir())  # the broken file is kept


def test_damaged_file_at_startup_quit_leaves_it_alone(qtbot, demo_db) -> None:
    path = demo_db.sqlite_path
    demo_db.dispose()
    corrupt_identities(path)
    before = path.read_bytes()
    candidates = []

    def quit_(parent, problems, candidate) -> bool:
        candidates.append(candidate)
        return False

    assert not startup_checks.check_database_file(sqlite_url(path), None, ask=quit_)
    assert candidates == [None]  # no backup at all: only quitting is offered
    assert path.read_bytes() == before


def test_healthy_missing_or_server_databases_pass_without_a_question(qtbot, db, tmp_path) -> None:
    def never(*_args) -> bool:
        raise AssertionError("asked about a healthy database")

    assert startup_checks.check_database_file(sqlite_url(db.sqlite_path), None, ask=never)
    assert startup_checks.check_database_file(sqlite_url(tmp_path / "first-start.db"), None, ask=never)
    assert startup_checks.check_database_file("postgresql+psycopg://u@localhost/crm", None, ask=never)


def test_background_check_makes_the_daily_copy(qtbot, window, demo_services) -> None:
    task = startup_checks.start_background_checks(window, demo_services)
    qtbot.waitUntil(lambda: not task.is_running(), timeout=10_000)
    assert "پشتیبان روزانه" in status(window)
    assert {b.kind for b in backup_jobs.available_backups(default_backups_dir())} == {"daily", "weekly"}


def test_background_check_offers_a_restore_when_it_finds_damage(qtbot, window, demo_services) -> None:
    answers = Answers(confirm=False)
    window.backup_actions.prompts = answers
    demo_services.db.dispose()
    corrupt_identities(demo_services.db.sqlite_path)
    task = startup_checks.start_background_checks(window, demo_services)
    qtbot.waitUntil(lambda: not task.is_running(), timeout=10_000)
    assert answers.asked and DB_DAMAGED in answers.asked[0]
    assert backup_jobs.available_backups(default_backups_dir()) == []  # no copy of a damaged file

"""Backup jobs on the app's database: the folder setting, copies, start-up checks and restore."""

from __future__ import annotations

import os
import sqlite3
import time
from contextlib import closing
from datetime import datetime
from pathlib import Path

import pytest

from app.models.enums import AccessLevel
from app.services.admin import backup_jobs
from app.services.admin.backup import (
    BACKUP_DAMAGED,
    BACKUP_FAILED,
    DB_DAMAGED,
    BackupError,
    backup_database,
    default_backups_dir,
    list_backups,
    prune_backups,
    verify_database,
)
from app.services.core.actor import Actor
from app.services.core.database import Database
from app.services.core.errors import AccessDenied
from tests.conftest import sqlite_url

pytestmark = pytest.mark.sqlite_only  # backups copy the SQLite file

REP = Actor(user_id=None, login="rep", display_name="نماینده فروش", access_level=AccessLevel.OWN_DOCUMENTS)


def identity_count(path: Path) -> int:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute("SELECT count(*) FROM identities").fetchone()[0]


def corrupt_table(db: Database, table: str) -> Path:
    """Overwrite the root page of one table: the schema stays readable, the table does not."""
    path = db.sqlite_path
    db.dispose()  # closing the last connection checkpoints the WAL into the file
    with closing(sqlite3.connect(path)) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    with path.open("r+b") as f:
        f.seek((root - 1) * page_size)
        f.write(b"\xa5" * page_size)
    return path


def test_backups_folder_defaults_then_follows_the_setting(db, admin, tmp_path) -> None:
    assert backup_jobs.backups_dir(db) == default_backups_dir()
    chosen = tmp_path / "USB" / "peyvand-copies"
    assert backup_jobs.set_backups_dir(db, admin, chosen) == chosen
    assert chosen.is_dir()
    assert backup_jobs.backups_dir(db) == chosen
    # Read without SQLAlchemy too: that is how a damaged file finds its backups at start-up.
    assert backup_jobs.stored_backups_dir(db.sqlite_path) == chosen
    assert backup_jobs.search_folders(chosen) == [chosen, default_backups_dir()]


def test_only_an_admin_changes_the_folder_and_it_must_be_writable(db, admin, tmp_path) -> None:
    with pytest.raises(AccessDenied):
        backup_jobs.set_backups_dir(db, REP, tmp_path / "mine")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(BackupError) as refused:
        backup_jobs.set_backups_dir(db, admin, blocker / "backups")
    assert refused.value.message == backup_jobs.FOLDER_NOT_WRITABLE
    assert backup_jobs.backups_dir(db) == default_backups_dir()


def test_stored_folder_falls_back_to_the_default_on_any_file(tmp_path) -> None:
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not a database at all" * 100)
    assert backup_jobs.stored_backups_dir(garbage) == default_backups_dir()
    assert backup_jobs.stored_backups_dir(tmp_path / "missing.db") == default_backups_dir()
    assert not (tmp_path / "missing.db").exists()


def test_sqlite_file_from_url(tmp_path) -> None:
    assert backup_jobs.sqlite_file(sqlite_url(tmp_path / "a.db")) == tmp_path / "a.db"
    assert backup_jobs.sqlite_file("sqlite://") is None
    assert backup_jobs.sqlite_file("postgresql+psycopg://u@localhost/crm") is None


def renamed(path: Path) -> int:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute("SELECT count(*) FROM identities WHERE display_name = 'تغییر کرد'").fetchone()[0]


def test_backup_then_restore_round_trip(demo_db, demo_admin) -> None:
    path = demo_db.sqlite_path
    before = identity_count(path)
    copy = backup_jobs.backup_now(demo_db)
    assert copy.kind == "manual" and copy.path.parent == default_backups_dir()
    with demo_db.write(demo_admin) as s:  # a change made after the copy, through the app's engine
        s.connection().exec_driver_sql("UPDATE identities SET display_name = 'تغییر کرد'")
    assert renamed(path) == before

    kept = backup_jobs.restore_database(demo_db, demo_admin, copy.path)

    assert renamed(path) == 0 and identity_count(path) == before
    assert kept is not None and [b.path for b in list_backups(kept.parent) if b.kind == "pre-restore"] == [kept]
    assert renamed(kept) == before  # the replaced data is kept, not lost
    with demo_db.read(demo_admin) as s:  # the engine reopens on the restored file
        assert s.connection().exec_driver_sql("SELECT count(*) FROM identities").scalar() == before


def test_restore_is_for_admins_and_refuses_a_damaged_backup(db, admin, tmp_path) -> None:
    copy = backup_jobs.backup_now(db)
    with pytest.raises(AccessDenied):
        backup_jobs.restore_database(db, REP, copy.path)
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"\x00" * 8192)
    with pytest.raises(BackupError) as refused:
        backup_jobs.restore_database(db, admin, broken)
    assert refused.value.message == BACKUP_DAMAGED
    assert verify_database(db.sqlite_path, full=True) == []


def test_another_programs_database_is_not_restored(db, admin, tmp_path) -> None:
    foreign = tmp_path / "notes.db"
    with closing(sqlite3.connect(foreign)) as conn:
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        conn.commit()
    assert backup_jobs.check_backup_file(foreign)[0] == backup_jobs.NOT_OUR_BACKUP
    with pytest.raises(BackupError) as refused:
        backup_jobs.restore_database(db, admin, foreign)
    assert refused.value.message == backup_jobs.NOT_OUR_BACKUP
    assert list_backups(default_backups_dir()) == []  # refused before anything was set aside
    assert backup_jobs.check_backup_file(backup_jobs.backup_now(db).path) == []


def test_a_missing_backups_drive_is_a_backup_error(db, tmp_path) -> None:
    unplugged = tmp_path / "not-a-folder"
    unplugged.write_text("a file where the folder should be")
    with pytest.raises(BackupError) as failed:
        backup_jobs.backup_now(db, unplugged / "backups")
    assert failed.value.message == BACKUP_FAILED


def test_restore_lists_the_chosen_and_the_default_folder(db, admin, tmp_path) -> None:
    pre_migration = backup_database(db.sqlite_path, default_backups_dir(), "pre-migration", datetime(2026, 1, 1))
    chosen = backup_jobs.set_backups_dir(db, admin, tmp_path / "chosen")
    manual = backup_jobs.backup_now(db)
    assert manual.path.parent == chosen
    found = backup_jobs.available_backups(chosen)
    assert [b.path for b in found] == [manual.path, pre_migration.path]


def test_newest_good_backup_skips_a_damaged_one(db, tmp_path) -> None:
    older = backup_database(db.sqlite_path, default_backups_dir(), "daily", datetime(2026, 1, 1))
    newer = backup_database(db.sqlite_path, default_backups_dir(), "daily", datetime(2026, 1, 2))
    newer.path.write_bytes(b"\xa5" * newer.size_bytes)
    assert backup_jobs.find_good_backup(default_backups_dir()) == older


def test_startup_check_finds_damage_in_a_small_file(demo_db) -> None:
    assert backup_jobs.check_at_startup(demo_db.sqlite_path) == []
    path = corrupt_table(demo_db, "identities")
    problems = backup_jobs.check_at_startup(path)
    assert problems[0] == DB_DAMAGED


def test_big_files_get_the_schema_check_then_quick_check_in_the_daily_job(demo_db, monkeypatch) -> None:
    monkeypatch.setattr(backup_jobs, "QUICK_CHECK_MAX_BYTES", 0)  # every file counts as big
    path = corrupt_table(demo_db, "identities")
    assert backup_jobs.check_at_startup(path) == []  # only the schema was read: cheap, and blind here
    outcome = backup_jobs.daily_check_and_backup(path, default_backups_dir())
    assert outcome.problems[0] == DB_DAMAGED and outcome.backup is None
    assert list_backups(default_backups_dir()) == []


def test_the_cheap_check_still_sees_a_file_that_is_not_a_database(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(backup_jobs, "QUICK_CHECK_MAX_BYTES", 0)
    path = tmp_path / "peyvand.db"
    path.write_bytes(b"\x13" * 65536)
    assert backup_jobs.check_at_startup(path)[0] == DB_DAMAGED


def test_daily_job_makes_one_copy_a_day(db) -> None:
    first = backup_jobs.daily_check_and_backup(db.sqlite_path, default_backups_dir())
    assert first.problems == [] and first.backup is not None and first.backup.kind == "daily"
    assert {b.kind for b in list_backups(default_backups_dir())} == {"daily", "weekly"}
    again = backup_jobs.daily_check_and_backup(db.sqlite_path, default_backups_dir())
    assert again.problems == [] and again.backup is None


def test_prune_removes_old_temporary_copies_only(tmp_path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    stale, young = folder / ".peyvand-dead.tmp", folder / ".peyvand-busy.tmp"
    for path in (stale, young):
        path.write_bytes(b"half a copy")
    day_ago = time.time() - 24 * 3600
    os.utime(stale, (day_ago, day_ago))
    prune_backups(folder)
    assert not stale.exists() and young.exists()

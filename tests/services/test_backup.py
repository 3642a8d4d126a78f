"""Backups of the SQLite file: copy, verify, rotate, restore."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.services.admin import backup
from app.services.admin.backup import (
    BACKUP_DAMAGED,
    DB_DAMAGED,
    BackupError,
    backup_database,
    default_backups_dir,
    ensure_daily_backup,
    list_backups,
    newest_good_backup,
    prune_backups,
    restore_backup,
    verify_database,
)

PAGE_SIZE = 4096


def make_db(path: Path, rows: int = 50, wal: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(path)) as conn:
        conn.execute(f"PRAGMA page_size={PAGE_SIZE}")
        conn.execute(f"PRAGMA journal_mode={'WAL' if wal else 'DELETE'}")
        conn.execute("CREATE TABLE customer (id INTEGER PRIMARY KEY, name TEXT)")
        conn.execute("CREATE INDEX ix_customer_name ON customer (name)")
        conn.executemany(
            "INSERT INTO customer (name) VALUES (?)",
            [(f"مشتری {i}",) for i in range(rows)],
        )
        conn.commit()


def names(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as conn:
        return [row[0] for row in conn.execute("SELECT name FROM customer ORDER BY id")]


def corrupt_middle_page(path: Path) -> None:
    """Overwrite one whole b-tree page in the middle of the file with garbage."""
    pages = path.stat().st_size // PAGE_SIZE
    assert pages > 10, "the test database must span many pages"
    with path.open("r+b") as f:
        f.seek((pages // 2) * PAGE_SIZE)
        f.write(b"\xa5" * PAGE_SIZE)


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "peyvand.db"
    make_db(path, rows=2000)
    return path


@pytest.fixture
def backups_dir(tmp_path: Path) -> Path:
    return tmp_path / "backups"


def test_round_trip_includes_uncheckpointed_wal_rows(tmp_path, backups_dir):
    db = tmp_path / "data" / "peyvand.db"
    make_db(db, rows=10, wal=True)
    writer = sqlite3.connect(db)
    try:
        # Keep new rows in the -wal file only, as while the app is running.
        writer.execute("PRAGMA wal_autocheckpoint=0")
        writer.executemany("INSERT INTO customer (name) VALUES (?)", [("فقط در WAL",)] * 5)
        writer.commit()
        assert Path(f"{db}-wal").stat().st_size > 0

        info = backup_database(db, backups_dir, "manual")
        at_backup = names(db)
        assert len(at_backup) == 15

        writer.execute("DELETE FROM customer WHERE id <= 3")
        writer.execute("INSERT INTO customer (name) VALUES ('بعد از پشتیبان')")
        writer.commit()
    finally:
        writer.close()

    # The backup is one self-contained file in rollback-journal mode.
    assert files_in(backups_dir) == [info.path.name]
    assert names(info.path) == at_backup
    with closing(sqlite3.connect(info.path)) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"

    set_aside = restore_backup(info.path, db, backups_dir)

    assert names(db) == at_backup
    assert verify_database(db, full=True) == []
    # The restored database keeps WAL mode (written through SQLite, not copied over it).
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert set_aside is not None and set_aside.exists()
    assert "بعد از پشتیبان" in names(set_aside)
    assert [b.kind for b in list_backups(backups_dir)] == ["pre-restore", "manual"]


def test_backup_info_matches_listing_and_name(db, backups_dir):
    now = datetime(2026, 11, 22, 19, 30, 0, 123456, tzinfo=UTC)
    info = backup_database(db, backups_dir, "daily", now=now)
    assert info.path.name == "peyvand-20261122-193000-daily.db"
    assert info.created_at == now.replace(microsecond=0)
    assert info.size_bytes == info.path.stat().st_size
    assert list_backups(backups_dir) == [info]


def test_same_second_backups_get_distinct_names_newest_first(db, backups_dir):
    now = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    first = backup_database(db, backups_dir, "manual", now=now)
    second = backup_database(db, backups_dir, "manual", now=now)
    third = backup_database(db, backups_dir, "manual", now=now)
    assert second.path.name == "peyvand-20260101-120000-manual-2.db"
    (backups_dir / "notes.txt").write_text("not a backup")
    assert [b.path for b in list_backups(backups_dir)] == [
        third.path,
        second.path,
        first.path,
    ]


def test_unknown_kind_is_a_programming_error(db, backups_dir):
    with pytest.raises(ValueError):
        backup_database(db, backups_dir, "hourly")


def test_missing_database_is_reported(tmp_path, backups_dir):
    missing = tmp_path / "nothing.db"
    with pytest.raises(BackupError):
        backup_database(missing, backups_dir)
    assert verify_database(missing) == [backup.DB_MISSING]
    assert not missing.exists()  # checking must not create an empty database
    assert ensure_daily_backup(missing, backups_dir) is None


def test_corrupted_page_is_detected_and_newest_good_backup_restores(db, backups_dir):
    good = backup_database(db, backups_dir, "daily")
    expected = names(db)
    corrupt_middle_page(db)

    problems = verify_database(db, full=True)
    assert problems and problems[0] == DB_DAMAGED
    assert verify_database(db)  # quick_check sees it too

    assert newest_good_backup(backups_dir) == good
    set_aside = restore_backup(good.path, db, backups_dir)

    assert set_aside is not None and "-damaged-" in set_aside.name
    assert set_aside.read_bytes() != good.path.read_bytes()
    assert verify_database(db, full=True) == []
    assert names(db) == expected


def test_garbage_file_with_stale_sidecars_is_replaced(db, backups_dir):
    good = backup_database(db, backups_dir, "daily")
    db.write_bytes(b"this is not a database at all " * 500)
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{db}{suffix}").write_bytes(b"stale garbage")

    assert verify_database(db) == [DB_DAMAGED, "file is not a database"]

    set_aside = restore_backup(newest_good_backup(backups_dir).path, db, backups_dir)

    assert set_aside.read_bytes().startswith(b"this is not a database")
    for suffix in ("-wal", "-shm", "-journal"):
        assert not Path(f"{db}{suffix}").exists()
    assert names(db) == names(good.path)
    # The damaged copy is kept but never offered as a backup.
    assert set_aside not in [b.path for b in list_backups(backups_dir)]


def test_damaged_backup_is_refused_by_restore(db, backups_dir):
    bad = backup_database(db, backups_dir, "manual")
    corrupt_middle_page(bad.path)
    before = db.read_bytes()

    with pytest.raises(BackupError) as caught:
        restore_backup(bad.path, db, backups_dir)

    assert caught.value.message == BACKUP_DAMAGED
    assert db.read_bytes() == before
    assert files_in(backups_dir) == [bad.path.name]  # no pre-restore copy was made
    assert newest_good_backup(backups_dir) is None


def test_failed_verification_of_a_new_backup_leaves_no_file(db, backups_dir, monkeypatch):
    backup_database(db, backups_dir, "daily", now=datetime(2026, 1, 1, tzinfo=UTC))
    before = files_in(backups_dir)
    monkeypatch.setattr(backup, "verify_database", lambda path, full=False: [DB_DAMAGED])

    with pytest.raises(BackupError) as caught:
        backup_database(db, backups_dir, "manual")

    assert caught.value.message == BACKUP_DAMAGED
    assert files_in(backups_dir) == before


def test_backup_of_a_damaged_database_fails_cleanly(db, backups_dir):
    corrupt_middle_page(db)
    with pytest.raises(BackupError):
        backup_database(db, backups_dir, "manual")
    assert files_in(backups_dir) == []


def test_ensure_daily_backup_once_per_day(db, backups_dir):
    morning = datetime(2026, 3, 2, 8, 0)
    first = ensure_daily_backup(db, backups_dir, now=morning)
    assert first is not None and first.kind == "daily"
    assert ensure_daily_backup(db, backups_dir, now=morning + timedelta(hours=10)) is None
    next_day = ensure_daily_backup(db, backups_dir, now=morning + timedelta(days=1))
    assert next_day is not None and next_day.path != first.path
    assert [b.kind for b in list_backups(backups_dir)].count("daily") == 2


def test_sixty_days_of_starts_keep_7_daily_and_4_weekly(db, backups_dir):
    start = datetime(2026, 1, 1, 9, 0)  # local time, a Thursday
    manual = backup_database(db, backups_dir, "manual", now=start - timedelta(days=1))
    for day in range(60):
        assert ensure_daily_backup(db, backups_dir, now=start + timedelta(days=day)) is not None

    kept = list_backups(backups_dir)
    daily = [b for b in kept if b.kind == "daily"]
    weekly = [b for b in kept if b.kind == "weekly"]
    assert len(daily) == 7
    assert len(weekly) == 4
    assert manual in kept
    last = (start + timedelta(days=59)).date()
    assert {b.created_at.astimezone().date() for b in daily} == {last - timedelta(days=n) for n in range(7)}
    # Weeks start on Saturday, so each weekly copy was made on a Saturday.
    assert {b.created_at.astimezone().weekday() for b in weekly} == {5}


def test_first_start_mid_week_also_makes_a_weekly_copy(db, backups_dir):
    ensure_daily_backup(db, backups_dir, now=datetime(2026, 1, 1, 9, 0))  # Thursday
    assert sorted(b.kind for b in list_backups(backups_dir)) == ["daily", "weekly"]
    ensure_daily_backup(db, backups_dir, now=datetime(2026, 1, 2, 9, 0))  # Friday, same week
    assert [b.kind for b in list_backups(backups_dir)].count("weekly") == 1
    ensure_daily_backup(db, backups_dir, now=datetime(2026, 1, 3, 9, 0))  # Saturday
    assert [b.kind for b in list_backups(backups_dir)].count("weekly") == 2


def test_prune_keeps_10_pre_migration_and_every_manual_and_pre_restore(db, backups_dir):
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for i in range(12):
        for kind in ("pre-migration", "manual", "pre-restore"):
            backup_database(db, backups_dir, kind, now=start + timedelta(hours=i))

    removed = prune_backups(backups_dir)

    kinds = [b.kind for b in list_backups(backups_dir)]
    assert kinds.count("pre-migration") == 10
    assert kinds.count("manual") == 12
    assert kinds.count("pre-restore") == 12
    assert sorted(p.name for p in removed) == [
        "peyvand-20260101-000000-pre-migration.db",
        "peyvand-20260101-010000-pre-migration.db",
    ]


def test_default_backups_dir_follows_peyvand_home(tmp_path, monkeypatch):
    monkeypatch.setenv("PEYVAND_HOME", str(tmp_path))
    assert default_backups_dir() == tmp_path / "data" / "backups"

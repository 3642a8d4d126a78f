"""Backup jobs on the app's own database: the backups folder, on-demand and daily copies, restore.

The file-level work (copy, verify, rotate, restore) is in app.services.admin.backup; this module adds
what needs the app around it: where the user wants the copies (a settings row), who may change
that or restore, and a start-up check that stays cheap on big files. No Qt: the GUI and the
command line both call it.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.engine import make_url

from app.services.admin.backup import (
    BACKUP_DAMAGED,
    DB_DAMAGED,
    BackupError,
    BackupInfo,
    backup_database,
    default_backups_dir,
    ensure_daily_backup,
    list_backups,
    restore_backup,
    verify_database,
    verify_schema,
)
from app.services.core.errors import AccessDenied

if TYPE_CHECKING:
    # The models take half a second to import; the command line and the start-up check work on
    # the file alone, so only the functions given a live Database import them (at call time).
    from app.services.core.actor import Actor
    from app.services.core.database import Database

SETTING_KEY = "backups_dir"
# quick_check reads every page: measured 15 ms/MB with a cold disk cache and 2.5 ms/MB warm
# (a 290 MB file: 2.5 s cold, 0.6 s warm). Up to this size it fits a ~150 ms start-up budget;
# bigger files get the schema check at start-up and quick_check just after, in the background.
QUICK_CHECK_MAX_BYTES = 8 * 1024 * 1024

# Messages are sentences without the full stop, like app.services.admin.backup's: callers add more.
NOT_SQLITE = "نسخه پشتیبان فقط از پایگاه داده فایلی (SQLite) گرفته می‌شود"
FOLDER_NOT_WRITABLE = "در پوشهٔ انتخاب‌شده نمی‌توان نوشت؛ پوشهٔ دیگری انتخاب کنید"
ADMIN_ONLY_FOLDER = "فقط مدیر می‌تواند پوشهٔ پشتیبان‌ها را تغییر دهد"
ADMIN_ONLY_RESTORE = "فقط مدیر می‌تواند پایگاه داده را از نسخه پشتیبان بازیابی کند"
NOT_OUR_BACKUP = "این فایل نسخه پشتیبان پایگاه داده پیوند نیست"
# Tables every Peyvand database has had since the first schema: a file without them is some
# other program's database, which would pass integrity_check and replace the data with nothing.
_OUR_TABLES = ("alembic_version", "settings", "identities")


@dataclass(frozen=True)
class DailyOutcome:
    """What the after-start-up job found: damage (then no copy was made) or today's copy."""

    problems: list[str]
    backup: BackupInfo | None  # None also when today's copy already existed


def sqlite_file(url: str) -> Path | None:
    """The SQLite file behind a database URL; None for a server or an in-memory database."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


# --- the backups folder -----------------------------------------------------------------
def backups_dir(db: Database) -> Path:
    """Where copies go: the folder the user chose, else the default one beside the data."""
    from app.models import Setting
    from app.services.core.actor import SYSTEM

    with db.read(SYSTEM) as s:  # a machine setting, readable by every user
        row = s.get(Setting, SETTING_KEY)
        value = None if row is None else row.value
    return _as_folder(value) or default_backups_dir()


def set_backups_dir(db: Database, actor: Actor, folder: Path) -> Path:
    """Admin only: store the backups folder after checking a file can be written there.

    Raises AccessDenied, or BackupError(FOLDER_NOT_WRITABLE). Writes the settings row and
    returns the absolute folder. Copies already made stay where they are.
    """
    from app.models import Setting

    if not actor.is_admin:
        raise AccessDenied(ADMIN_ONLY_FOLDER)
    folder = folder.expanduser().absolute()
    _require_writable(folder)
    with db.write(actor) as s:
        s.merge(Setting(key=SETTING_KEY, value=str(folder)))
    return folder


def stored_backups_dir(db_path: Path) -> Path:
    """The backups folder read straight from the file with sqlite3, for when the app cannot
    open the database (damaged at start-up) or need not (command line); the default folder
    when the row cannot be read."""
    value = None
    if db_path.is_file():  # connect() would create a missing file
        try:
            with closing(sqlite3.connect(db_path)) as conn:
                sql = "SELECT value FROM settings WHERE key = ?"
                row = conn.execute(sql, (SETTING_KEY,)).fetchone()
            value = json.loads(row[0]) if row else None
        except (sqlite3.Error, ValueError, TypeError):
            value = None  # damaged, not migrated yet, or not ours: the default folder will do
    return _as_folder(value) or default_backups_dir()


def search_folders(folder: Path) -> list[Path]:
    """Where copies may be: the chosen folder, and the default one, since pre-migration copies
    are made before the settings can be read and so always go there."""
    default = default_backups_dir()
    return [folder] if _same_folder(folder, default) else [folder, default]


def available_backups(folder: Path) -> list[BackupInfo]:
    """Backups in the chosen and the default folder, newest first (not verified: quick)."""
    found = [info for place in search_folders(folder) for info in list_backups(place)]
    return sorted(found, key=lambda info: info.created_at, reverse=True)


def find_good_backup(folder: Path) -> BackupInfo | None:
    """The newest backup (chosen or default folder) that passes a full integrity check."""
    for info in available_backups(folder):
        try:
            if not verify_database(info.path, full=True):
                return info
        except BackupError:
            continue  # locked by another program right now: an older copy will do
    return None


# --- checks and copies --------------------------------------------------------------------
def check_backup_file(path: Path) -> list[str]:
    """Problems that forbid restoring ``path``: damage (full integrity_check), or not ours."""
    problems = verify_database(path, full=True)
    return [BACKUP_DAMAGED, *problems[1:]] if problems else _not_ours(path)


def check_at_startup(db_path: Path) -> list[str]:
    """Problems found by the start-up check; [] means go on.

    quick_check on files up to QUICK_CHECK_MAX_BYTES, only the header and schema on bigger
    ones (``daily_check_and_backup`` runs quick_check on them right after start-up).
    Raises BackupError when the file is locked, which is not damage.
    """
    wal = db_path.with_name(db_path.name + "-wal")
    size = db_path.stat().st_size + (wal.stat().st_size if wal.is_file() else 0)
    return verify_database(db_path) if size <= QUICK_CHECK_MAX_BYTES else verify_schema(db_path)


def daily_check_and_backup(db_path: Path, folder: Path) -> DailyOutcome:
    """After start-up, off the UI thread: quick_check, then the day's copy and pruning.

    The copy passes integrity_check before older copies are pruned (ensure_daily_backup).
    Raises BackupError when the copy cannot be made (folder gone, disk full...).
    """
    problems = verify_database(db_path)
    if problems:
        return DailyOutcome(problems, None)
    try:
        return DailyOutcome([], ensure_daily_backup(db_path, folder))
    except BackupError as exc:
        if exc.message != BACKUP_DAMAGED:
            raise
        # The copy is page for page the database: its failed integrity_check is the database's
        # (damage quick_check does not see, such as a broken index).
        return DailyOutcome([DB_DAMAGED, exc.detail], None)


def backup_now(db: Database, folder: Path | None = None) -> BackupInfo:
    """Any user: a verified "manual" copy into ``folder`` (default: the backups folder).

    Manual copies are never pruned. Raises BackupError. Writes only the copy.
    """
    return backup_database(_file_of(db), folder or backups_dir(db), "manual")


def restore_database(db: Database, actor: Actor, backup_path: Path) -> Path | None:
    """Admin only: replace the database file with a verified backup (see restore_backup).

    The engine's pooled connections are closed first; they reopen on the restored file, but
    windows still show the old data, so the caller should restart. Returns the kept copy of
    the replaced file. Raises AccessDenied or BackupError.
    """
    if not actor.is_admin:
        raise AccessDenied(ADMIN_ONLY_RESTORE)
    db_path = _file_of(db)
    folder = backups_dir(db)
    _require_ours(backup_path)
    db.dispose()
    return restore_backup(backup_path, db_path, folder)


def restore_file(db_path: Path, backup_path: Path) -> Path | None:
    """``restore_database`` for a file nothing holds open (start-up, command line); the
    replaced file is kept in the backups folder named in it, else the default one."""
    _require_ours(backup_path)
    return restore_backup(backup_path, db_path, stored_backups_dir(db_path))


def _file_of(db: Database) -> Path:
    if db.sqlite_path is None:
        raise BackupError(NOT_SQLITE, db.describe())
    return db.sqlite_path


def _not_ours(path: Path) -> list[str]:
    try:
        with closing(sqlite3.connect(path)) as conn:
            found = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.Error:
        return []  # unreadable: damage, which integrity_check reports in its own words
    missing = [table for table in _OUR_TABLES if table not in found]
    return [NOT_OUR_BACKUP, f"missing tables: {', '.join(missing)}"] if missing else []


def _require_ours(path: Path) -> None:
    # Only the cheap schema test: restore_backup runs the full integrity_check itself.
    problems = _not_ours(path) if path.is_file() else []
    if problems:
        raise BackupError(problems[0], problems[1])


def _as_folder(value: object) -> Path | None:
    return Path(value) if isinstance(value, str) and value else None


def _same_folder(a: Path, b: Path) -> bool:
    # normcase: Windows paths differ only in letter case and slashes.
    return os.path.normcase(a.absolute()) == os.path.normcase(b.absolute())


def _require_writable(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise BackupError(FOLDER_NOT_WRITABLE, f"{folder}: {exc}") from exc

"""SQLite backups, verification, rotation and restore for the Peyvand database file.

Everything works on plain file paths with the stdlib ``sqlite3`` module, so it can run
before SQLAlchemy or Qt are set up (start-up check of a damaged database, pre-migration
copies). Copies are made with SQLite's online backup API instead of a file copy: it
reads a consistent snapshot, including rows that are still only in the ``-wal`` file,
even while the app holds the database open.

Backup files are named ``peyvand-YYYYMMDD-HHMMSS-<kind>[-N].db`` with the UTC time of the
copy; ``-N`` only appears when several copies of one kind are made within one second.
The name is the only metadata, so the folder can be copied or synced as it is.

Times passed as ``now`` may be aware or naive; naive values mean local time (as
``datetime.astimezone`` treats them), which is what tests and the clock both give.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import uuid
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from app.config import data_dir
from app.services.core.errors import ServiceError

KINDS = ("daily", "weekly", "manual", "pre-migration", "pre-restore")

BACKUP_DAMAGED = "نسخه پشتیبان سالم نیست"
BACKUP_FAILED = "تهیه نسخه پشتیبان انجام نشد"
RESTORE_FAILED = "بازگردانی نسخه پشتیبان انجام نشد"
DB_DAMAGED = "فایل پایگاه داده آسیب دیده است"
DB_MISSING = "فایل پایگاه داده پیدا نشد"
DB_UNAVAILABLE = "پایگاه داده در دسترس نیست"

_KINDS_RE = "|".join(KINDS)
_NAME_RE = re.compile(rf"^peyvand-(?P<stamp>\d{{8}}-\d{{6}})-(?P<kind>{_KINDS_RE})(?:-(?P<seq>\d+))?\.db$")
_STAMP = "%Y%m%d-%H%M%S"
# SQLite primary result codes (SQLITE_CORRUPT, SQLITE_NOTADB) that mean the file itself
# is broken, unlike e.g. SQLITE_BUSY.
_BROKEN_FILE_CODES = (11, 26)
# A temporary copy older than this is left over from an interrupted backup.
_STALE_TEMP_SECONDS = 6 * 3600
# Python's weekday(): Monday is 0. The Iranian week starts on Saturday.
_SATURDAY = 5


class BackupError(ServiceError):
    """A backup or restore failed; ``message`` is Persian and safe to show to the user."""

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail  # SQLite's own words, for the log


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    kind: str
    created_at: datetime  # UTC, whole seconds (as encoded in the file name)
    size_bytes: int


def default_backups_dir() -> Path:
    return data_dir() / "backups"


def verify_database(db_path: Path, full: bool = False) -> list[str]:
    """Problems found in the database file; ``[]`` means it is healthy.

    ``quick_check`` by default, ``integrity_check`` (also checks indexes) with ``full``.
    When something is wrong the first item is always the Persian ``DB_DAMAGED`` (or
    ``DB_MISSING``) sentence for the user; any further items are SQLite's own details,
    for the log. A busy/locked file is not damage, so that raises ``BackupError``.
    """
    pragma = "integrity_check" if full else "quick_check"
    return _check(db_path, f"PRAGMA {pragma}")


def verify_schema(db_path: Path) -> list[str]:
    """Like ``verify_database``, but only reads the file header and parses the schema.

    Costs milliseconds whatever the size (quick_check reads every page: 0.6 s warm and
    2.5 s cold for a 290 MB file), so start-up can afford it on any file; it catches a
    file that is not a database or whose first pages are broken, not damage further in.
    """
    # Reading sqlite_master makes SQLite parse the whole schema; the row itself is just "ok".
    return _check(db_path, "SELECT 'ok' FROM (SELECT count(*) FROM sqlite_master)")


def _check(db_path: Path, sql: str) -> list[str]:
    """Problems reported by ``sql``, a check whose only row is "ok" when all is well."""
    if not db_path.is_file():
        return [DB_MISSING]
    try:
        # Checked above, because connect() would create a missing file.
        with closing(sqlite3.connect(db_path)) as conn:
            rows = [row[0] for row in conn.execute(sql).fetchall()]
    except sqlite3.DatabaseError as exc:
        if getattr(exc, "sqlite_errorcode", 0) & 0xFF in _BROKEN_FILE_CODES:
            return [DB_DAMAGED, str(exc)]
        raise BackupError(DB_UNAVAILABLE, str(exc)) from exc
    return [] if rows == ["ok"] else [DB_DAMAGED, *rows]


def backup_database(db_path: Path, backups_dir: Path, kind: str = "manual", now: datetime | None = None) -> BackupInfo:
    """Copy the database into ``backups_dir`` and verify the copy before it gets its name.

    The copy is written under a temporary name, must pass ``integrity_check``, and is
    only then renamed (atomically, same folder) to its final name: a half-written or
    damaged copy is never mistaken for a backup. On failure nothing is left behind.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown backup kind: {kind!r}")
    if not db_path.is_file():
        raise BackupError(DB_MISSING, str(db_path))
    created_at = _utc(now).replace(microsecond=0)
    try:
        backups_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # e.g. the chosen folder was on a USB drive that is not plugged in
        raise BackupError(BACKUP_FAILED, f"{backups_dir}: {exc}") from exc
    tmp = backups_dir / f".peyvand-{uuid.uuid4().hex}.tmp"
    try:
        try:
            _sqlite_copy(db_path, tmp, single_file=True)
        except sqlite3.Error as exc:
            raise BackupError(BACKUP_FAILED, str(exc)) from exc
        problems = verify_database(tmp, full=True)
        if problems:
            raise BackupError(BACKUP_DAMAGED, "; ".join(problems))
        final = _unique_path(backups_dir, f"peyvand-{created_at:{_STAMP}}-{kind}")
        os.replace(tmp, final)
    finally:
        tmp.unlink(missing_ok=True)  # no-op after a successful rename
    return BackupInfo(final, kind, created_at, final.stat().st_size)


def list_backups(backups_dir: Path) -> list[BackupInfo]:
    """Backups in the folder, newest first; files not named like a backup are ignored."""
    if not backups_dir.is_dir():
        return []
    found = []
    for path in backups_dir.iterdir():
        match = _NAME_RE.match(path.name)
        if match and path.is_file():
            created_at = datetime.strptime(match["stamp"], _STAMP).replace(tzinfo=UTC)
            stat = path.stat()
            info = BackupInfo(path, match["kind"], created_at, stat.st_size)
            # Copies of different kinds can share one second; the write time orders them.
            found.append(((created_at, int(match["seq"] or 1), stat.st_mtime_ns), info))
    found.sort(key=lambda item: item[0], reverse=True)
    return [info for _, info in found]


def prune_backups(
    backups_dir: Path,
    keep_daily: int = 7,
    keep_weekly: int = 4,
    keep_pre_migration: int = 10,
) -> list[Path]:
    """Delete old rotating copies and return the deleted paths.

    Policy: keep the newest ``keep_daily`` daily, ``keep_weekly`` weekly and
    ``keep_pre_migration`` pre-migration copies. Manual and pre-restore copies are
    never deleted: the user made them on purpose, or they hold the data a restore
    replaced. Call this only after a new backup was verified, so a failing backup never
    costs an older good one. Temporary files of copies that were cut short go too.
    """
    limits = {
        "daily": keep_daily,
        "weekly": keep_weekly,
        "pre-migration": keep_pre_migration,
    }
    seen = dict.fromkeys(limits, 0)
    removed = []
    for info in list_backups(backups_dir):
        if info.kind not in limits:
            continue
        seen[info.kind] += 1
        if seen[info.kind] > limits[info.kind]:
            try:
                info.path.unlink()
            except OSError:
                # e.g. a virus scanner holds it open on Windows; the next prune retries.
                continue
            removed.append(info.path)
    _remove_stale_temps(backups_dir)
    return removed


def ensure_daily_backup(db_path: Path, backups_dir: Path, now: datetime | None = None) -> BackupInfo | None:
    """At the first start of a local day make the "daily" backup, then prune.

    The first daily backup of a week (weeks start on Saturday) is also copied as a
    "weekly" one. Returns None when today's copy already exists or there is no database
    yet. A damaged database raises ``BackupError`` (the start-up code offers a restore).
    """
    if not db_path.is_file():
        return None
    now = _utc(now)
    today = _local_date(now)
    existing = list_backups(backups_dir)
    if any(b.kind == "daily" and _local_date(b.created_at) == today for b in existing):
        return None
    info = backup_database(db_path, backups_dir, "daily", now)
    week_start = today - timedelta(days=(today.weekday() - _SATURDAY) % 7)
    if not any(b.kind == "weekly" and _local_date(b.created_at) >= week_start for b in existing):
        # A separate file, so daily and weekly copies rotate independently.
        backup_database(db_path, backups_dir, "weekly", now)
    prune_backups(backups_dir)
    return info


def newest_good_backup(backups_dir: Path) -> BackupInfo | None:
    """The newest backup of any kind that passes a full integrity check."""
    for info in list_backups(backups_dir):
        if not verify_database(info.path, full=True):
            return info
    return None


def restore_backup(backup_path: Path, db_path: Path, backups_dir: Path) -> Path | None:
    """Replace the database with a verified backup; returns the set-aside copy of the old one.

    The old database is kept first: a readable one as a verified "pre-restore" backup,
    a damaged one as a raw copy ``<name>-damaged-<UTC time>.db`` (not listed as a
    backup), after which its file and any stale ``-wal``/``-shm``/``-journal`` are
    removed, since SQLite would otherwise replay them into the restored data. Returns
    None only when there was no database file to keep. The restore itself goes through
    the backup API, so a WAL-mode target stays consistent and keeps its journal mode.
    Close the app's connections to the database first.
    """
    problems = verify_database(backup_path, full=True)
    if problems:
        raise BackupError(BACKUP_DAMAGED, "; ".join(problems))
    set_aside = None
    if db_path.is_file():
        if verify_database(db_path, full=True):
            set_aside = _set_aside_damaged(db_path, backups_dir)
        else:
            set_aside = backup_database(db_path, backups_dir, "pre-restore").path
    try:
        _sqlite_copy(backup_path, db_path)
    except sqlite3.Error as exc:
        raise BackupError(RESTORE_FAILED, str(exc)) from exc
    return set_aside


def _sqlite_copy(src_path: Path, dst_path: Path, single_file: bool = False) -> None:
    # Plain paths, not file: URIs, which SQLite cannot take for Windows UNC shares.
    with (
        closing(sqlite3.connect(src_path)) as src,
        closing(sqlite3.connect(dst_path)) as dst,
    ):
        src.backup(dst)
        if single_file:
            # The copy inherits WAL mode from the source; a backup should be one file.
            dst.execute("PRAGMA journal_mode=DELETE")


def _set_aside_damaged(db_path: Path, backups_dir: Path) -> Path:
    backups_dir.mkdir(parents=True, exist_ok=True)
    stamp = f"{_utc(None):{_STAMP}}"
    target = _unique_path(backups_dir, f"{db_path.stem}-damaged-{stamp}")
    shutil.copy2(db_path, target)
    # Only after the copy succeeded. Sidecars are normally already gone (opening the
    # file to check it lets SQLite replay or discard them), but a leftover one would be
    # replayed into the restored database.
    for suffix in ("-wal", "-shm", "-journal"):
        _sidecar(db_path, suffix).unlink(missing_ok=True)
    db_path.unlink()
    return target


def _remove_stale_temps(backups_dir: Path) -> None:
    # A copy cut short (the app killed, the machine switched off) leaves its temporary file,
    # as big as the database. Only old ones go: a young one may be another instance's copy.
    cutoff = datetime.now(UTC).timestamp() - _STALE_TEMP_SECONDS
    for path in backups_dir.glob(".peyvand-*.tmp"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            continue  # vanished meanwhile, or held open on Windows; the next prune retries


def _sidecar(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _unique_path(folder: Path, stem: str) -> Path:
    # Two app instances racing here would both write a verified copy of the same data,
    # so losing one of them to os.replace is harmless; no lock is needed.
    path, seq = folder / f"{stem}.db", 1
    while path.exists():
        seq += 1
        path = folder / f"{stem}-{seq}.db"
    return path


def _utc(moment: datetime | None) -> datetime:
    return datetime.now(UTC) if moment is None else moment.astimezone(UTC)


def _local_date(moment: datetime) -> date:
    return moment.astimezone().date()

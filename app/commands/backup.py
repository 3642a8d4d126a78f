"""`python -m app backup`: a verified copy of the SQLite database, made while the app may be open."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.commands.common import db_url, emit


def register(sub, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser("backup", parents=[common], help="تهیه نسخه پشتیبان از پایگاه داده")
    parser.add_argument("--to", type=Path, metavar="DIR", help="پوشه مقصد (پیش‌فرض: پوشه پشتیبان‌های برنامه)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from app.persian import format_datetime
    from app.services.admin.backup import DB_MISSING, BackupError, backup_database
    from app.services.admin.backup_jobs import NOT_SQLITE, sqlite_file, stored_backups_dir

    db_path = sqlite_file(db_url(args))
    if db_path is None:
        emit(args, {"ok": False, "error": NOT_SQLITE}, f"{NOT_SQLITE}.")
        return 2
    try:
        # The folder is read with plain sqlite3: no engine, no migration for a copy.
        info = backup_database(db_path, args.to or stored_backups_dir(db_path), "manual")
    except BackupError as exc:
        emit(args, {"ok": False, "error": exc.message, "detail": exc.detail}, f"{exc.message}.\n{exc.detail}")
        return 2 if exc.message == DB_MISSING else 1
    payload = {
        "ok": True,
        "path": str(info.path),
        "kind": info.kind,
        "created_at": info.created_at.isoformat(),
        "size_bytes": info.size_bytes,
    }
    # The path alone on the last line, so a script can take it without --json.
    text = f"نسخه پشتیبان در {format_datetime(info.created_at)} ساخته و بررسی شد:\n{info.path}"
    emit(args, payload, text)
    return 0

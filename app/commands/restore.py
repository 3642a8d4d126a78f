"""`python -m app restore FILE`: replace the SQLite database with a backup, after a confirmation."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.commands.common import db_url, emit

_YES = {"y", "yes", "ب", "بله", "آری"}


def register(sub, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser("restore", parents=[common], help="بازیابی پایگاه داده از نسخه پشتیبان")
    parser.add_argument("file", type=Path, metavar="FILE", help="فایل نسخه پشتیبان")
    parser.add_argument("--yes", action="store_true", help="بدون پرسیدن تأیید")
    parser.set_defaults(func=run)


def _fail(args: argparse.Namespace, message: str, detail: str = "", code: int = 1) -> int:
    emit(args, {"ok": False, "error": message, "detail": detail}, f"{message}\n{detail}".rstrip())
    return code


def _confirmed(db_path: Path, backup: Path) -> bool:
    # The question goes to stderr, so stdout stays clean for --json.
    print(
        f"پایگاه داده:\n{db_path}\nبا این نسخه پشتیبان جایگزین می‌شود:\n{backup}\n"
        "نسخه فعلی پیش از جایگزینی در پوشه پشتیبان‌ها نگه داشته می‌شود. "
        "برنامه پیوند را پیش از ادامه ببندید.\nادامه می‌دهید؟ (بله/خیر) [y/N] ",
        end="",
        file=sys.stderr,
        flush=True,
    )
    # An empty read is a closed stdin (a script without --yes): never restore unasked.
    return sys.stdin.readline().strip().lower() in _YES


def run(args: argparse.Namespace) -> int:
    from app.services.admin.backup import BackupError
    from app.services.admin.backup_jobs import NOT_SQLITE, check_backup_file, restore_file, sqlite_file

    db_path = sqlite_file(db_url(args))
    if db_path is None:
        return _fail(args, f"{NOT_SQLITE}.", code=2)
    backup: Path = args.file.absolute()
    if not backup.is_file():
        return _fail(args, f"فایل نسخه پشتیبان «{backup}» پیدا نشد.", code=2)
    try:
        # Refused before asking: nobody should confirm a restore that cannot happen.
        problems = check_backup_file(backup)
        if problems:
            return _fail(args, f"{problems[0]}؛ بازیابی انجام نشد.", "; ".join(problems[1:]))
        if not args.yes and not _confirmed(db_path, backup):
            return _fail(args, "بازیابی لغو شد.")
        kept = restore_file(db_path, backup)
    except BackupError as exc:
        return _fail(args, f"{exc.message}.", exc.detail)
    lines = ["پایگاه داده از نسخه پشتیبان بازیابی شد."]
    if kept is not None:
        lines.append(f"نسخه قبلی نگه داشته شد:\n{kept}")
    payload = {"ok": True, "database": str(db_path), "restored_from": str(backup), "kept": kept}
    emit(args, payload, "\n".join(lines))
    return 0

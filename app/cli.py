"""The command line: `python -m app` opens the GUI; subcommands are the admin jobs (app/commands)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app import config
from app.commands import activities, backup, check, demo, identities, opportunities, render, restore, server, users

DESCRIPTION = "پیوند: نرم‌افزار مدیریت ارتباط با مشتری. بدون فرمان، برنامه باز می‌شود."
# Each module: register(sub, common) and run(args).
COMMANDS = (demo, check, backup, restore, users, server, render, identities, opportunities, activities)


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        default=argparse.SUPPRESS,
        metavar="URL",
        help=f"نشانی پایگاه داده (پیش‌فرض: متغیر {config.DB_ENV} یا فایل SQLite کاربر)",
    )
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="خروجی JSON برای اسکریپت‌ها")
    parser = argparse.ArgumentParser(prog="python -m app", description=DESCRIPTION, parents=[common])
    parser.add_argument("--screenshot", type=Path, metavar="FILE.png", help="پنجره اصلی را ذخیره کن و خارج شو")
    parser.add_argument("--quit-when-shown", action="store_true", help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        command.register(sub, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")  # Persian output on a Windows console
    args = _parser().parse_args(argv)
    if args.command is not None:
        return args.func(args)
    from app.ui.app import run_gui

    return run_gui(config.resolve_db_url(getattr(args, "db", None)), args.screenshot, args.quit_when_shown)

"""The command line: `python -m app` opens the GUI; subcommands are the admin jobs (app/commands)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from app import config
from app.commands import (
    activities,
    backup,
    check,
    demo,
    identities,
    opportunities,
    persian_argparse,
    render,
    restore,
    server,
    sync,
    users,
)
from app.commands.failures import log_to_file, report_failure

DESCRIPTION = "پیوند: نرم‌افزار مدیریت ارتباط با مشتری. بدون فرمان، برنامه باز می‌شود."
# Each module: register(sub, common) and run(args).
COMMANDS = (demo, check, backup, restore, users, server, sync, render, identities, opportunities, activities)


def _size(text: str) -> tuple[int, int]:
    width, _, height = text.lower().partition("x")
    if not (width.isdigit() and height.isdigit()):
        raise argparse.ArgumentTypeError("اندازه باید به شکل پهنا×بلندی باشد، مثلاً 1366x768")
    # A window smaller than a dialog's minimum, or larger than any screen, is a typing mistake.
    if not (320 <= int(width) <= 16384 and 240 <= int(height) <= 16384):
        raise argparse.ArgumentTypeError("اندازه پنجره باید دست‌کم 320x240 و حداکثر 16384x16384 باشد")
    return int(width), int(height)


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        default=argparse.SUPPRESS,
        metavar="URL|FILE",
        help=f"نشانی پایگاه داده یا مسیر فایل SQLite (پیش‌فرض: متغیر {config.DB_ENV} یا فایل SQLite کاربر)",
    )
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="خروجی JSON برای اسکریپت‌ها")
    parser = argparse.ArgumentParser(prog="python -m app", description=DESCRIPTION, parents=[common])
    parser.add_argument("--screenshot", type=Path, metavar="FILE.png", help="پنجره اصلی را ذخیره کن و خارج شو")
    parser.add_argument("--size", type=_size, metavar="WxH", help="اندازه پنجره، مثلاً 1366x768")
    parser.add_argument("--quit-when-shown", action="store_true", help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        command.register(sub, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")  # Persian output on a Windows console
    persian_argparse.install()
    args = _parser().parse_args(argv)  # usage errors: a Persian message and exit code 2
    if args.command is not None:
        return _run_command(args)
    from app.ui.app import run_gui

    return run_gui(config.resolve_db_url(getattr(args, "db", None)), args.screenshot, args.quit_when_shown, args.size)


def _run_command(args: argparse.Namespace) -> int:
    """The one place a command's failure is caught: a Persian sentence on stderr, the traceback
    in the log file, exit code 1. A reader that stops early (`| head`) ends the command quietly."""
    log_to_file()
    try:
        code = args.func(args)
    except BrokenPipeError:
        _flush_stdout()
        return 1
    except KeyboardInterrupt:
        print("کار به درخواست شما متوقف شد.", file=sys.stderr)
        return 130
    except Exception as exc:
        print(report_failure(exc, args.command), file=sys.stderr)
        return 1
    return code if _flush_stdout() else 1


def _flush_stdout() -> bool:
    """Flush now, so a closed pipe shows here rather than as an error at the interpreter's exit.
    False when the reader is gone; later writes then go nowhere (Python's documented recipe)."""
    try:
        sys.stdout.flush()
        return True
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return False

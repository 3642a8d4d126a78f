"""The command line: `python -m app` opens the GUI; subcommands are the admin jobs."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from app import config

DESCRIPTION = "پیوند: نرم‌افزار مدیریت ارتباط با مشتری. بدون فرمان، برنامه باز می‌شود."


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        default=argparse.SUPPRESS,
        metavar="URL",
        help=f"نشانی پایگاه داده (پیش‌فرض: متغیر {config.DB_ENV} یا فایل SQLite کاربر)",
    )
    common.add_argument(
        "--json",
        action="store_true",
        default=argparse.SUPPRESS,
        help="خروجی JSON برای اسکریپت‌ها",
    )
    parser = argparse.ArgumentParser(prog="python -m app", description=DESCRIPTION, parents=[common])
    parser.add_argument(
        "--screenshot",
        type=Path,
        metavar="FILE.png",
        help="پنجره اصلی را ذخیره کن و خارج شو",
    )
    parser.add_argument("--quit-when-shown", action="store_true", help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    demo = sub.add_parser("demo", parents=[common], help="ساخت داده‌های نمونه فارسی")
    demo.add_argument("--identities", type=int, default=500, metavar="N")
    demo.add_argument("--opportunities", type=int, default=150, metavar="M")
    demo.add_argument("--seed", type=int, default=1405)
    sub.add_parser("check", parents=[common], help="بررسی سلامت پایگاه داده")
    return parser


def _emit(args: argparse.Namespace, payload: dict, text: str) -> None:
    print(json.dumps(payload, ensure_ascii=False, default=str) if getattr(args, "json", False) else text)


def cmd_demo(args: argparse.Namespace) -> int:
    from app.persian import format_number
    from app.services import migrations
    from app.services.demo import DemoBuilder
    from app.services.registry import Services

    services = Services.open(config.resolve_db_url(getattr(args, "db", None)))
    migrations.upgrade(services.db)
    services.users.ensure_admin()

    def progress(done: int, total: int, what: str) -> None:
        print(f"\r{what}: {done}/{total}", end="", file=sys.stderr, flush=True)

    result = DemoBuilder(services.db, seed=args.seed, progress=progress).run(
        args.identities, args.opportunities
    )
    print(file=sys.stderr)
    _emit(
        args,
        vars(result),
        f"داده‌های نمونه ساخته شد: {format_number(result.identities)} هویت، "
        f"{format_number(result.opportunities)} فرصت، {format_number(result.activities)} فعالیت، "
        f"{format_number(result.products)} محصول.",
    )
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from app.persian import format_number
    from app.services.database import Database
    from app.services.errors import ServiceError
    from app.services.maintenance import check_database

    try:
        db = Database(config.resolve_db_url(getattr(args, "db", None)), create=False)
    except ServiceError as exc:
        _emit(args, {"ok": False, "problems": [exc.message], "counts": {}}, exc.message)
        return 2
    report = check_database(db)
    lines = [
        f"هویت‌ها: {format_number(report.counts.get('identities', 0))}",
        f"فرصت‌ها: {format_number(report.counts.get('opportunities', 0))}",
        f"فعالیت‌ها: {format_number(report.counts.get('activities', 0))}",
    ]
    lines += (
        ["مشکلی پیدا نشد. پایگاه داده سالم است."]
        if report.ok
        else ["مشکلات:"] + [f"- {p}" for p in report.problems]
    )
    _emit(
        args,
        {"ok": report.ok, "problems": report.problems, "counts": report.counts},
        "\n".join(lines),
    )
    return 0 if report.ok else 1


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")  # Persian output on a Windows console
    args = _parser().parse_args(argv)
    if args.command == "demo":
        return cmd_demo(args)
    if args.command == "check":
        return cmd_check(args)
    from app.ui.app import run_gui

    return run_gui(
        config.resolve_db_url(getattr(args, "db", None)),
        args.screenshot,
        args.quit_when_shown,
    )

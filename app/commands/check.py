"""`python -m app check`: integrity of the database, with a Persian summary."""

from __future__ import annotations

import argparse

from app.commands.common import db_url, emit


def register(sub, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser("check", parents=[common], help="بررسی سلامت پایگاه داده")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from app.persian import format_number
    from app.services.admin.maintenance import check_database
    from app.services.core.database import Database
    from app.services.core.errors import ServiceError

    try:
        db = Database(db_url(args), create=False)
    except ServiceError as exc:
        emit(args, {"ok": False, "problems": [exc.message], "counts": {}}, exc.message)
        return 2
    report = check_database(db)
    names = {"identities": "هویت‌ها", "opportunities": "فرصت‌ها", "activities": "فعالیت‌ها"}
    lines = [f"{label}: {format_number(report.counts.get(key, 0))}" for key, label in names.items()]
    if report.ok:
        lines.append("مشکلی پیدا نشد. پایگاه داده سالم است.")
    else:
        lines += ["مشکلات:"] + [f"- {problem}" for problem in report.problems]
    emit(args, {"ok": report.ok, "problems": report.problems, "counts": report.counts}, "\n".join(lines))
    return 0 if report.ok else 1

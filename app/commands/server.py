"""`python -m app server ...`: setting up the office server (PostgreSQL)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.commands.common import db_url, emit


def register(sub, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser("server", help="راه‌اندازی سرور اداره (PostgreSQL)")
    actions = parser.add_subparsers(dest="server_command", metavar="ACTION", required=True)
    imp = actions.add_parser("import-sqlite", parents=[common], help="انتقال پایگاه داده تک‌کاربره به سرور")
    imp.add_argument("file", type=Path, metavar="FILE")
    imp.set_defaults(func=run_import)


def run_import(args: argparse.Namespace) -> int:
    from app.persian import format_number
    from app.services.database import Database
    from app.services.errors import ServiceError
    from app.services.server_import import import_sqlite

    try:
        source = Database(f"sqlite:///{args.file.resolve().as_posix()}", create=False)
        counts = import_sqlite(source, Database(db_url(args)))
    except ServiceError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    ok = all(c.ok for c in counts)
    lines = [f"{c.table}: {format_number(c.source)} ← {format_number(c.server)}" for c in counts if c.source]
    lines.append("همه رکوردها منتقل شد." if ok else "برخی رکوردها منتقل نشد!")
    emit(args, {"ok": ok, "tables": [vars(c) for c in counts]}, "\n".join(lines))
    return 0 if ok else 1

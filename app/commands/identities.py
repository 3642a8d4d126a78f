"""`python -m app identities import|search|export`: identities from and to spreadsheets, and the quick search."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.commands.common import emit, open_services


def register(sub, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser("identities", parents=[common], help="ورود، خروجی و جستجوی هویت‌ها")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    imp = actions.add_parser("import", parents=[common], help="ورود هویت‌ها از فایل CSV یا XLSX")
    imp.add_argument("file", type=Path, metavar="FILE")
    imp.add_argument("--on-duplicate", choices=("skip", "merge", "create"), default="skip")
    imp.add_argument("--report", type=Path, metavar="FILE", help="گزارش ردیف‌های ردشده (XLSX یا CSV)")
    imp.set_defaults(func=run_import)

    search = actions.add_parser("search", parents=[common], help="جستجوی سریع هویت‌ها")
    search.add_argument("text", metavar="TEXT")
    search.add_argument("--limit", type=int, default=20, metavar="N")
    search.set_defaults(func=run_search)

    export = actions.add_parser("export", parents=[common], help="خروجی همه هویت‌ها به XLSX یا CSV")
    export.add_argument("file", type=Path, metavar="FILE")
    export.set_defaults(func=run_export)


def _fail(args: argparse.Namespace, message: str, code: int = 2) -> int:
    emit(args, {"ok": False, "error": message}, message)
    return code


def run_import(args: argparse.Namespace) -> int:
    from app.persian import format_number
    from app.services.core.actor import SYSTEM
    from app.services.core.errors import ServiceError
    from app.services.identities.importer import write_error_report

    try:
        services = open_services(args)
        table = services.identity_import.read(args.file)
        mapping = services.identity_import.guess_mapping(table.headers)

        def progress(done: int, total: int, message: str) -> None:
            if not getattr(args, "json", False):
                print(f"\r{message:<60}", end="", file=sys.stderr, flush=True)

        result = services.identity_import.run(SYSTEM, table, mapping, args.on_duplicate, progress)
        if not getattr(args, "json", False):
            print(file=sys.stderr)
        if args.report is not None and result.errors:
            write_error_report(args.report, table, result.errors)
    except ServiceError as exc:
        return _fail(args, exc.message)
    except OSError as exc:
        return _fail(args, f"فایل خوانده یا نوشته نشد: {exc.strerror or exc}")
    payload = {
        "ok": True,
        "total": result.total,
        "created": result.created,
        "merged": result.merged,
        "skipped": result.skipped,
        "failed": result.failed,
        "errors": [{"row": e.row_number, "reason": e.reason} for e in result.errors],
    }
    n = format_number
    lines = [
        f"از {n(result.total)} ردیف: {n(result.created)} هویت تازه، {n(result.merged)} ادغام، "
        f"{n(result.skipped)} تکراری ردشده، {n(result.failed)} ردیف با خطا."
    ]
    lines += [f"ردیف {n(e.row_number)}: {e.reason}" for e in result.errors[:20]]
    if len(result.errors) > 20:
        lines.append(f"… و {n(len(result.errors) - 20)} خطای دیگر" + (" (در گزارش)" if args.report else ""))
    emit(args, payload, "\n".join(lines))
    return 0


def run_search(args: argparse.Namespace) -> int:
    from app.persian import to_persian_digits
    from app.services.core.actor import SYSTEM
    from app.services.core.errors import ServiceError
    from app.services.core.labels import ROLE
    from app.services.identities.service import IdentityQuery

    try:
        services = open_services(args)
        rows = services.identities.search(SYSTEM, IdentityQuery(text=args.text), 0, max(1, args.limit))
        total = services.identities.count(SYSTEM, IdentityQuery(text=args.text))
        phones = _phones(services, [r.id for r in rows])
    except ServiceError as exc:
        return _fail(args, exc.message)
    hits = [
        {"id": str(r.id), "display_name": r.display_name, "role": r.role.value, "phones": phones.get(r.id, [])}
        for r in rows
    ]
    lines = [f"{to_persian_digits(str(total))} مورد"]
    for r in rows:
        numbers = "، ".join(to_persian_digits(p) for p in phones.get(r.id, []))
        lines.append(f"{r.display_name} ({ROLE[r.role]}) {numbers}".rstrip())
    emit(args, {"total": total, "hits": hits}, "\n".join(lines))
    return 0


def _phones(services, ids: list) -> dict:
    from sqlalchemy import select

    from app.models import IdentityPhone
    from app.services.core.actor import SYSTEM

    found: dict = {}
    if not ids:
        return found
    with services.db.read(SYSTEM) as s:
        stmt = (
            select(IdentityPhone.identity_id, IdentityPhone.number)
            .where(IdentityPhone.identity_id.in_(ids), IdentityPhone.deleted_at.is_(None))
            .order_by(IdentityPhone.position)
        )
        for identity_id, number in s.execute(stmt):
            found.setdefault(identity_id, []).append(number)
    return found


def run_export(args: argparse.Namespace) -> int:
    from app.persian import format_number
    from app.services.core.actor import SYSTEM
    from app.services.core.errors import ServiceError
    from app.services.identities.service import IdentityQuery

    if args.file.suffix.lower() not in (".xlsx", ".csv"):
        return _fail(args, "پسوند فایل خروجی باید xlsx یا csv باشد.")
    try:
        count = open_services(args).identity_export.export(SYSTEM, IdentityQuery(), args.file)
    except ServiceError as exc:
        return _fail(args, exc.message)
    emit(
        args,
        {"ok": True, "exported": count, "file": str(args.file)},
        f"{format_number(count)} هویت در «{args.file}» ذخیره شد.",
    )
    return 0

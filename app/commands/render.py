"""`python -m app render KIND NUMBER [--year 1405] -o FILE.pdf`: print a document to a PDF file."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.commands.common import emit, open_services

KINDS = {
    "quote": "پیش‌فاکتور",
    "invoice": "صورتحساب",
    "contract": "قرارداد مالی",
    "return": "برگشت از فروش",
    "receipt": "دریافت",
    "payment": "پرداخت",
}


def register(sub, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser("render", parents=[common], help="ذخیره پیش‌فاکتور، صورتحساب، برگشت یا رسید به PDF")
    parser.add_argument("kind", choices=list(KINDS), help="نوع سند")
    parser.add_argument("number", help="شماره سند")
    parser.add_argument("--year", type=int, default=None, help="سال مالی (پیش‌فرض: آخرین سالی که این شماره را دارد)")
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.pdf", help="فایل خروجی")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from app.persian import to_ascii_digits, to_persian_digits
    from app.services.core.actor import SYSTEM
    from app.services.core.errors import ServiceError

    what = KINDS[args.kind]
    number = to_ascii_digits(args.number).strip()
    if not number.isdigit():
        emit(args, {"ok": False, "error": "bad number"}, f"شماره «{args.number}» عدد نیست.")
        return 2
    try:
        services = open_services(args)
        record_id = services.printing.find(SYSTEM, args.kind, int(number), args.year)
        pdf = services.printing.pdf(SYSTEM, args.kind, record_id)
    except ServiceError as exc:
        emit(args, {"ok": False, "error": exc.message}, exc.message)
        return 1
    target = args.output
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(pdf)
    services.db.dispose()
    payload = {"ok": True, "kind": args.kind, "number": int(number), "id": str(record_id), "file": str(target)}
    emit(args, payload, f"{what} شماره {to_persian_digits(number)} در «{target}» ذخیره شد.")
    return 0

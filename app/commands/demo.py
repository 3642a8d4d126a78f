"""`python -m app demo`: realistic Persian sample data."""

from __future__ import annotations

import argparse
import sys

from app.commands.common import db_url, emit
from app.commands.persian_argparse import non_negative_int, positive_int

LABELS = {
    "identities": "هویت",
    "opportunities": "فرصت",
    "activities": "فعالیت",
    "products": "محصول",
    "quotes": "پیش‌فاکتور",
    "invoices": "فاکتور",
    "contracts": "قرارداد",
    "receipts": "دریافت",
    "returns": "برگشت از فروش",
}


def register(sub, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser("demo", parents=[common], help="ساخت داده‌های نمونه فارسی")
    # Opportunities and activities need someone to belong to: at least one identity.
    parser.add_argument("--identities", type=positive_int, default=500, metavar="N", help="تعداد هویت‌ها (دست‌کم ۱)")
    parser.add_argument("--opportunities", type=non_negative_int, default=150, metavar="M", help="تعداد فرصت‌ها")
    parser.add_argument("--seed", type=int, default=1405, help="عدد آغاز تصادفی، برای داده‌های تکرارپذیر")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from app.persian import format_number
    from app.services.core import migrations
    from app.services.core.registry import Services
    from app.services.demo import DemoBuilder

    services = Services.open(db_url(args))
    migrations.upgrade(services.db)
    services.users.ensure_admin()

    def progress(done: int, total: int, what: str) -> None:
        print(f"\r{what}: {done}/{total}", end="", file=sys.stderr, flush=True)

    try:
        counts = DemoBuilder(services.db, seed=args.seed, progress=progress).run(args.identities, args.opportunities)
    finally:
        print(file=sys.stderr)  # end the progress line, also before an error message
    made = "، ".join(f"{format_number(n)} {LABELS.get(kind, kind)}" for kind, n in counts.items())
    emit(args, counts, f"داده‌های نمونه ساخته شد: {made}.")
    return 0

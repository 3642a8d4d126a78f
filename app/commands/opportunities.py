"""`python -m app opportunities list [--stage S] [--status open|won|lost|all] [--json]`."""

from __future__ import annotations

import argparse
import sys

from app.commands.common import emit, open_services

STATUSES = ("open", "won", "lost", "all")


def register(sub, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser("opportunities", parents=[common], help="فرصت‌های فروش")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", parents=[common], help="فهرست فرصت‌ها (پیش‌فرض: باز)")
    listing.add_argument("--stage", metavar="S", help="نام مرحله، مثلاً «مذاکره»")
    listing.add_argument("--status", choices=STATUSES, default="open", help="وضعیت (پیش‌فرض: open)")
    listing.add_argument("--limit", type=int, default=1000, metavar="N", help="حداکثر تعداد ردیف")
    listing.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from app.models.enums import OpportunityStatus
    from app.persian import format_date, format_number, normalize_text
    from app.services.core import migrations
    from app.services.core.actor import SYSTEM
    from app.services.core.labels import OPPORTUNITY_STATUS
    from app.services.opportunities.queries import OpportunityQuery

    services = open_services(args)
    migrations.upgrade(services.db)
    stage_id = None
    if args.stage:
        wanted = normalize_text(args.stage).strip()
        stages = [st for p in services.pipelines.pipelines(SYSTEM) for st in p.stages if st.name == wanted]
        if not stages:
            print(f"مرحله «{wanted}» پیدا نشد.", file=sys.stderr)
            return 2
        stage_id = stages[0].id
    status = None if args.status == "all" else OpportunityStatus(args.status)
    query = OpportunityQuery(status=status, stage_id=stage_id, sort="title")
    rows = services.opportunities.search(SYSTEM, query, 0, args.limit)
    total = services.opportunities.count(SYSTEM, query)
    payload = [
        {
            "id": str(r.id),
            "title": r.title,
            "identity": r.identity_name,
            "stage": r.stage_name,
            "status": r.status.value,
            "amount": r.amount,
            "probability": r.probability,
            "weighted_amount": r.weighted_amount,
            "owner": r.owner_name,
            "expected_close": r.expected_close.isoformat() if r.expected_close else None,
        }
        for r in rows
    ]
    lines = [
        f"{r.title} — {r.identity_name} — {r.stage_name} ({OPPORTUNITY_STATUS[r.status]}) — "
        f"{format_number(r.amount)} ریال — {format_number(r.probability)}٪ — {format_date(r.expected_close) or '—'}"
        for r in rows
    ]
    lines.append(f"{format_number(total)} فرصت")
    emit(args, payload, "\n".join(lines))
    return 0

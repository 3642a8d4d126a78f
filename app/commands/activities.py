"""`python -m app activities due [--user LOGIN] [--json]`: planned activities due by the end of today."""

from __future__ import annotations

import argparse

from app.commands.common import emit, open_services


def register(sub, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser("activities", parents=[common], help="فعالیت‌ها")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    due = actions.add_parser("due", parents=[common], help="فعالیت‌های عقب‌افتاده و امروز")
    due.add_argument("--user", metavar="LOGIN", help="فقط فعالیت‌های این کاربر (پیش‌فرض: همه کاربران)")
    due.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from app.models import utcnow
    from app.persian import format_datetime, format_number
    from app.services.activities.cardboard import local_day_bounds_utc, local_tz
    from app.services.core.actor import SYSTEM
    from app.services.core.errors import ServiceError
    from app.services.core.labels import ACTIVITY_KIND

    try:
        services = open_services(args)
        now = utcnow()
        rows = services.activities.due(SYSTEM, login=args.user, now=now)
    except ServiceError as exc:
        emit(args, {"ok": False, "error": exc.message}, exc.message)
        return 2
    today_start, _ = local_day_bounds_utc(now.astimezone(local_tz()).date())
    payload = [
        {
            "id": str(r.id),
            "kind": r.kind.value,
            "summary": r.summary,
            "due_at": r.due_at.isoformat(),
            "overdue": r.due_at < today_start,
            "assignee": r.assignee_name,
            "identity": r.identity_name,
            "opportunity": r.opportunity_title,
        }
        for r in rows
    ]
    lines = [f"{format_number(len(rows))} فعالیت تا پایان امروز:"] if rows else ["فعالیتی برای امروز نمانده است."]
    for r, item in zip(rows, payload, strict=True):
        mark = "عقب‌افتاده" if item["overdue"] else "امروز"
        where = r.identity_name + (f" / {r.opportunity_title}" if r.opportunity_title else "")
        who = f" — {r.assignee_name}" if r.assignee_name else ""
        lines.append(f"- [{mark}] {format_datetime(r.due_at)} {ACTIVITY_KIND[r.kind]}: {r.summary} ({where}){who}")
    emit(args, payload, "\n".join(lines))
    return 0

"""The sync's words in the window: how long ago, and the status bar's line (pure functions)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from app.persian import format_datetime, format_number

if TYPE_CHECKING:
    from app.services.sync.service import SyncReport

SYNC_LABEL = "همگام‌سازی"
# Not «·»: beside a Persian digit a middle dot reads as the digit zero («۱ ·» looked like «۱۰»).
SEPARATOR = "، "
NEVER = "هنوز انجام نشده"


def relative_time(when: dt.datetime | None, now: dt.datetime | None = None) -> str:
    """UTC moment → «همین حالا», «۵ دقیقه پیش», «۳ ساعت پیش», «دیروز» … then the Jalali date and time."""
    if when is None:
        return NEVER
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    now = now or dt.datetime.now(dt.UTC)
    minutes = int((now - when).total_seconds() // 60)
    if minutes < 1:
        return "همین حالا"
    if minutes < 60:
        return f"{format_number(minutes)} دقیقه پیش"
    if minutes < 24 * 60:
        return f"{format_number(minutes // 60)} ساعت پیش"
    if minutes < 7 * 24 * 60:
        days = minutes // (24 * 60)
        return "دیروز" if days == 1 else f"{format_number(days)} روز پیش"
    return format_datetime(when)


def status_line(last_sync_at: dt.datetime | None, waiting: int, now: dt.datetime | None = None) -> str:
    """«همگام‌سازی: ۵ دقیقه پیش، ۳ تغییر در صف» (the queue part only when something waits)."""
    parts = [f"{SYNC_LABEL}: {relative_time(last_sync_at, now)}"]
    if waiting:
        parts.append(f"{format_number(waiting)} تغییر در صف")
    return SEPARATOR.join(parts)


def conflicts_part(conflicts: int) -> str:
    """«۱ تعارض», empty when none is open."""
    return f"{format_number(conflicts)} تعارض" if conflicts else ""


def report_text(report: SyncReport) -> str:
    """«۳ تغییر فرستاده شد، ۱۲ تغییر از دفتر رسید، ۱ تعارض»."""
    parts = [f"{format_number(report.pushed)} تغییر فرستاده شد", f"{format_number(report.pulled)} تغییر از دفتر رسید"]
    if report.conflicts:
        parts.append(f"{format_number(report.conflicts)} تعارض؛ آن‌ها را از نوار وضعیت ببینید")
    return "، ".join(parts) + "."

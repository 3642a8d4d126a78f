"""What the opportunity form writes about a closed or assigned deal: its result and its days."""

from __future__ import annotations

from app.models import OpportunityStatus
from app.persian import format_number
from app.services.core.labels import OPPORTUNITY_STATUS
from app.services.opportunities.data import OpportunityDetail
from app.ui import format as fmt


def result_text(d: OpportunityDetail | None, competitor: str) -> str:
    """What the won/lost dialog recorded, read-only (restoring clears it); «—» while open."""
    if d is None or not d.closed_on:
        return "—"
    parts = [
        f"{OPPORTUNITY_STATUS[d.status]} در {fmt.date(d.closed_on)}",
        f"{format_number(d.days_to_close)} روز تا بستن",
    ]
    if d.close_reason:
        parts.append(f"دلیل: {d.close_reason}")
    if d.won_amount is not None and d.status is OpportunityStatus.WON:
        parts.append(f"مبلغ نهایی: {format_number(d.won_amount)} ریال")
    lines = [" · ".join(parts)]
    if competitor:
        lines.append(f"رقیب برنده: {competitor}")
    if d.close_note:
        lines.append(f"یادداشت: {d.close_note}")
    return "\n".join(lines)


def analysis_text(d: OpportunityDetail | None) -> str:
    """«تاریخ تخصیص … · ۸ روز تا تخصیص · ۱۲ روز تا بستن» (the days computed in SQL by the service)."""
    if d is None or d.assigned_at is None:
        return "—"
    parts = [f"تخصیص در {fmt.date(d.assigned_at.astimezone().date())}"]
    if d.days_to_assign is not None:
        parts.append(f"{format_number(d.days_to_assign)} روز تا تخصیص")
    if d.days_to_close is not None:
        parts.append(f"{format_number(d.days_to_close)} روز تا بستن")
    return " · ".join(parts)

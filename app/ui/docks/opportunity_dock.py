"""The opportunities dock's content (فرصت‌ها): open opportunities as a lazy list."""

from __future__ import annotations

from app.services.actor import Actor
from app.services.opportunities import OpportunityQuery
from app.services.registry import Services
from app.ui import format as fmt
from app.ui.docks.list_panel import ListPanel
from app.ui.models.lazy_table import Column

COLUMNS = [
    Column("title", "عنوان", lambda r: r.title, "title"),
    Column("identity_name", "هویت مرتبط", lambda r: r.identity_name, "identity_name"),
    Column("stage_name", "مرحله", lambda r: r.stage_name, "stage_name"),
    Column("amount", "مبلغ (ریال)", lambda r: fmt.number(r.amount), "amount"),
    Column("probability", "احتمال", lambda r: fmt.percent(r.probability), "probability"),
    Column("priority", "اولویت", lambda r: "★" * r.priority, "priority"),
    Column("owner_name", "مسئول", lambda r: r.owner_name or "", "owner_name"),
    Column("expected_close", "تاریخ پیش‌بینی بستن", lambda r: fmt.date(r.expected_close), "expected_close"),
]


def opportunity_panel(services: Services, actor: Actor) -> ListPanel:
    def query(text: str, key: str | None = None, desc: bool = False) -> OpportunityQuery:
        return OpportunityQuery(text=text, sort=key or "title", descending=desc)

    return ListPanel(
        COLUMNS,
        lambda text, _f, offset, limit, key, desc: services.opportunities.search(
            actor, query(text, key, desc), offset, limit
        ),
        lambda text, _f: services.opportunities.count(actor, query(text)),
        placeholder="جستجو در عنوان فرصت یا نام هویت…",
        empty_text="فرصت بازی وجود ندارد — از صفحه یک هویت، فرصت تازه‌ای بسازید.",
    )

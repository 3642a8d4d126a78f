"""The identities dock's content (هویت‌ها): quick search, role filter and a lazy list."""

from __future__ import annotations

from app.models.enums import IdentityRole
from app.services.actor import Actor
from app.services.identities import IdentityQuery
from app.services.labels import ROLE
from app.services.registry import Services
from app.ui import format as fmt
from app.ui.docks.list_panel import ListPanel
from app.ui.models.lazy_table import Column

COLUMNS = [
    Column("display_name", "نام", lambda r: r.display_name, "display_name"),
    Column("role", "نقش", lambda r: ROLE[r.role], "role"),
    Column("mobile", "تلفن همراه", lambda r: fmt.digits(r.mobile), "mobile", ltr=True),
    Column("city", "شهر", lambda r: r.city or "", "city"),
    Column("owner_name", "مسئول", lambda r: r.owner_name or "", "owner_name"),
    Column("created_at", "تاریخ ایجاد", lambda r: fmt.date(r.created_at), "created_at"),
]
FILTERS = [("همه", None)] + [(ROLE[role], role) for role in IdentityRole]


def identity_panel(services: Services, actor: Actor) -> ListPanel:
    def query(text: str, role, key: str | None = None, desc: bool = False) -> IdentityQuery:
        return IdentityQuery(text=text, role=role, sort=key or "display_name", descending=desc)

    return ListPanel(
        COLUMNS,
        lambda text, role, offset, limit, key, desc: services.identities.search(
            actor, query(text, role, key, desc), offset, limit
        ),
        lambda text, role: services.identities.count(actor, query(text, role)),
        placeholder="جستجو در نام، تلفن، کد ملی… (Ctrl+F)",
        empty_text="هنوز هویتی ثبت نشده — از اکسل وارد کنید یا یک هویت بسازید.",
        filters=FILTERS,
    )

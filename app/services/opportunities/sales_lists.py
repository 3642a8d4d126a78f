"""The admin's sales lists: opportunity types, sources, campaigns, media, win/loss reasons, competitors.

Everyone reads them (pick lists of the opportunity form); only an administrator changes them
(the access policy refuses anyone else at flush). An item in use is deactivated, never deleted,
so old opportunities keep their value.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import func, select

from app.models import Campaign, CloseReason, Competitor, Medium, OpportunityType, Product, Source
from app.models.enums import ReasonKind
from app.persian import normalize_text, search_key
from app.services.core.access import fetch
from app.services.core.actor import SYSTEM, Actor
from app.services.core.database import Database
from app.services.core.errors import AccessDenied, ValidationFailed
from app.services.opportunities.pipelines import ensure_default_pipeline
from app.services.opportunities.recurring import ensure_plans

# kind -> (model, reason kind for close reasons, Persian name of the list)
KINDS: dict[str, tuple[type, ReasonKind | None, str]] = {
    "types": (OpportunityType, None, "نوع فرصت"),
    "sources": (Source, None, "منبع"),
    "campaigns": (Campaign, None, "کمپین"),
    "media": (Medium, None, "وسیله ارتباطی"),
    "win_reasons": (CloseReason, ReasonKind.WIN, "دلیل موفقیت"),
    "loss_reasons": (CloseReason, ReasonKind.LOSS, "دلیل شکست"),
    "competitors": (Competitor, None, "رقیب"),
}
DEFAULTS = {
    "types": ("استاندارد", "سفارش انبوه", "تحویل", "سفارش مخصوص"),
    "win_reasons": ("قیمت مناسب", "کیفیت خدمات پس از فروش", "سابقه همکاری", "تحویل سریع"),
    "loss_reasons": ("قیمت بالا", "انتخاب رقیب", "لغو بودجه", "عدم پاسخ مشتری"),
}
OTHER_PRODUCT = "سایر"
DENIED = "فقط مدیر می‌تواند فهرست‌ها را تغییر دهد."


@dataclass(frozen=True)
class ListItem:
    id: uuid.UUID
    name: str
    is_active: bool
    position: int


def _scoped(kind: str):
    model, reason, _ = KINDS[kind]
    conditions = [model.deleted_at.is_(None)]
    if reason is not None:
        conditions.append(model.kind == reason)
    return model, reason, conditions


def ensure_sales_defaults(db: Database) -> None:
    """The default pipeline, opportunity types, reasons, recurring plans and the built-in «سایر» product.
    Idempotent."""
    ensure_default_pipeline(db)
    with db.write(SYSTEM) as s:
        ensure_plans(s)
        for kind, names in DEFAULTS.items():
            model, reason, conditions = _scoped(kind)
            if s.scalar(select(func.count()).select_from(model).where(*conditions)):
                continue
            for position, name in enumerate(names):
                item = model(name=name, position=position)
                if reason is not None:
                    item.kind = reason
                s.add(item)
        if s.scalar(select(Product.id).where(Product.is_other.is_(True)).limit(1)) is None:
            s.add(
                Product(
                    code="0",
                    name=OTHER_PRODUCT,
                    name_key=search_key(OTHER_PRODUCT),
                    is_other=True,
                    track_stock=False,
                    default_price=0,
                )
            )


class SalesListService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def items(self, actor: Actor, kind: str, include_inactive: bool = False) -> list[ListItem]:
        """One list's items in the admin's order. Anyone; reads only."""
        model, _, conditions = _scoped(kind)
        if not include_inactive:
            conditions.append(model.is_active.is_(True))
        stmt = select(model).where(*conditions).order_by(model.position, model.name)
        with self._db.read(actor) as s:
            return [ListItem(i.id, i.name, i.is_active, i.position) for i in s.scalars(stmt)]

    def save_item(
        self, actor: Actor, kind: str, name: str, item_id: uuid.UUID | None = None, is_active: bool = True
    ) -> uuid.UUID:
        """Adds or renames an item (ValidationFailed on an empty or repeated name). Admin only; writes."""
        if not actor.is_admin:
            raise AccessDenied(DENIED)
        model, reason, conditions = _scoped(kind)
        name = normalize_text(name or "").strip()
        if not name:
            raise ValidationFailed({"name": "نام را وارد کنید."})
        with self._db.write(actor) as s:
            same = s.scalars(select(model).where(*conditions, model.name == name, model.id != item_id)).first()
            if same is not None:
                raise ValidationFailed({"name": f"«{name}» در فهرست {KINDS[kind][2]} هست."})
            if item_id is None:
                last = s.scalar(select(func.max(model.position)).where(*conditions))
                item = model(name=name, position=(last or 0) + 1)
                if reason is not None:
                    item.kind = reason
                s.add(item)
            else:
                item = fetch(s, model, item_id, KINDS[kind][2])
                item.name = name
            item.is_active = is_active
            s.flush()
            return item.id

    def move_item(self, actor: Actor, kind: str, item_id: uuid.UUID, delta: int) -> None:
        """Moves an item up (-1) or down (+1) in its list. Admin only; writes."""
        if not actor.is_admin:
            raise AccessDenied(DENIED)
        model, _, conditions = _scoped(kind)
        with self._db.write(actor) as s:
            fetch(s, model, item_id, KINDS[kind][2])
            items = list(s.scalars(select(model).where(*conditions).order_by(model.position, model.name)))
            index = next(i for i, item in enumerate(items) if item.id == item_id)
            target = max(0, min(len(items) - 1, index + delta))
            items.insert(target, items.pop(index))
            for position, item in enumerate(items):
                if item.position != position:
                    item.position = position

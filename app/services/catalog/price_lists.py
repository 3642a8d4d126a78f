"""Price lists (لیست قیمت: retail, wholesale ...) with one price per product.

Everyone reads them; only an administrator changes them. One list may be the default: it
prices lines of identities that have no list of their own (see products.price_of).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import func, select, update

from app.models import Identity, PriceList, PriceListItem, Product, utcnow
from app.persian import normalize_text, sort_key
from app.services.core.access import fetch
from app.services.core.actor import Actor
from app.services.core.database import Database
from app.services.core.errors import AccessDenied, ValidationFailed

DENIED = "فقط مدیر می‌تواند لیست‌های قیمت را تغییر دهد."


@dataclass(frozen=True)
class PriceListRow:
    id: uuid.UUID
    name: str
    is_default: bool
    is_active: bool
    item_count: int


@dataclass(frozen=True)
class PriceRow:
    product_id: uuid.UUID
    code: str
    name: str
    default_price: int
    price: int | None  # None: not on this list (the product's default price applies)


class PriceListService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def lists(self, actor: Actor, include_inactive: bool = True) -> list[PriceListRow]:
        """Price lists, the default first, with how many prices each holds. Anyone; reads only."""
        counts = (
            select(PriceListItem.price_list_id, func.count().label("n"))
            .where(PriceListItem.deleted_at.is_(None))
            .group_by(PriceListItem.price_list_id)
            .subquery()
        )
        stmt = (
            select(PriceList, func.coalesce(counts.c.n, 0))
            .outerjoin(counts, counts.c.price_list_id == PriceList.id)
            .where(PriceList.deleted_at.is_(None))
        )
        if not include_inactive:
            stmt = stmt.where(PriceList.is_active.is_(True))
        with self._db.read(actor) as s:
            rows = [PriceListRow(p.id, p.name, p.is_default, p.is_active, n) for p, n in s.execute(stmt)]
        return sorted(rows, key=lambda r: (not r.is_default, sort_key(r.name)))  # a few: the default first

    def save_list(
        self,
        actor: Actor,
        name: str,
        list_id: uuid.UUID | None = None,
        is_default: bool = False,
        is_active: bool = True,
    ) -> uuid.UUID:
        """Adds or edits a list; making one the default unmarks the others. Admin only; writes."""
        if not actor.is_admin:
            raise AccessDenied(DENIED)
        name = normalize_text(name or "").strip()
        if not name:
            raise ValidationFailed({"name": "نام لیست قیمت را وارد کنید."})
        with self._db.write(actor) as s:
            clash = s.scalar(
                select(PriceList.id).where(
                    PriceList.name == name, PriceList.deleted_at.is_(None), PriceList.id != list_id
                )
            )
            if clash is not None:
                raise ValidationFailed({"name": f"لیست قیمت «{name}» هست."})
            price_list = PriceList(name=name) if list_id is None else fetch(s, PriceList, list_id, "لیست قیمت")
            s.add(price_list)
            if is_default:
                for other in s.scalars(select(PriceList).where(PriceList.is_default.is_(True))):
                    if other is not price_list:
                        other.is_default = False
            price_list.name, price_list.is_default, price_list.is_active = name, is_default, is_active
            s.flush()
            return price_list.id

    def delete_list(self, actor: Actor, list_id: uuid.UUID) -> None:
        """Soft-deletes a list; identities that used it fall back to the default. Admin only; writes."""
        if not actor.is_admin:
            raise AccessDenied(DENIED)
        with self._db.write(actor) as s:
            fetch(s, PriceList, list_id, "لیست قیمت").deleted_at = utcnow()
            s.execute(
                update(Identity)
                .where(Identity.price_list_id == list_id)
                .values(price_list_id=None)
                .execution_options(synchronize_session=False, skip_access=True)
            )

    def prices(self, actor: Actor, list_id: uuid.UUID) -> list[PriceRow]:
        """Every active product with its price on this list (None if absent), by code. Anyone; reads only."""
        item = (
            select(PriceListItem.product_id, PriceListItem.price)
            .where(PriceListItem.price_list_id == list_id, PriceListItem.deleted_at.is_(None))
            .subquery()
        )
        stmt = (
            select(Product.id, Product.code, Product.name, Product.default_price, item.c.price)
            .outerjoin(item, item.c.product_id == Product.id)
            .where(Product.deleted_at.is_(None), Product.is_active.is_(True), Product.is_other.is_(False))
            .order_by(Product.code)
        )
        with self._db.read(actor) as s:
            fetch(s, PriceList, list_id, "لیست قیمت")
            return [PriceRow(*row) for row in s.execute(stmt)]

    def set_price(self, actor: Actor, list_id: uuid.UUID, product_id: uuid.UUID, price: int | None) -> None:
        """Sets a product's price on a list; None removes it from the list. Admin only; writes."""
        if not actor.is_admin:
            raise AccessDenied(DENIED)
        if price is not None and price < 0:
            raise ValidationFailed({"price": "قیمت نمی‌تواند منفی باشد."})
        with self._db.write(actor) as s:
            fetch(s, PriceList, list_id, "لیست قیمت")
            fetch(s, Product, product_id, "محصول")
            self._set(s, list_id, product_id, price)

    @staticmethod
    def _set(s, list_id: uuid.UUID, product_id: uuid.UUID, price: int | None) -> None:
        item = s.scalars(
            select(PriceListItem).where(
                PriceListItem.price_list_id == list_id,
                PriceListItem.product_id == product_id,
                PriceListItem.deleted_at.is_(None),
            )
        ).first()
        if price is None:
            if item is not None:
                item.deleted_at = utcnow()
        elif item is None:
            s.add(PriceListItem(price_list_id=list_id, product_id=product_id, price=price))
        elif item.price != price:
            item.price = price

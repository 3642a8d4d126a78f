"""Products and services (محصول / خدمت), their group tree, stock and prices.

Everyone reads the catalogue (pickers, the products screen); only an administrator changes it.
Frozen stock is the quantity on accepted quotes not yet invoiced (an issued invoice releases it).
"""

from __future__ import annotations

import decimal
import uuid
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from app.models import Identity, Invoice, PriceList, PriceListItem, Product, ProductGroup, Quote, QuoteLine, utcnow
from app.models.enums import DocumentState, QuoteState
from app.persian import normalize_text, search_key, sort_key, to_ascii_digits
from app.services.core.access import SKIP, fetch
from app.services.core.actor import Actor
from app.services.core.concurrency import ensure_version
from app.services.core.database import Database
from app.services.core.errors import AccessDenied, ServiceError, ValidationFailed

DENIED = "فقط مدیر می‌تواند محصولات و گروه‌ها را تغییر دهد."


@dataclass(frozen=True)
class GroupRow:
    id: uuid.UUID
    name: str
    parent_id: uuid.UUID | None


@dataclass(frozen=True)
class ProductQuery:
    text: str = ""  # name or code
    group_id: uuid.UUID | None = None  # this group and its sub-groups
    active_only: bool = True
    sort: str = "name"  # the catalogue and the completers: the Persian alphabet
    descending: bool = False


@dataclass(frozen=True)
class ProductData:
    code: str
    name: str
    group_id: uuid.UUID | None = None
    unit: str = "عدد"
    default_price: int = 0
    is_service: bool = False
    vat_exempt: bool = False
    track_stock: bool = True
    on_hand: decimal.Decimal | float | int = 0
    is_active: bool = True
    description: str | None = None
    sstid: str | None = None
    unit_code: str | None = None


@dataclass(frozen=True)
class ProductRow:
    id: uuid.UUID
    code: str
    name: str
    group_id: uuid.UUID | None
    group_name: str | None
    unit: str
    default_price: int
    is_service: bool
    vat_exempt: bool
    track_stock: bool
    on_hand: decimal.Decimal
    frozen: decimal.Decimal
    is_active: bool
    is_other: bool
    sstid: str | None
    unit_code: str | None
    description: str | None
    version: int

    @property
    def available(self) -> decimal.Decimal:
        return self.on_hand - self.frozen


_group = aliased(ProductGroup)
SORT_COLUMNS: dict[str, ColumnElement] = {
    "code": Product.code,
    "name": Product.name_sort,
    "group_name": _group.name,
    "default_price": Product.default_price,
    "on_hand": Product.on_hand,
}


def frozen_quantities(s: Session, product_ids: list[uuid.UUID] | None = None) -> dict[uuid.UUID, decimal.Decimal]:
    """Quantity per product on accepted quotes that no issued invoice has consumed yet.

    Counted over every quote, not only the actor's: stock is the whole office's.
    """
    invoiced = exists().where(
        Invoice.quote_id == Quote.id, Invoice.state == DocumentState.ISSUED, Invoice.deleted_at.is_(None)
    )
    stmt = (
        select(QuoteLine.product_id, func.sum(QuoteLine.quantity))
        .join(Quote, Quote.id == QuoteLine.quote_id)
        .where(
            Quote.state == QuoteState.ACCEPTED,
            Quote.deleted_at.is_(None),
            QuoteLine.deleted_at.is_(None),
            QuoteLine.product_id.is_not(None),
            ~invoiced,
        )
        .group_by(QuoteLine.product_id)
        .execution_options(**{SKIP: True})
    )
    if product_ids is not None:
        stmt = stmt.where(QuoteLine.product_id.in_(product_ids))
    return {pid: decimal.Decimal(str(qty or 0)) for pid, qty in s.execute(stmt)}


def group_and_descendants(s: Session, group_id: uuid.UUID) -> list[uuid.UUID]:
    rows = s.execute(select(ProductGroup.id, ProductGroup.parent_id).where(ProductGroup.deleted_at.is_(None))).all()
    children: dict = {}
    for gid, parent in rows:
        children.setdefault(parent, []).append(gid)
    found, todo = [], [group_id]
    while todo:
        gid = todo.pop()
        found.append(gid)
        todo.extend(children.get(gid, []))
    return found


def price_of(s: Session, product: Product, price_list_id: uuid.UUID | None, identity_id: uuid.UUID | None) -> int:
    """The unit price: the given price list, else the identity's, else the default list, else the product's."""
    candidates = [price_list_id]
    if identity_id is not None:
        candidates.append(s.scalar(select(Identity.price_list_id).where(Identity.id == identity_id)))
    candidates.append(
        s.scalar(
            select(PriceList.id).where(
                PriceList.is_default.is_(True), PriceList.is_active.is_(True), PriceList.deleted_at.is_(None)
            )
        )
    )
    for list_id in candidates:
        if list_id is None:
            continue
        price = s.scalar(
            select(PriceListItem.price).where(
                PriceListItem.price_list_id == list_id,
                PriceListItem.product_id == product.id,
                PriceListItem.deleted_at.is_(None),
            )
        )
        if price is not None:
            return price
    return product.default_price


def _filters(s: Session, query: ProductQuery) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [Product.deleted_at.is_(None)]
    if query.active_only:
        conditions.append(Product.is_active.is_(True))
    if query.group_id is not None:
        conditions.append(Product.group_id.in_(group_and_descendants(s, query.group_id)))
    key = search_key(query.text)
    if key:
        code = to_ascii_digits(query.text.strip())
        conditions.append(
            or_(Product.name_key.contains(key, autoescape=True), Product.code.startswith(code, autoescape=True))
        )
    return conditions


def _to_decimal(value) -> decimal.Decimal:
    return decimal.Decimal(str(value or 0))


class ProductService:
    def __init__(self, db: Database) -> None:
        self._db = db

    # --- reading ---------------------------------------------------------------------
    def groups(self, actor: Actor) -> list[GroupRow]:
        """The group tree as rows (parent before child is not guaranteed). Anyone; reads only."""
        with self._db.read(actor) as s:
            stmt = select(ProductGroup).where(ProductGroup.deleted_at.is_(None))
            groups = sorted(s.scalars(stmt), key=lambda g: (sort_key(g.name), g.id))  # a short list
            return [GroupRow(g.id, g.name, g.parent_id) for g in groups]

    def search(self, actor: Actor, query: ProductQuery, offset: int = 0, limit: int = 200) -> list[ProductRow]:
        """A page of products with on-hand and frozen stock; the picker uses it too. Anyone; reads only."""
        column = SORT_COLUMNS.get(query.sort, Product.name_sort)
        order = column.desc() if query.descending else column.asc()
        with self._db.read(actor) as s:
            stmt = (
                select(Product, _group.name)
                .outerjoin(_group, _group.id == Product.group_id)
                .where(and_(*_filters(s, query)))
                .order_by(Product.is_other, order, Product.id)
                .offset(offset)
                .limit(limit)
            )
            rows = s.execute(stmt).all()
            frozen = frozen_quantities(s, [p.id for p, _ in rows])
            return [self._row(p, group, frozen.get(p.id, decimal.Decimal(0))) for p, group in rows]

    def count(self, actor: Actor, query: ProductQuery) -> int:
        """How many products match. Anyone; reads only."""
        with self._db.read(actor) as s:
            return s.scalar(select(func.count()).select_from(Product).where(and_(*_filters(s, query))))

    def get(self, actor: Actor, product_id: uuid.UUID) -> ProductRow:
        """One product with its stock; raises NotFound. Anyone; reads only."""
        with self._db.read(actor) as s:
            product = fetch(s, Product, product_id, "محصول")
            group = s.get(ProductGroup, product.group_id) if product.group_id else None
            frozen = frozen_quantities(s, [product_id]).get(product_id, decimal.Decimal(0))
            return self._row(product, group.name if group else None, frozen)

    def by_code(self, actor: Actor, code: str) -> ProductRow | None:
        """The live product with exactly this code, if any. Anyone; reads only."""
        with self._db.read(actor) as s:
            product_id = s.scalar(
                select(Product.id).where(Product.code == to_ascii_digits(code.strip()), Product.deleted_at.is_(None))
            )
        return None if product_id is None else self.get(actor, product_id)

    def price_for(
        self,
        actor: Actor,
        product_id: uuid.UUID,
        identity_id: uuid.UUID | None = None,
        price_list_id: uuid.UUID | None = None,
    ) -> int:
        """The unit price a new line starts with (see price_of). Anyone; reads only."""
        with self._db.read(actor) as s:
            return price_of(s, fetch(s, Product, product_id, "محصول"), price_list_id, identity_id)

    def prices_for(
        self,
        actor: Actor,
        product_ids: list[uuid.UUID],
        identity_id: uuid.UUID | None = None,
        price_list_id: uuid.UUID | None = None,
    ) -> dict[uuid.UUID, int]:
        """Each product's unit price at `price_list_id` (see price_of), in one read: what a form's lines
        are repriced at when its list changes. «سایر» is left out: its price is typed, no list holds it.
        Anyone; reads only; raises NotFound for a missing product."""
        with self._db.read(actor) as s:
            products = [fetch(s, Product, pid, "محصول") for pid in dict.fromkeys(product_ids)]
            return {p.id: price_of(s, p, price_list_id, identity_id) for p in products if not p.is_other}

    @staticmethod
    def _row(p: Product, group_name: str | None, frozen: decimal.Decimal) -> ProductRow:
        return ProductRow(
            p.id, p.code, p.name, p.group_id, group_name, p.unit, p.default_price, p.is_service, p.vat_exempt,
            p.track_stock, _to_decimal(p.on_hand), frozen, p.is_active, p.is_other, p.sstid, p.unit_code,
            p.description, p.version,
        )  # fmt: skip

    # --- writing (admin) ---------------------------------------------------------------
    def save_group(
        self, actor: Actor, name: str, parent_id: uuid.UUID | None = None, group_id: uuid.UUID | None = None
    ) -> uuid.UUID:
        """Adds or renames/moves a group (a group cannot go under itself). Admin only; writes."""
        if not actor.is_admin:
            raise AccessDenied(DENIED)
        name = normalize_text(name or "").strip()
        if not name:
            raise ValidationFailed({"name": "نام گروه را وارد کنید."})
        with self._db.write(actor) as s:
            if parent_id is not None:
                fetch(s, ProductGroup, parent_id, "گروه محصول")
                if group_id is not None and parent_id in group_and_descendants(s, group_id):
                    raise ValidationFailed({"parent_id": "گروه نمی‌تواند زیرگروه خودش باشد."})
            group = ProductGroup(name=name) if group_id is None else fetch(s, ProductGroup, group_id, "گروه محصول")
            group.name, group.parent_id = name, parent_id
            s.add(group)
            s.flush()
            return group.id

    def delete_group(self, actor: Actor, group_id: uuid.UUID) -> None:
        """Removes an empty group (ServiceError if it has products or sub-groups). Admin only; writes."""
        if not actor.is_admin:
            raise AccessDenied(DENIED)
        with self._db.write(actor) as s:
            group = fetch(s, ProductGroup, group_id, "گروه محصول")
            used = s.scalar(
                select(func.count())
                .select_from(Product)
                .where(Product.group_id == group_id, Product.deleted_at.is_(None))
            )
            children = s.scalar(
                select(func.count())
                .select_from(ProductGroup)
                .where(ProductGroup.parent_id == group_id, ProductGroup.deleted_at.is_(None))
            )
            if used or children:
                raise ServiceError(f"گروه «{group.name}» خالی نیست؛ ابتدا محصولات و زیرگروه‌هایش را جابه‌جا کنید.")
            group.deleted_at = utcnow()

    def save(
        self, actor: Actor, data: ProductData, product_id: uuid.UUID | None = None, version: int | None = None
    ) -> uuid.UUID:
        """Adds or edits a product (unique code; price and stock not negative). Admin only; writes.

        Raises ValidationFailed, ConcurrentChange (version given and stale), NotFound.
        """
        if not actor.is_admin:
            raise AccessDenied(DENIED)
        code = to_ascii_digits((data.code or "").strip())
        name = normalize_text(data.name or "").strip()
        errors = {}
        if not code:
            errors["code"] = "کد محصول را وارد کنید."
        if not name:
            errors["name"] = "نام محصول را وارد کنید."
        if data.default_price < 0:
            errors["default_price"] = "قیمت نمی‌تواند منفی باشد."
        if _to_decimal(data.on_hand) < 0:
            errors["on_hand"] = "موجودی نمی‌تواند منفی باشد."
        if data.sstid and not (data.sstid.isdigit() and len(data.sstid) == 13):
            errors["sstid"] = "شناسه کالا/خدمت مودیان ۱۳ رقم است."
        with self._db.write(actor) as s:
            if code:
                clash = s.scalar(
                    select(Product.id).where(
                        Product.code == code, Product.deleted_at.is_(None), Product.id != product_id
                    )
                )
                if clash is not None:
                    errors["code"] = f"کد «{code}» برای محصول دیگری ثبت شده است."
            if errors:
                raise ValidationFailed(errors)
            if product_id is None:
                product = Product(is_other=False)
            else:
                product = fetch(s, Product, product_id, "محصول")
                ensure_version(product, version)
            if data.group_id is not None:
                fetch(s, ProductGroup, data.group_id, "گروه محصول")
            product.code, product.name, product.name_key = code, name, search_key(name)
            product.group_id, product.unit, product.default_price = (
                data.group_id,
                data.unit or "عدد",
                data.default_price,
            )
            product.is_service, product.vat_exempt = data.is_service, data.vat_exempt
            product.track_stock, product.on_hand = data.track_stock, float(_to_decimal(data.on_hand))
            product.is_active, product.description = data.is_active, data.description
            product.sstid, product.unit_code = data.sstid or None, data.unit_code or None
            s.add(product)
            s.flush()
            return product.id

    def delete(self, actor: Actor, product_id: uuid.UUID) -> None:
        """Soft-deletes a product (not the built-in «سایر»). Admin only; writes."""
        if not actor.is_admin:
            raise AccessDenied(DENIED)
        with self._db.write(actor) as s:
            product = fetch(s, Product, product_id, "محصول")
            if product.is_other:
                raise ServiceError("محصول «سایر» جزء سیستم است و حذف نمی‌شود.")
            product.deleted_at = utcnow()

"""Products and services (محصول / کالا / خدمت) and their groups."""

from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, BusinessMixin, Money
from app.models.columns import sort_key_column


class ProductGroup(BusinessMixin, Base):
    __tablename__ = "product_groups"
    __admin_managed__ = True

    name: Mapped[str] = mapped_column(String(200))
    parent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("product_groups.id"))


class Product(BusinessMixin, Base):
    __tablename__ = "products"
    __admin_managed__ = True
    __table_args__ = (Index("ix_products_name_sort", "name_sort", "id"),)

    code: Mapped[str] = mapped_column(String(40), index=True)
    name: Mapped[str] = mapped_column(String(300))
    name_key: Mapped[str] = mapped_column(String(300), index=True)
    name_sort: Mapped[str] = sort_key_column("name")  # Persian alphabetical order
    group_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("product_groups.id"))
    unit: Mapped[str] = mapped_column(String(30), default="عدد")
    default_price: Mapped[int] = mapped_column(Money, default=0)
    is_service: Mapped[bool] = mapped_column(default=False)
    vat_exempt: Mapped[bool] = mapped_column(default=False)
    track_stock: Mapped[bool] = mapped_column(default=True)
    # Quantities may be fractional (metres, kilograms); money never is.
    on_hand: Mapped[float] = mapped_column(Numeric(18, 3, asdecimal=False), default=0)
    is_active: Mapped[bool] = mapped_column(default=True)
    description: Mapped[str | None] = mapped_column(Text)
    # The built-in «سایر» product: its description is typed on each line.
    is_other: Mapped[bool] = mapped_column(default=False)
    sstid: Mapped[str | None] = mapped_column(String(13))  # Moadian goods/service ID
    unit_code: Mapped[str | None] = mapped_column(String(8))  # Moadian `mu`


class PriceList(BusinessMixin, Base):
    """لیست قیمت (retail, wholesale ...); an identity may have a default one."""

    __tablename__ = "price_lists"
    __admin_managed__ = True

    name: Mapped[str] = mapped_column(String(100))
    is_default: Mapped[bool] = mapped_column(default=False)
    is_active: Mapped[bool] = mapped_column(default=True)


class PriceListItem(BusinessMixin, Base):
    __tablename__ = "price_list_items"
    __admin_managed__ = True
    __table_args__ = (Index("ix_price_list_items_list_product", "price_list_id", "product_id"),)

    price_list_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("price_lists.id"))
    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id"))
    price: Mapped[int] = mapped_column(Money)

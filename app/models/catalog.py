"""Products and services (محصول / کالا / خدمت) and their groups."""

from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, BusinessMixin, Money


class ProductGroup(BusinessMixin, Base):
    __tablename__ = "product_groups"
    __admin_managed__ = True

    name: Mapped[str] = mapped_column(String(200))
    parent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("product_groups.id"))


class Product(BusinessMixin, Base):
    __tablename__ = "products"
    __admin_managed__ = True

    code: Mapped[str] = mapped_column(String(40), index=True)
    name: Mapped[str] = mapped_column(String(300))
    name_key: Mapped[str] = mapped_column(String(300), index=True)
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

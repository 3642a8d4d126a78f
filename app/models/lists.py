"""Admin-edited lists: categories, sources, opportunity types, campaigns, media, reasons,
competitors and custom fields; and tags, which every user may add."""

from __future__ import annotations

import uuid

from sqlalchemy import JSON, Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, BusinessMixin
from app.models.columns import enum_column
from app.models.enums import CustomFieldKind, ReasonKind


class _NamedList(BusinessMixin):
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(default=0)
    is_active: Mapped[bool] = mapped_column(default=True)


class Category(_NamedList, Base):
    """دسته‌بندی: the tree identities are filed in."""

    __tablename__ = "categories"
    __admin_managed__ = True
    parent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("categories.id"), default=None)


class Source(_NamedList, Base):
    """منبع / نحوه آشنایی: shared by identities and opportunities."""

    __tablename__ = "sources"
    __admin_managed__ = True


class OpportunityType(_NamedList, Base):
    """نوع فرصت: standard, bulk order, delivery, special order ..."""

    __tablename__ = "opportunity_types"
    __admin_managed__ = True


class Campaign(_NamedList, Base):
    __tablename__ = "campaigns"
    __admin_managed__ = True


class Medium(_NamedList, Base):
    """وسیله ارتباطی: call, SMS, e-mail ..."""

    __tablename__ = "media"
    __admin_managed__ = True


class CloseReason(_NamedList, Base):
    """دلیل موفقیت / شکست."""

    __tablename__ = "close_reasons"
    __admin_managed__ = True
    kind: Mapped[ReasonKind] = mapped_column(enum_column(ReasonKind))


class Competitor(_NamedList, Base):
    __tablename__ = "competitors"
    __admin_managed__ = True


class CustomField(_NamedList, Base):
    """An extra field the admin defines for a kind of record (values live in the record's `extra`)."""

    __tablename__ = "custom_fields"
    __admin_managed__ = True
    entity: Mapped[str] = mapped_column(String(32))  # e.g. "opportunities"
    kind: Mapped[CustomFieldKind] = mapped_column(enum_column(CustomFieldKind))
    choices: Mapped[list | None] = mapped_column(JSON, default=None)


class Tag(BusinessMixin, Base):
    """برچسب: free labels; any user may create one."""

    __tablename__ = "tags"
    name: Mapped[str] = mapped_column(String(100))
    name_key: Mapped[str] = mapped_column(String(100), index=True)


identity_tags = Table(
    "identity_tags",
    Base.metadata,
    Column("identity_id", ForeignKey("identities.id"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id"), primary_key=True, index=True),
)
opportunity_tags = Table(
    "opportunity_tags",
    Base.metadata,
    Column("opportunity_id", ForeignKey("opportunities.id"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id"), primary_key=True, index=True),
)
opportunity_competitors = Table(
    "opportunity_competitors",
    Base.metadata,
    Column("opportunity_id", ForeignKey("opportunities.id"), primary_key=True),
    Column("competitor_id", ForeignKey("competitors.id"), primary_key=True),
)

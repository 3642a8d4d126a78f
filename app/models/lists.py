"""Admin-edited lists: categories, sources, opportunity types, campaigns, media, reasons,
competitors and custom fields; and tags, which every user may add."""

from __future__ import annotations

import uuid

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, BusinessMixin, new_id
from app.models.columns import enum_column, sort_key_column
from app.models.enums import CustomFieldKind, ReasonKind


class _NamedList(BusinessMixin):
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(default=0)
    is_active: Mapped[bool] = mapped_column(default=True)


class Category(_NamedList, Base):
    """دسته‌بندی: the tree identities are filed in."""

    __tablename__ = "categories"
    __admin_managed__ = True
    __table_args__ = (Index("ix_categories_name_sort", "name_sort", "id"),)
    parent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("categories.id"), default=None)
    name_sort: Mapped[str] = sort_key_column("name")  # Persian alphabetical order


class Source(_NamedList, Base):
    """منبع / نحوه آشنایی: shared by identities and opportunities."""

    __tablename__ = "sources"
    __admin_managed__ = True
    __table_args__ = (Index("ix_sources_name_sort", "name_sort", "id"),)
    name_sort: Mapped[str] = sort_key_column("name")  # identities sorted by their source


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
    color: Mapped[str | None] = mapped_column(String(7), default=None)  # "#rrggbb", shown as the chip's colour


class LinkRow:
    """A row of a many-to-many link (an identity's tag, an opportunity's competitor) with its own id.

    Written as ORM objects, so history (under the parent's record), the parent's version, the change
    journal and the access policy (`__access_parent__`) see it like any child row; removed by a hard
    delete, recorded as «delete».
    """

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)


class IdentityTag(LinkRow, Base):
    __tablename__ = "identity_tags"
    __table_args__ = (UniqueConstraint("identity_id", "tag_id", name="uq_identity_tags_identity_id"),)
    __access_parent__ = "identity_id"

    identity_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("identities.id"))
    tag_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tags.id"), index=True)


class OpportunityTag(LinkRow, Base):
    __tablename__ = "opportunity_tags"
    __table_args__ = (UniqueConstraint("opportunity_id", "tag_id", name="uq_opportunity_tags_opportunity_id"),)
    __access_parent__ = "opportunity_id"

    opportunity_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("opportunities.id"))
    tag_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tags.id"), index=True)


class OpportunityCompetitor(LinkRow, Base):
    __tablename__ = "opportunity_competitors"
    __table_args__ = (
        UniqueConstraint("opportunity_id", "competitor_id", name="uq_opportunity_competitors_opportunity_id"),
    )
    __access_parent__ = "opportunity_id"

    opportunity_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("opportunities.id"))
    competitor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("competitors.id"))


# The link tables by their old names, for the queries that read them as tables.
identity_tags = IdentityTag.__table__
opportunity_tags = OpportunityTag.__table__
opportunity_competitors = OpportunityCompetitor.__table__

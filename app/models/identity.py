"""Identities (هویت): persons and organisations, with their phones, emails and addresses.

No UNIQUE constraint on natural keys (national code, mobile ...): duplicates are
detected and merged instead, since two laptops may create the same person offline.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING

from sqlalchemy import Date, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, BusinessMixin
from app.models.columns import enum_column, sort_key_column
from app.models.enums import IdentityKind, IdentityRole, PhoneKind

if TYPE_CHECKING:
    from app.models.lists import Tag

_LIVE = "deleted_at IS NULL AND merged_into_id IS NULL"
DEAD = _DEAD = "deleted_at IS NOT NULL OR merged_into_id IS NOT NULL"


def _live_index(name: str, *columns: str) -> Index:
    """An index of live rows only: the lists' orders and their counts read just this.

    The lists order by these columns, then id. On SQLite an entry ends in its rowid, which a trailing id
    would only repeat (33 bytes each) where few rows share a key (a name, within a group): those few are
    sorted by id as they are read. Where many may share one (no city, no mobile, no code, one import's
    timestamps) the index keeps the id. On the office server every one ends in id (migration 0024 leaves
    them so), for its index-only walks."""
    return Index(name, *columns, sqlite_where=text(_LIVE), postgresql_where=text(_LIVE))


class Identity(BusinessMixin, Base):
    __tablename__ = "identities"
    __owner_attr__ = "owner_id"  # the access policy filters on this (app.services.core.access)
    __table_args__ = (
        # name_key: the quick search's name prefix; name_sort: the lists' alphabetical order.
        _live_index("ix_identities_live_name", "name_key"),
        _live_index("ix_identities_live_sort", "name_sort"),
        _live_index("ix_identities_live_created", "created_at", "id"),
        _live_index("ix_identities_live_updated", "updated_at", "id"),
        _live_index("ix_identities_live_role_sort", "role", "name_sort"),
        _live_index("ix_identities_live_city_sort", "city_sort", "id"),
        _live_index("ix_identities_live_mobile", "primary_mobile", "id"),
        _live_index("ix_identities_live_category_sort", "category_id", "name_sort"),
        _live_index("ix_identities_live_owner_sort", "owner_id", "name_sort"),
        _live_index("ix_identities_live_source_sort", "source_id", "name_sort"),
        # The codes most rows lack: the duplicate check's national code, and both codes' sorts.
        _live_index("ix_identities_live_national_code", "national_code", "id"),
        _live_index("ix_identities_live_economic_code", "economic_code", "id"),
        # Deleted and merged rows (few): the quick-search count subtracts them from the index's hits.
        Index("ix_identities_dead", "id", sqlite_where=text(_DEAD), postgresql_where=text(_DEAD)),
    )

    kind: Mapped[IdentityKind] = mapped_column(enum_column(IdentityKind))
    role: Mapped[IdentityRole] = mapped_column(enum_column(IdentityRole), default=IdentityRole.LEAD)
    title: Mapped[str | None] = mapped_column(String(50))
    first_name: Mapped[str | None] = mapped_column(String(100))
    last_name: Mapped[str | None] = mapped_column(String(100))
    org_name: Mapped[str | None] = mapped_column(String(200))
    display_name: Mapped[str] = mapped_column(String(300))
    # Persian search key of the name (see app.persian.search_key); indexed for quick search.
    name_key: Mapped[str] = mapped_column(String(300))
    name_sort: Mapped[str] = sort_key_column("display_name")  # Persian alphabetical order
    national_code: Mapped[str | None] = mapped_column(String(10))
    legal_id: Mapped[str | None] = mapped_column(String(11), index=True)
    economic_code: Mapped[str | None] = mapped_column(String(14))
    registration_no: Mapped[str | None] = mapped_column(String(30))
    birth_date: Mapped[dt.date | None] = mapped_column(Date)
    organisation_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("identities.id"))
    website: Mapped[str | None] = mapped_column(String(200))
    # Not indexed alone: queries by owner or category read live rows, through the partial indexes above.
    owner_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    description: Mapped[str | None] = mapped_column(Text)
    merged_into_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("identities.id"))
    category_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("categories.id"))
    source_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("sources.id"))
    price_list_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("price_lists.id"))
    # Search keys of the name, phones, e-mails and codes, space-separated: the quick search's
    # index (FTS5 trigram on SQLite, pg_trgm on PostgreSQL; see app.services.identities.search_index).
    search_blob: Mapped[str] = mapped_column(Text, default="")
    # Denormalised for sorting 200,000 rows in SQL without correlated subqueries: the first
    # address's city and the first mobile (else the first phone), kept by the identity services.
    primary_city: Mapped[str | None] = mapped_column(String(60))
    primary_mobile: Mapped[str | None] = mapped_column(String(30))
    city_sort: Mapped[str] = sort_key_column("primary_city")

    phones: Mapped[list[IdentityPhone]] = relationship(
        back_populates="identity",
        cascade="all, delete-orphan",
        order_by="IdentityPhone.position",
    )
    emails: Mapped[list[IdentityEmail]] = relationship(
        back_populates="identity",
        cascade="all, delete-orphan",
        order_by="IdentityEmail.position",
    )
    addresses: Mapped[list[IdentityAddress]] = relationship(
        back_populates="identity",
        cascade="all, delete-orphan",
        order_by="IdentityAddress.position",
    )
    # Read only: the links are rows of their own (IdentityTag), written by app.services.core.links.
    tags: Mapped[list[Tag]] = relationship(secondary="identity_tags", order_by="Tag.name", viewonly=True)


class IdentityPhone(BusinessMixin, Base):
    __tablename__ = "identity_phones"
    __access_parent__ = "identity_id"  # visible and writable with its identity

    identity_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("identities.id"), index=True)
    kind: Mapped[PhoneKind] = mapped_column(enum_column(PhoneKind), default=PhoneKind.MOBILE)
    number: Mapped[str] = mapped_column(String(30))
    # ASCII digits only, so «۰۹۱۲» finds 0912 with a prefix/infix match.
    number_key: Mapped[str] = mapped_column(String(30), index=True)
    position: Mapped[int] = mapped_column(default=0)

    identity: Mapped[Identity] = relationship(back_populates="phones")


class IdentityEmail(BusinessMixin, Base):
    __tablename__ = "identity_emails"
    __access_parent__ = "identity_id"  # visible and writable with its identity

    identity_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("identities.id"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    # The address casefolded: duplicate detection and search compare this.
    email_key: Mapped[str] = mapped_column(String(254), index=True)
    position: Mapped[int] = mapped_column(default=0)

    identity: Mapped[Identity] = relationship(back_populates="emails")


class IdentityAddress(BusinessMixin, Base):
    __tablename__ = "identity_addresses"
    __access_parent__ = "identity_id"  # visible and writable with its identity

    identity_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("identities.id"), index=True)
    province: Mapped[str | None] = mapped_column(String(60))
    city: Mapped[str | None] = mapped_column(String(60), index=True)
    street: Mapped[str | None] = mapped_column(String(400))
    postal_code: Mapped[str | None] = mapped_column(String(10))
    position: Mapped[int] = mapped_column(default=0)

    identity: Mapped[Identity] = relationship(back_populates="addresses")

"""Per-user working state kept in the database: saved searches, recently opened records, merges."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, BusinessMixin, new_id, utcnow


class SavedSearch(BusinessMixin, Base):
    """A favourite search («علاقه‌مندی») of one user, for one kind of list; with `team_id` set, shared
    read-only with that team (the owner's team when shared)."""

    __tablename__ = "saved_searches"
    __owner_attr__ = "user_id"
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    entity: Mapped[str] = mapped_column(String(32))  # "identities", "opportunities" ...
    name: Mapped[str] = mapped_column(String(200))
    definition: Mapped[dict] = mapped_column(JSON)
    team_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("sales_teams.id"), index=True, default=None)


class RecentRecord(Base):
    """Records a user opened lately (the cardboard's «اخیراً دیده‌شده»)."""

    __tablename__ = "recent_records"
    __table_args__ = (Index("ix_recent_records_user_at", "user_id", "opened_at"),)
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    record_table: Mapped[str] = mapped_column(String(64))
    record_id: Mapped[uuid.UUID] = mapped_column()
    opened_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class MergeRecord(BusinessMixin, Base):
    """One merge of two records, with what is needed to undo it from the survivor's history."""

    __tablename__ = "merges"
    record_table: Mapped[str] = mapped_column(String(64))  # "identities" or "opportunities"
    survivor_id: Mapped[uuid.UUID] = mapped_column(index=True)
    merged_id: Mapped[uuid.UUID] = mapped_column(index=True)
    # The survivor's field values before the merge and the ids of every row moved to it.
    snapshot: Mapped[dict] = mapped_column(JSON)
    undone_at: Mapped[dt.datetime | None] = mapped_column(default=None)

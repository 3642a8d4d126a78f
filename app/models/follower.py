"""Followers (دنبال‌کننده): a user who follows a record sees it even without owning it."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, new_id, utcnow


class Follower(Base):
    __tablename__ = "followers"
    __table_args__ = (
        UniqueConstraint("record_table", "record_id", "user_id", name="uq_followers_record_user"),
        Index("ix_followers_user", "user_id", "record_table", "record_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    record_table: Mapped[str] = mapped_column(String(64))
    record_id: Mapped[uuid.UUID] = mapped_column()
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

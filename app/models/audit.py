"""The append-only history of business records (تاریخچه): who changed what, when, from and to."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import JSON, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, new_id, utcnow


class AuditEntry(Base):
    __tablename__ = "audit_log"
    __table_args__ = (
        # A record's history: its own entries and (ix_audit_log_parent) its children's, one index each.
        Index("ix_audit_log_record", "record_id", "at"),
        Index("ix_audit_log_user_at", "user_id", "at"),
        Index("ix_audit_log_at", "at"),
        Index(
            "ix_audit_log_parent",
            "parent_id",
            "at",
            sqlite_where=text("parent_id IS NOT NULL"),
            postgresql_where=text("parent_id IS NOT NULL"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    record_table: Mapped[str] = mapped_column(String(64))
    record_id: Mapped[uuid.UUID] = mapped_column()
    # For a child row (a phone of an identity ...) the parent's id, so the parent's history shows it.
    parent_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    action: Mapped[str] = mapped_column(String(16))  # create, update, delete, restore
    # {field: [old, new]} with JSON-safe values; a create only {field: value} of its non-empty fields
    # (app.services.core.audit.pairs reads both as [old, new]).
    changes: Mapped[dict] = mapped_column(JSON)

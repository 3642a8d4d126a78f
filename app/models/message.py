"""Messages and notes (پیام‌ها و یادداشت‌ها) on a record: an identity, an opportunity or a document.

A note (یادداشت) is read by the record's followers who may see the record; a message (پیام) by
every user of the office. Only the author edits or (softly) deletes one. Files ride in
`message_files` over the same content-addressed blobs as attachments. A user's read mark per
record (`message_reads`) says which ones are new to them.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, BusinessMixin, new_id, utcnow

NOTE = "note"
MESSAGE = "message"


class Message(BusinessMixin, Base):
    __tablename__ = "messages"
    __table_args__ = (Index("ix_messages_record", "record_table", "record_id", "created_at"),)

    kind: Mapped[str] = mapped_column(String(16))  # NOTE or MESSAGE
    record_table: Mapped[str] = mapped_column(String(64))
    record_id: Mapped[uuid.UUID] = mapped_column()
    # The identity the record is about: the message shows in its timeline and follows it in a merge.
    identity_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("identities.id"), index=True)
    author_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)


class MessageFile(Base):
    __tablename__ = "message_files"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    message_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("messages.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    mime_type: Mapped[str | None] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column()
    sha256: Mapped[str] = mapped_column(ForeignKey("attachment_blobs.sha256"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class MessageRead(Base):
    """Up to when a user has read a record's messages and notes (opening the record moves it)."""

    __tablename__ = "message_reads"
    __table_args__ = (UniqueConstraint("user_id", "record_table", "record_id", name="uq_message_reads_user_record"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    record_table: Mapped[str] = mapped_column(String(64))
    record_id: Mapped[uuid.UUID] = mapped_column()
    read_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

"""The change journal: every committed write's rows, in commit order, for the offline sync to read.

`seq` is one number per transaction, gapless and in commit order (a one-row counter, `change_clock`,
taken just before COMMIT and locked until it: shared/design/sync.md §2.3); `ordinal` orders the rows
inside it. Written only by app.services.core.journal (on an office server through one narrow function).
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import JSON, BigInteger, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class ChangeLogEntry(Base):
    __tablename__ = "change_log"
    __table_args__ = (Index("ix_change_log_row", "row_id", "seq"),)

    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    ordinal: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    table_name: Mapped[str] = mapped_column(String(64))
    row_id: Mapped[str] = mapped_column(String(64))
    op: Mapped[str] = mapped_column(String(8))  # insert, update, delete, restore
    # {column: new value} with JSON-safe values; an insert carries the whole row, a delete nothing.
    fields: Mapped[dict] = mapped_column(JSON)
    user_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    device_id: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column()
    # A laptop's change applied by the sync: when it was made there (the office's clock); else null (= at).
    edited_at: Mapped[dt.datetime | None] = mapped_column(default=None)


class ChangeClock(Base):
    """One row (id 1): the last `seq` handed out."""

    __tablename__ = "change_clock"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(BigInteger)

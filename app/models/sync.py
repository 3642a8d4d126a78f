"""Offline sync (shared/design/sync.md §2): the office's device registry and batch ledger, the conflicts
every replica sees, and a laptop's own state and outbox.

On the office server `sync_devices` and `sync_batches` are written by administrators and by the server's
sync functions only (app.services.server.sync_sql); `sync_conflicts` is a record like any other, owned by
the rep whose change met another, so it travels to their laptop and its resolution travels back.
`sync_state` and `sync_outbox` live on a laptop and never leave it.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, BusinessMixin, utcnow


class SyncDevice(Base):
    """A laptop registered for one user of the office: its secret signs and encrypts its sync files."""

    __tablename__ = "sync_devices"
    __admin_managed__ = True

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    code: Mapped[str] = mapped_column(String(8), unique=True)  # short, printed in its quotes' numbers
    secret: Mapped[str] = mapped_column(String(64))  # 32 random bytes, hex
    registered_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    registered_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), default=None)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    last_batch_no: Mapped[int] = mapped_column(BigInteger, default=0)  # the last batch applied, in order
    last_pull_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    last_seen_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    schema_version: Mapped[str | None] = mapped_column(String(64), default=None)


class SyncBatch(Base):
    """The ledger: a device's batch (one local transaction) applied at most once, with its answer kept
    for a retry or a duplicate file."""

    __tablename__ = "sync_batches"
    __table_args__ = (Index("ix_sync_batches_batch", "device_id", "batch_id", unique=True),)

    device_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sync_devices.id"), primary_key=True)
    batch_no: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    batch_id: Mapped[uuid.UUID] = mapped_column()
    result: Mapped[dict] = mapped_column(JSON)
    applied_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class SyncConflict(BusinessMixin, Base):
    """Two edits that met (or a change the office refused): both values, who and when, until a person
    resolves it. `status`: open, auto (settled by the later edit, the loser kept here) or resolved."""

    __tablename__ = "sync_conflicts"
    __owner_attr__ = "user_id"
    __table_args__ = (Index("ix_sync_conflicts_row", "table_name", "row_id"),)

    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), index=True)
    device_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    table_name: Mapped[str] = mapped_column(String(64))
    row_id: Mapped[str] = mapped_column(String(80))
    field: Mapped[str | None] = mapped_column(String(64), default=None)  # None: the whole record
    # update_update, delete_update (edited here, deleted at the office), update_delete, duplicate, rejected
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(12), default="open", index=True)
    server_value: Mapped[dict | list | str | int | bool | None] = mapped_column(JSON, default=None)
    device_value: Mapped[dict | list | str | int | bool | None] = mapped_column(JSON, default=None)
    server_user_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    server_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    device_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    other_row_id: Mapped[str | None] = mapped_column(String(80), default=None)  # duplicate: the other record
    message: Mapped[str | None] = mapped_column(Text, default=None)  # rejected: the office's reason
    resolution: Mapped[str | None] = mapped_column(String(16), default=None)  # server, device, merged, restored
    resolved_by: Mapped[uuid.UUID | None] = mapped_column(default=None)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(default=None)


class SyncState(Base):
    """A laptop's sync settings and progress by key (hub_id, device, pull cursor, clock offset …)."""

    __tablename__ = "sync_state"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[dict | list | str | int | bool | None] = mapped_column(JSON)


class SyncOutbox(Base):
    """A laptop's local transaction not yet acknowledged by the office: its rows are the journal's entries
    of the same `seq`; `base_seq` is the office's position this laptop had pulled when the edit was made
    (a change at the office after it is concurrent), `hlc` the edit's time on the laptop's hybrid clock."""

    __tablename__ = "sync_outbox"

    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    batch_id: Mapped[uuid.UUID] = mapped_column()
    base_seq: Mapped[int] = mapped_column(BigInteger)
    hlc: Mapped[str] = mapped_column(String(40))
    batch_no: Mapped[int | None] = mapped_column(BigInteger, default=None)  # given when first sent
    schema_version: Mapped[str] = mapped_column(String(64))

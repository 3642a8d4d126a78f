"""A laptop's sync state (table sync_state, key → JSON value): which office and device it is, how far it
has pulled, the office's clock offset. A database without it is not a laptop copy."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import Connection, delete, insert, inspect, select
from sqlalchemy.orm import Session

from app.models import SyncState

_TABLE = SyncState.__table__
KEYS = (
    "hub_id",
    "device_id",
    "device_code",
    "device_name",
    "user_id",
    "login",
    "secret",
    "server",
    "pull_cursor",
    "clock_offset_ms",
    "last_sync_at",
    "hlc",
    "last_batch_no",  # the last batch number given (numbers survive their batches' acknowledgement)
    "refresh",  # [[table, row id], …] to read again from the office at the next pull (changes it did not take)
)


@dataclass(frozen=True)
class LaptopState:
    hub_id: str
    device_id: uuid.UUID
    device_code: str
    device_name: str
    user_id: uuid.UUID
    login: str
    secret: str
    server: dict
    pull_cursor: int
    clock_offset_ms: int
    last_sync_at: dt.datetime | None


def _values(conn: Connection | Session) -> dict:
    return dict(conn.execute(select(_TABLE.c.key, _TABLE.c.value)).all())


def _state(values: dict) -> LaptopState | None:
    if "device_id" not in values:
        return None
    last = values.get("last_sync_at")
    return LaptopState(
        hub_id=values["hub_id"],
        device_id=uuid.UUID(values["device_id"]),
        device_code=values["device_code"],
        device_name=values.get("device_name", ""),
        user_id=uuid.UUID(values["user_id"]),
        login=values["login"],
        secret=values["secret"],
        server=values.get("server") or {},
        pull_cursor=int(values.get("pull_cursor") or 0),
        clock_offset_ms=int(values.get("clock_offset_ms") or 0),
        last_sync_at=dt.datetime.fromisoformat(last) if last else None,
    )


def read(conn: Connection | Session) -> LaptopState | None:
    """The state as this connection or session sees it (inside its transaction)."""
    return _state(_values(conn))


def load(db) -> LaptopState | None:
    """This database's laptop state, or None when it is not a laptop copy (an office or a lone file)."""
    with db.engine.connect() as conn:
        if conn.dialect.name != "sqlite" or not inspect(conn).has_table("sync_state"):
            return None  # an office, or a file older than sync
        return read(conn)


def device_code(session: Session) -> str | None:
    """The laptop's device code (its quotes' and provisional invoices' numbers), None off a laptop."""
    if session.get_bind().dialect.name != "sqlite":
        return None
    return session.execute(select(_TABLE.c.value).where(_TABLE.c.key == "device_code")).scalar()


def save(conn: Connection | Session, **values) -> None:
    """Sets the given keys (JSON values) in the caller's transaction."""
    unknown = set(values) - set(KEYS)
    if unknown:
        raise ValueError(f"unknown sync state keys {sorted(unknown)}")
    conn.execute(delete(_TABLE).where(_TABLE.c.key.in_(list(values))))
    conn.execute(insert(_TABLE), [{"key": key, "value": value} for key, value in values.items()])

"""Which tables travel between the office and a laptop, and how a journal entry's JSON values become
the column values a database takes.

Bookkeeping stays where it is: the journal and history, the office's device registry and ledger, the
laptop's own state and outbox, and the number counters (the office numbers its documents itself; a laptop
numbers its quotes under its own device code: app.services.sync.documents)."""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import functools
import uuid

from sqlalchemy import Date, Enum, LargeBinary, Numeric, Table, Uuid

from app.models import Base
from app.models.base import UTCDateTime

LOCAL_ONLY = frozenset(
    {
        "alembic_version",
        "audit_log",
        "change_log",
        "change_clock",
        "number_series",
        "sync_devices",
        "sync_batches",
        "sync_state",
        "sync_outbox",
    }
)
SECRET_COLUMNS = {"users": frozenset({"password_hash"})}  # never read by a rep's role, never copied
LOCAL_SETTING_KEYS = frozenset({"device_id"})  # each database's own


@functools.cache
def synced() -> tuple[Table, ...]:
    """The synced tables, parents before children (inserts in this order, deletes in the reverse)."""
    return tuple(t for t in Base.metadata.sorted_tables if t.name not in LOCAL_ONLY)


@functools.cache
def by_name() -> dict[str, Table]:
    return {t.name: t for t in synced()}


@functools.cache
def order() -> dict[str, int]:
    return {t.name: n for n, t in enumerate(synced())}


def is_synced(name: str) -> bool:
    return name in by_name()


def readable_columns(table: Table) -> list:
    hidden = SECRET_COLUMNS.get(table.name, frozenset())
    return [c for c in table.columns if c.name not in hidden]


def key_column(table: Table):
    (column,) = table.primary_key.columns  # every synced table has a one-column key
    return column


def key_value(table: Table, row_id: str):
    """The key column's value of a journal entry's row id."""
    column = key_column(table)
    return uuid.UUID(row_id) if isinstance(column.type, Uuid) else row_id


def row_key(value) -> str:
    """A key value as the journal writes it (app.services.core.journal._row_key)."""
    return str(value)


def _from_json(column, value):
    if value is None:
        return None
    kind = column.type
    if isinstance(kind, UTCDateTime):
        parsed = dt.datetime.fromisoformat(value)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
    if isinstance(kind, Uuid):
        return uuid.UUID(value)
    if isinstance(kind, Date):
        return dt.date.fromisoformat(value)
    if isinstance(kind, Numeric) and not isinstance(value, bool):
        return decimal.Decimal(str(value))
    if isinstance(kind, LargeBinary):
        return base64.b64decode(value)
    if isinstance(kind, Enum) and kind.enum_class is not None:
        return kind.enum_class(value)
    return value


def to_python(table: Table, values: dict) -> dict:
    """A journal entry's JSON values as column values (unknown columns are an error, never dropped)."""
    unknown = set(values) - set(table.c.keys())
    if unknown:
        raise ValueError(f"{table.name}: unknown columns {sorted(unknown)}")
    return {name: _from_json(table.c[name], value) for name, value in values.items()}


def binary_columns(table: Table) -> list[str]:
    """Columns the journal leaves out (file contents): a push reads them from the row itself."""
    return [c.name for c in table.columns if isinstance(c.type, LargeBinary)]


def to_json_binary(value: bytes | memoryview | None) -> str | None:
    return None if value is None else base64.b64encode(bytes(value)).decode()

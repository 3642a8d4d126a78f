"""Appends each write transaction's changed rows to the change journal (`change_log`), just before COMMIT.

The rows were noted by app.services.core.capture during the transaction; here they get the transaction's
number from the one-row `change_clock` (UPDATE ... RETURNING: the row stays locked until COMMIT, so the
numbers are gapless and in commit order, shared/design/sync.md §2.3; on SQLite writers are serialised by
BEGIN IMMEDIATE anyway). On an office server a user's role may not touch either table: it calls
`peyvand_journal` (app.services.server.journal_sql), which stamps the user from the server's own login.

An entry carries only what the row's values cannot tell otherwise (app.services.core.capture): no id
(it is `row_id`), no derived column (search keys, sort keys: every database derives them on write), and
for an insert no null, no version 1, no updated_at / updated_by equal to created_at / created_by.
`row_values` gives the values as the row holds them.

The journal is written only where someone reads it: on a laptop copy (its outbox is the journal) and on a
database with a registered, non-revoked device. Elsewhere it would be most of the file (two thirds of a
demo database) for no reader; a device registered later starts from a full copy, not from the journal.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Connection, event, insert, select, text
from sqlalchemy.orm import Session

from app.models import Base, Setting, new_id, utcnow
from app.services.core.audit import dumps
from app.services.core.capture import ROWS_KEY, journal_rules

SEQ_KEY = "journal_seq"  # session.info: the number this transaction's entries got (for a laptop's outbox)
# session.info: whose change this is when it is not this database's own (the sync applying a laptop's batch)
ORIGIN_KEY = "journal_origin"
DEVICE_KEY = "device_id"  # settings: this database's device id, made once (migration 0002_change_journal)
_TAKE_SEQ = "UPDATE change_clock SET seq = seq + 1 WHERE id = 1 RETURNING seq"
# Asked inside the write transaction (no cache: a device registered by another process counts at once).
_JOURNALING = (
    "SELECT EXISTS (SELECT 1 FROM sync_devices WHERE revoked_at IS NULL)"
    " OR EXISTS (SELECT 1 FROM sync_state WHERE key = 'device_id')"
)
# PostgreSQL, no device: the clock's row held in shared mode until COMMIT, so a device's registration (which
# journals, taking the row for update) waits for this transaction, and a transaction that waited for it asks again.
_HOLD_CLOCK = "SELECT 1 FROM change_clock WHERE id = 1 FOR SHARE"
_INSERT = (
    "INSERT INTO change_log (seq, ordinal, table_name, row_id, op, fields, user_id, device_id, at, edited_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
# session.info: laptops' changes applied by the sync, when they were made there: {(table, row id): time}
EDITED_AT = "edited_at"
# Per database URL (user included), not per engine: looked up once per process and database.
_device_ids: dict = {}
_direct: dict = {}


def device_id(conn: Connection) -> str:
    """This database's device id (cached); made here if a database predates it."""
    cached = _device_ids.get(conn.engine.url)
    if cached is None:
        settings = Setting.__table__
        cached = conn.execute(select(settings.c.value).where(settings.c.key == DEVICE_KEY)).scalar()
        if cached is None:
            cached = new_id().hex
            conn.execute(insert(settings).values(key=DEVICE_KEY, value=cached))
        _device_ids[conn.engine.url] = cached
    return cached


def row_values(table: str, op: str, row_id: str, fields: dict) -> dict:
    """An entry's values as the row holds them (JSON forms): its id and, for an insert, the values left
    out for equalling their defaults. Derived columns are the receiving database's own to compute."""
    values = dict(fields)
    columns = Base.metadata.tables[table].columns
    if "id" in columns and "|" not in row_id:
        values["id"] = row_id
    if op == "insert":
        for key, same_as in journal_rules(table)[1]:
            if key not in values and same_as in values:
                values[key] = values[same_as]
        if "version" in columns:
            values.setdefault("version", 1)
    return values


def _row_key(row_id) -> str:
    if isinstance(row_id, uuid.UUID):
        return str(row_id)
    return "|".join(map(str, row_id)) if isinstance(row_id, tuple) else str(row_id)


def _may_write_directly(conn: Connection) -> bool:
    """The database's owner writes the journal itself; a user's role on an office server may not."""
    if conn.dialect.name == "sqlite":
        return True
    if conn.engine.url not in _direct:
        _direct[conn.engine.url] = bool(
            conn.execute(text("SELECT has_table_privilege('change_log', 'INSERT')")).scalar()
        )
    return _direct[conn.engine.url]


def _journaling(conn: Connection) -> bool:
    """Whether a device reads this database's journal (the owner's path; the server function asks itself)."""
    if conn.exec_driver_sql(_JOURNALING).scalar():
        return True
    if conn.dialect.name == "sqlite":  # writers are serialised by BEGIN IMMEDIATE
        return False
    conn.exec_driver_sql(_HOLD_CLOCK)
    # Asked again after the lock: a registration that committed while this waited is seen now. (Two writers
    # caught in that moment may deadlock when both then take the row for update; one is refused, not lost.)
    return bool(conn.exec_driver_sql(_JOURNALING).scalar())


def append(session: Session, conn: Connection, rows: list) -> int | None:
    """Writes `rows` [(table, row id, op, fields)] under one new sequence number; returns it, or None when
    no device reads the journal."""
    direct = _may_write_directly(conn)
    if direct and not _journaling(conn):
        return None
    device = session.info.get(ORIGIN_KEY) or device_id(conn)
    times = session.info.get(EDITED_AT) or {}
    edited = [times.get((t, _row_key(r))) for t, r, _op, _f in rows]
    if not direct:
        entries = [{"t": t, "r": _row_key(r), "o": op.value, "f": f} for t, r, op, f in rows]
        for entry, when in zip(entries, edited, strict=True):
            if when is not None:
                entry["e"] = when.isoformat()
        return conn.execute(
            text("SELECT peyvand_journal(:device, CAST(:entries AS jsonb))"),
            {"device": device, "entries": dumps(entries)},
        ).scalar()
    seq = conn.exec_driver_sql(_TAKE_SEQ).scalar_one()
    actor = session.info.get("actor")
    user = actor.user_id if actor is not None else None
    now = utcnow()
    if conn.dialect.name == "sqlite":  # SQLAlchemy's own storage forms: 32 hex digits, naive UTC text
        user_value, at, edited = (user.hex if user else None), _sqlite_time(now), [_sqlite_time(e) for e in edited]
        sql = _INSERT
    else:
        user_value, at = user, now
        sql = _INSERT.replace("?", "%s")
    values = [
        (seq, n, t, _row_key(r), op.value, dumps(f), user_value, device, at, when)
        for n, ((t, r, op, f), when) in enumerate(zip(rows, edited, strict=True), start=1)
    ]
    conn.exec_driver_sql(sql, values)
    return seq


def _sqlite_time(moment):
    if moment is None:
        return None
    moment = moment.astimezone(dt.UTC) if moment.tzinfo else moment
    return f"{moment:%Y-%m-%d %H:%M:%S}.{moment.microsecond:06d}"


def _before_commit(session: Session) -> None:
    session.flush()  # the COMMIT flushes only after this hook: the last changes must be noted first
    rows = session.info.get(ROWS_KEY)
    if rows:
        session.info[SEQ_KEY] = append(session, session.connection(), rows)
        rows.clear()


def install(session_factory) -> None:
    event.listen(session_factory, "before_commit", _before_commit)

"""Sending a laptop's outbox to the office (sync.md §2.5 push), one office transaction per batch, in
local order. A batch is numbered when first sent (numbers are kept, so the office can tell a missing one
from a repeated one); the office applies it at most once (its ledger answers a repeat with the stored
result) and the laptop forgets it only after the office committed. The rows of a pushed batch are read
again at the next pull: where the office kept its own value, the laptop gets it back."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, delete, select, update
from sqlalchemy.exc import IntegrityError, InternalError, ProgrammingError

from app.models import ChangeLogEntry, SyncOutbox, SyncState
from app.services.core.database import Database
from app.services.core.errors import ServiceError
from app.services.sync import hub, hub_calls, payload, state, tables
from app.services.sync.hub_calls import OutOfOrder

Progress = Callable[[int, int, str], None]
GROUP = 200  # batches per office transaction
REFUSED = (ServiceError, IntegrityError, ProgrammingError, InternalError)
# A database rule the office enforces (a unique key, row security, an issued document's guard).
DATABASE_REFUSAL = "سرور دفتر این تغییر را نپذیرفت (با قاعده‌ای از پایگاه دادهٔ دفتر ناسازگار است)."


def _state_value(conn: Connection, key: str):
    return conn.execute(select(SyncState.value).where(SyncState.key == key)).scalar()


def number_batches(conn: Connection) -> None:
    """Gives the unsent batches their numbers, in local order (in the caller's transaction)."""
    last = int(_state_value(conn, "last_batch_no") or 0)
    unsent = conn.execute(select(SyncOutbox.seq).where(SyncOutbox.batch_no.is_(None)).order_by(SyncOutbox.seq))
    for seq in list(unsent.scalars()):
        last += 1
        conn.execute(update(SyncOutbox).where(SyncOutbox.seq == seq).values(batch_no=last))
    state.save(conn, last_batch_no=last)


def _entries(conn: Connection, seq: int) -> list[dict]:
    log = ChangeLogEntry.__table__
    rows = conn.execute(
        select(log.c.table_name, log.c.row_id, log.c.op, log.c.fields).where(log.c.seq == seq).order_by(log.c.ordinal)
    )
    entries = []
    for table_name, row_id, op, fields in rows:
        fields = payload.pushed(table_name, op, fields)
        if fields is None:
            continue
        table = tables.by_name()[table_name]
        binary = tables.binary_columns(table) if op == "insert" else []
        if binary:  # file contents stay out of the journal: read from the row
            key_col = tables.key_column(table)
            row = conn.execute(select(*[table.c[n] for n in binary]).where(key_col == tables.key_value(table, row_id)))
            found = row.first()
            fields = {**fields, **{n: tables.to_json_binary(v) for n, v in zip(binary, found or (), strict=False)}}
        entries.append({"t": table_name, "r": row_id, "o": op, "f": fields})
    return entries


def batches(conn: Connection) -> list[hub.Batch]:
    """Every numbered batch still in the outbox, oldest first."""
    outbox = SyncOutbox.__table__
    rows = conn.execute(select(outbox).where(outbox.c.batch_no.is_not(None)).order_by(outbox.c.seq))
    return [
        hub.Batch(r.batch_no, r.batch_id, r.base_seq, r.hlc, r.schema_version, _entries(conn, r.seq))
        for r in rows.all()
    ]


def send(hub_db: Database, actor, group: list[hub.Batch], origin: hub.Origin) -> list[dict]:
    """The office's answers to consecutive batches, applied in one office transaction (each once, by
    the ledger). When the office refuses, they go again one by one: only the refused batch is kept as
    a conflict, whole, and the others apply."""
    try:
        with hub_db.write(actor) as s:
            answered = hub_calls.seen_many(s.connection(), origin.device_id, [b.batch_id for b in group])
            office = hub.Office(s, [b for b in group if b.batch_id not in answered], origin)
            answers, fresh = [], []
            for batch in group:
                stored = answered.get(batch.batch_id)
                if stored is None:
                    stored = hub.apply_batch(s, batch, origin, office)
                    fresh.append((batch.batch_no, batch.batch_id, stored))
                answers.append(stored)
            hub_calls.record_many(s.connection(), origin.device_id, fresh)
        return answers
    except OutOfOrder:
        raise
    except REFUSED as exc:
        if len(group) > 1:
            return [answer for batch in group for answer in send(hub_db, actor, [batch], origin)]
        message = exc.message if isinstance(exc, ServiceError) else DATABASE_REFUSAL
    (batch,) = group
    with hub_db.write(actor) as s:
        stored = hub_calls.seen(s.connection(), origin.device_id, batch.batch_id)
        if stored is None:
            stored = hub.reject(s, batch, origin, message)
            hub_calls.record(s.connection(), origin.device_id, batch.batch_no, batch.batch_id, stored)
    return [stored]


def acknowledge(conn: Connection, group: list[hub.Batch]) -> None:
    """Forgets answered batches and asks the next pull to read their rows again (same transaction)."""
    conn.execute(delete(SyncOutbox).where(SyncOutbox.batch_id.in_([b.batch_id for b in group])))
    again = {tuple(k) for k in (_state_value(conn, "refresh") or [])}
    for batch in group:
        again |= batch.keys()
    state.save(conn, refresh=sorted([list(k) for k in again]))


def push(local: Database, hub_db: Database, actor, origin: hub.Origin, progress: Progress | None = None) -> list[dict]:
    """Sends the outbox, GROUP batches per office transaction; the office's answers, in order."""
    with local.engine.begin() as conn:
        number_batches(conn)
    with local.engine.connect() as conn:
        waiting = batches(conn)
    answers: list[dict] = []
    for start in range(0, len(waiting), GROUP):
        if progress is not None:
            progress(start, len(waiting), "فرستادن تغییرهای این رایانه به دفتر")
        group = waiting[start : start + GROUP]
        answers += send(hub_db, actor, group, origin)
        with local.engine.begin() as conn:
            acknowledge(conn, group)
    return answers

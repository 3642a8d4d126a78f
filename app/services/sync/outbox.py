"""A laptop's outbox: every local write transaction with something for the office (app.services.sync.payload)
becomes one batch,
written in the same transaction as the rows (so an edit saved is an edit queued).

The batch's rows are the journal's entries of its `seq` (app.services.core.journal runs first and leaves
the number in the session); the outbox adds what the office needs to judge them: the office position the
laptop had pulled (`base_seq`) and the edit's time on the laptop's hybrid clock."""

from __future__ import annotations

import json

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from app.models import ChangeLogEntry, SyncOutbox, SyncState, new_id
from app.services.core.journal import SEQ_KEY
from app.services.sync import clock, payload, state

_laptops: dict = {}  # database URL → is it a laptop copy (read once per process)


def forget(url) -> None:
    """After a first copy made this database a laptop (or a test reused a URL)."""
    _laptops.pop(url, None)


def _is_laptop(session: Session) -> bool:
    bind = session.get_bind()
    url = bind.engine.url if hasattr(bind, "engine") else bind.url
    if url not in _laptops:
        _laptops[url] = bind.dialect.name == "sqlite" and state.read(session.connection()) is not None
    return _laptops[url]


def _after_journal(session: Session) -> None:
    seq = session.info.pop(SEQ_KEY, None)
    if seq is None or not _is_laptop(session):
        return
    conn = session.connection()
    log = ChangeLogEntry.__table__
    entries = conn.execute(select(log.c.table_name, log.c.op, log.c.fields).where(log.c.seq == seq))
    if all(payload.pushed(table, op, fields) is None for table, op, fields in entries):
        return  # only this laptop's own bookkeeping (a login): nothing for the office
    values = dict(conn.execute(select(SyncState.key, SyncState.value)).all())
    reading = clock.tick(values.get("hlc"))
    from app.services.core.migrations import SCHEMA_HEAD

    conn.execute(
        SyncOutbox.__table__.insert().values(
            seq=seq,
            batch_id=new_id(),
            base_seq=int(values.get("pull_cursor") or 0),
            hlc=reading,
            schema_version=SCHEMA_HEAD,
        )
    )
    state.save(conn, hlc=reading)


def waiting(conn) -> int:
    """Local transactions the office has not acknowledged."""
    return conn.execute(select(func.count()).select_from(SyncOutbox.__table__)).scalar_one()


def pending_fields(conn) -> dict[tuple[str, str], set[str] | None]:
    """(table, row id) → the fields waiting to be pushed (None: the whole row, an insert or a delete)."""
    pending: dict[tuple[str, str], set[str] | None] = {}
    rows = conn.execute(
        select(ChangeLogEntry.table_name, ChangeLogEntry.row_id, ChangeLogEntry.op, ChangeLogEntry.fields).where(
            ChangeLogEntry.seq.in_(select(SyncOutbox.seq))
        )
    )
    for table, row_id, op, fields in rows:
        key = (table, row_id)
        if isinstance(fields, str):
            fields = json.loads(fields)
        if op == "insert" or (op == "delete" and "deleted_at" not in fields):
            pending[key] = None
        elif key not in pending or pending[key] is not None:
            pending.setdefault(key, set()).update(k for k in fields if not k.startswith("_"))  # not its notes
    return pending


def install(session_factory) -> None:
    """After the journal's hook (registration order is call order)."""
    event.listen(session_factory, "before_commit", _after_journal)

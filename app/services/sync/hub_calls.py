"""The office's side of the handshake and the batch ledger. On the office server a rep's role reaches
them only through the server's functions (app.services.server.sync_sql); an office kept in a SQLite file
(one user, laptops by sync files) runs the same rules here."""

from __future__ import annotations

import json
import uuid

from sqlalchemy import Connection, insert, select, text, update

from app.models import ChangeClock, Setting, SyncBatch, SyncDevice, utcnow
from app.services.core.errors import ServiceError

OUT_OF_ORDER = "PVSYN"


class OutOfOrder(ServiceError):
    """A batch arrived before an earlier one of its device (a later sync file imported first)."""


def _pg(conn: Connection) -> bool:
    return conn.dialect.name == "postgresql"


def _json(value):
    return json.loads(value) if isinstance(value, str) else value


def hello(conn: Connection, device: uuid.UUID) -> dict:
    """{"hub_id", "schema", "seq", "retention_seq", "now", "device": {...} or None}; "retention_seq": the
    journal's first kept entry (retention.prune), 0 when it was never pruned."""
    if _pg(conn):
        return _json(conn.execute(text("SELECT peyvand_sync_hello(:d)"), {"d": device}).scalar_one())
    hub_id = conn.execute(select(Setting.value).where(Setting.key == "device_id")).scalar()
    schema = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    seq = conn.execute(select(ChangeClock.seq).where(ChangeClock.id == 1)).scalar() or 0
    row = conn.execute(select(SyncDevice).where(SyncDevice.id == device)).mappings().first()
    found = None
    if row is not None:
        found = {
            "code": row["code"],
            "name": row["name"],
            "user_id": str(row["user_id"]),
            "revoked": row["revoked_at"] is not None,
            "last_batch_no": row["last_batch_no"],
            "last_pull_seq": row["last_pull_seq"],
        }
        conn.execute(update(SyncDevice).where(SyncDevice.id == device).values(last_seen_at=utcnow()))
    kept_from = conn.execute(select(Setting.value).where(Setting.key == "sync_retention_seq")).scalar()
    now = utcnow().isoformat()
    return {
        "hub_id": hub_id,
        "schema": schema,
        "seq": seq,
        "retention_seq": int(kept_from or 0),
        "now": now,
        "device": found,
    }


def seen(conn: Connection, device: uuid.UUID, batch_id: uuid.UUID) -> dict | None:
    """The stored answer of a batch already applied, or None."""
    if _pg(conn):
        return _json(conn.execute(text("SELECT peyvand_sync_seen(:d, :b)"), {"d": device, "b": batch_id}).scalar())
    stmt = select(SyncBatch.result).where(SyncBatch.device_id == device, SyncBatch.batch_id == batch_id)
    return _json(conn.execute(stmt).scalar())


def seen_many(conn: Connection, device: uuid.UUID, batch_ids: list[uuid.UUID]) -> dict[uuid.UUID, dict]:
    """The stored answers of those batches already applied (a device reads its own ledger rows)."""
    stmt = select(SyncBatch.batch_id, SyncBatch.result).where(
        SyncBatch.device_id == device, SyncBatch.batch_id.in_(batch_ids)
    )
    return {batch_id: _json(result) for batch_id, result in conn.execute(stmt)}


def record(conn: Connection, device: uuid.UUID, batch_no: int, batch_id: uuid.UUID, result: dict) -> None:
    """Enters the batch in the ledger in the caller's transaction; OutOfOrder when an earlier one is missing."""
    if _pg(conn):
        from sqlalchemy.exc import DBAPIError

        try:  # a refusal aborts the caller's transaction, which then rolls back whole
            conn.execute(
                text("SELECT peyvand_sync_record(:d, :n, :b, CAST(:r AS jsonb))"),
                {"d": device, "n": batch_no, "b": batch_id, "r": json.dumps(result, ensure_ascii=False)},
            )
        except DBAPIError as exc:
            if getattr(exc.orig, "sqlstate", None) == OUT_OF_ORDER:
                raise OutOfOrder("تغییرهای پیشین این رایانه هنوز به دفتر نرسیده است.") from exc
            raise
        return
    last = conn.execute(select(SyncDevice.last_batch_no).where(SyncDevice.id == device)).scalar_one()
    if batch_no != last + 1:
        raise OutOfOrder("تغییرهای پیشین این رایانه هنوز به دفتر نرسیده است.")
    conn.execute(insert(SyncBatch).values(device_id=device, batch_no=batch_no, batch_id=batch_id, result=result))
    conn.execute(update(SyncDevice).where(SyncDevice.id == device).values(last_batch_no=batch_no))


def record_many(conn: Connection, device: uuid.UUID, answered: list[tuple[int, uuid.UUID, dict]]) -> None:
    """`record` for consecutive batches (batch number, id, answer), on a server in one round trip."""
    if not answered:
        return
    if not _pg(conn):
        for batch_no, batch_id, result in answered:
            record(conn, device, batch_no, batch_id, result)
        return
    from sqlalchemy.exc import DBAPIError

    try:  # the function runs once per element, in the arrays' order
        conn.execute(
            text(
                "SELECT count(*) FROM (SELECT peyvand_sync_record(:d, t.n, t.b, t.r) FROM unnest("
                "CAST(:nos AS bigint[]), CAST(:ids AS uuid[]), CAST(:results AS jsonb[])) WITH ORDINALITY"
                " AS t(n, b, r, o) ORDER BY t.o) AS applied"
            ),
            {
                "d": device,
                "nos": [n for n, _b, _r in answered],
                "ids": [b for _n, b, _r in answered],
                "results": [json.dumps(r, ensure_ascii=False) for _n, _b, r in answered],
            },
        )
    except DBAPIError as exc:
        if getattr(exc.orig, "sqlstate", None) == OUT_OF_ORDER:
            raise OutOfOrder("تغییرهای پیشین این رایانه هنوز به دفتر نرسیده است.") from exc
        raise


def pulled(conn: Connection, device: uuid.UUID, seq: int) -> None:
    """The device has the office's changes up to `seq` (for pruning the journal later)."""
    if _pg(conn):
        conn.execute(text("SELECT peyvand_sync_pulled(:d, :s)"), {"d": device, "s": seq})
        return
    conn.execute(
        update(SyncDevice)
        .where(SyncDevice.id == device, SyncDevice.last_pull_seq < seq)
        .values(last_pull_seq=seq, last_seen_at=utcnow())
    )

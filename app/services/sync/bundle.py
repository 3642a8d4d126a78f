"""Sync by file for a laptop that never reaches the office's network (sync.md §2.5 bundle files).

The laptop exports an outbound file: every batch the office has not acknowledged (files are cumulative,
so a lost one costs nothing), its pull cursor and its last measured clock offset. An administrator at the
office imports it (app.services.sync.bundle_office): the batches go through the same apply and ledger as
a push over the LAN, and a return file comes back with each batch's answer and the rows changed since the
laptop's cursor, read as the laptop's user. The laptop imports the return file like a pull: one local
transaction acknowledges the answered batches, writes the rows and moves the cursor.

Every step is idempotent: a batch the office already applied answers with its stored result, and a
return file whose rows end at or before the laptop's cursor writes no rows.
"""

from __future__ import annotations

import uuid

from sqlalchemy import Connection, select

from app.models import SyncState
from app.services.core.changes import ChangeBuilder
from app.services.core.database import Database
from app.services.core.errors import ServiceError
from app.services.core.migrations import SCHEMA_HEAD
from app.services.sync import outbox, pull, push, state, tables
from app.services.sync.bundle_file import read_bundle, read_header, write_bundle
from app.services.sync.bundle_office import ImportReport, import_bundle, now_iso, revision
from app.services.sync.service import NOT_A_LAPTOP, SyncReport

__all__ = ["ImportReport", "SyncReport", "export_bundle", "import_bundle", "import_return"]

NOT_RETURN = "این فایل، فایل بازگشتی دفتر نیست؛ فایلی را وارد کنید که دفتر برای این رایانه ساخته است."
OTHER_DEVICE = "این فایل برای رایانهٔ دیگری ساخته شده است."
OTHER_OFFICE = "این فایل از دفتر دیگری است."
GAP = (
    "این فایل تغییرهایی از دفتر را که هنوز به این رایانه نرسیده جا انداخته است؛ "
    "فایل تازه‌تری بسازید و آن را از دفتر بگیرید."
)
NOT_OWNER = "همگام‌سازی این رایانه فقط با کاربری است که رایانه برای او ثبت شده است."
NEWER_OFFICE = "برنامهٔ دفتر از برنامهٔ این رایانه تازه‌تر است؛ نخست برنامهٔ این رایانه را به‌روز کنید."


def _laptop(db: Database, actor) -> state.LaptopState:
    """This laptop's state; only its registered user carries its changes to the office and back."""
    laptop = state.load(db)
    if laptop is None:
        raise ServiceError(NOT_A_LAPTOP)
    if actor.user_id not in (None, laptop.user_id):  # None: the system (the command line)
        raise ServiceError(NOT_OWNER)
    return laptop


def export_bundle(db: Database, actor, path) -> int:
    """Writes every unacknowledged batch to an outbound file; the number of batches in it."""
    laptop = _laptop(db, actor)
    with db.engine.begin() as conn:
        push.number_batches(conn)  # numbers stay with their batches: a later file repeats them
        batches = push.batches(conn)
        current = state.read(conn)
    header = {
        "kind": "outbound",
        "hub_id": laptop.hub_id,
        "device_id": str(laptop.device_id),
        "schema": SCHEMA_HEAD,
        "created": now_iso(),
        "pull_cursor": current.pull_cursor,
        "clock_offset_ms": current.clock_offset_ms,
        "batches": len(batches),
    }
    write_bundle(path, header, {"batches": [b.to_json() for b in batches]}, laptop.secret)
    return len(batches)


def import_return(db: Database, actor, path) -> SyncReport:
    """Takes the office's return file: acknowledges the answered batches and writes the office's rows
    (unless they are not newer than what this laptop already has). Importing it again changes nothing."""
    laptop = _laptop(db, actor)
    header = read_header(path)
    if header["kind"] != "return":
        raise ServiceError(NOT_RETURN)
    if header.get("hub_id") != laptop.hub_id:
        raise ServiceError(OTHER_OFFICE)
    if header.get("device_id") != str(laptop.device_id):
        raise ServiceError(OTHER_DEVICE)
    if revision(header.get("schema")) > revision(SCHEMA_HEAD):
        raise ServiceError(NEWER_OFFICE)
    header, payload = read_bundle(path, laptop.secret)
    changes = ChangeBuilder()
    with db.engine.begin() as conn:
        current = state.read(conn)
        if int(header["from_cursor"]) > current.pull_cursor:
            raise ServiceError(GAP)
        acknowledged, conflicts = _acknowledge(conn, payload["results"])
        count = 0
        if int(header["to_cursor"]) > current.pull_cursor:
            count = _apply_rows(conn, payload["tables"], changes)
            state.save(conn, pull_cursor=int(header["to_cursor"]), last_sync_at=now_iso())
    return SyncReport(acknowledged, count, conflicts, changes.build())


def _acknowledge(conn: Connection, results: list[dict]) -> tuple[int, int]:
    """Forgets the batches the office answered that are still waiting here: (how many, their conflicts)."""
    answers = {uuid.UUID(r["batch_id"]): r["result"] for r in results}
    answered = [b for b in push.batches(conn) if b.batch_id in answers]
    if answered:
        push.acknowledge(conn, answered)
    return len(answered), sum(len(answers[b.batch_id].get("conflicts", ())) for b in answered)


def _apply_rows(conn: Connection, carried: dict[str, dict], changes: ChangeBuilder) -> int:
    """The pull's writing, from the file: rows upserted (parents first) except fields still waiting in
    the outbox, rows the office no longer shows removed (children first)."""
    pull.defer_foreign_keys(conn)
    pending = outbox.pending_fields(conn)
    count, gone, covered = 0, {}, set()
    for table in tables.synced():
        part = carried.get(table.name)
        if not part:
            continue
        key_col = tables.key_column(table)
        rows = [tables.to_python(table, r) for r in part["rows"]]
        pull.upsert(conn, table, rows, pending, changes)
        count += len(rows)
        keys = {tables.key_value(table, k) for k in part["keys"]}
        gone[table.name] = keys - {r[key_col.name] for r in rows}
        covered |= {(table.name, k) for k in part["keys"]}
    for table in reversed(tables.synced()):
        if gone.get(table.name):
            pull.remove(conn, table, gone[table.name], pending, changes)
    waiting = conn.execute(select(SyncState.value).where(SyncState.key == "refresh")).scalar() or []
    refresh = [k for k in waiting if tuple(k) not in covered]
    state.save(conn, refresh=refresh)
    return count

"""The office's side of sync by file (app.services.sync.bundle): an administrator imports a laptop's
outbound file and hands back the return file.

The batches go through the same apply and ledger as a push over the LAN, as the laptop's user (their
access decides, as if they had synced themselves). The administrator's connection sees every row, so the
return file's rows are read with the laptop user's access policy: it carries only what they may see, and
the file's personal rows (which that role could write for anyone) are checked first (bundle_guard)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import select

from app.models import SyncDevice
from app.services.core.audit import to_json
from app.services.core.database import Database
from app.services.core.errors import AccessDenied, ServiceError
from app.services.core.migrations import SCHEMA_HEAD
from app.services.sync import bundle_guard, handshake, hub, hub_calls, pull, push, tables
from app.services.sync.bundle_file import read_bundle, read_header, write_bundle
from app.services.sync.hub_calls import OutOfOrder

ADMIN_ONLY = "وارد کردن فایل همگام‌سازی لپ‌تاپ‌ها فقط کار مدیر سیستم است."
NOT_OUTBOUND = "این فایل، فایل همگام‌سازی یک لپ‌تاپ برای دفتر نیست (شاید فایل بازگشتی دفتر باشد)."
OTHER_OFFICE = "این فایل از رایانه‌ای است که برای دفتر دیگری ثبت شده است."
UNKNOWN_DEVICE = "رایانهٔ سازندهٔ این فایل در این دفتر ثبت نشده است."
REVOKED = "دسترسی رایانهٔ سازندهٔ این فایل به همگام‌سازی لغو شده است؛ فایل پذیرفته نشد."
NEWER_LAPTOP = "برنامهٔ لپ‌تاپ از برنامهٔ دفتر تازه‌تر است؛ نخست برنامهٔ دفتر را به‌روز کنید."
OUT_OF_ORDER = (
    "تغییرهای پیشین این لپ‌تاپ هنوز به دفتر نرسیده است؛ "
    "از لپ‌تاپ فایل تازه‌ای بخواهید (هر فایل همهٔ تغییرهای نرسیده را دارد)."
)


def revision(name: str | None) -> int:
    """An alembic revision's number ("0015_sync" → 15), to tell which side is newer."""
    return int((name or "0").split("_", 1)[0])


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


def _value_json(value):
    return tables.to_json_binary(value) if isinstance(value, bytes | memoryview) else to_json(value)


def rows_to_json(rows: list[dict]) -> list[dict]:
    """Rows as read (column → value) in the JSON forms tables.to_python reads back."""
    return [{name: _value_json(value) for name, value in row.items()} for row in rows]


@dataclass(frozen=True)
class ImportReport:
    device_name: str
    user_name: str
    batches: int  # in the file
    applied: int  # applied by this import
    repeated: int  # applied by an earlier import or sync (their stored answers sent again)
    rejected: int  # refused whole by the office (kept as conflicts for the user)
    conflicts: int  # new conflicts of this import
    rows: int  # rows in the return file


def import_bundle(hub_db: Database, actor, path_in, path_out) -> ImportReport:
    """Applies a laptop's outbound file at the office and writes its return file to `path_out`."""
    if not actor.is_admin:
        raise AccessDenied(ADMIN_ONLY)
    header = read_header(path_in)
    if header["kind"] != "outbound":
        raise ServiceError(NOT_OUTBOUND)
    try:
        device_id = uuid.UUID(str(header.get("device_id")))
    except ValueError:
        raise ServiceError(UNKNOWN_DEVICE) from None
    with hub_db.engine.begin() as conn:
        greeting = hub_calls.hello(conn, device_id)
    if header.get("hub_id") != greeting["hub_id"]:
        raise ServiceError(OTHER_OFFICE)
    with hub_db.read(actor) as s:
        device = s.execute(select(SyncDevice).where(SyncDevice.id == device_id)).scalar()
    if device is None:
        raise ServiceError(UNKNOWN_DEVICE)
    if device.revoked_at is not None:
        raise ServiceError(REVOKED)
    if revision(header.get("schema")) > revision(greeting["schema"]):
        raise ServiceError(NEWER_LAPTOP)
    header, payload = read_bundle(path_in, device.secret)
    user = handshake.actor_on(hub_db, device.user_id)
    office_now = dt.datetime.fromisoformat(greeting["now"])
    office_now = office_now if office_now.tzinfo else office_now.replace(tzinfo=dt.UTC)
    origin = hub.Origin(device.id, device.user_id, int(header.get("clock_offset_ms") or 0), office_now)
    batches = sorted((hub.Batch.from_json(b) for b in payload["batches"]), key=lambda b: b.batch_no)
    with hub_db.engine.connect() as conn:
        bundle_guard.check(conn, batches, device.user_id)
    results, counts = _apply(hub_db, user, batches, origin)
    from_cursor = int(header.get("pull_cursor") or 0)
    with hub_db.engine.begin() as conn:
        hub_calls.pulled(conn, device.id, from_cursor)  # what the laptop already has, by its own word
    carried, to_cursor = _changed_rows(hub_db, user, from_cursor, batches)
    back = {
        "kind": "return",
        "hub_id": greeting["hub_id"],
        "device_id": str(device.id),
        "schema": SCHEMA_HEAD,
        "created": now_iso(),
        "from_cursor": from_cursor,
        "to_cursor": to_cursor,
    }
    write_bundle(path_out, back, {"results": results, "tables": carried}, device.secret)
    rows = sum(len(part["rows"]) for part in carried.values())
    return ImportReport(device.name, user.display_name, len(batches), *counts, rows)


def _apply(hub_db: Database, user, batches: list[hub.Batch], origin: hub.Origin) -> tuple[list[dict], tuple]:
    """Each batch applied at most once, in order, as a push groups them; the answers and (applied,
    repeated, rejected, conflicts) of this import."""
    with hub_db.read(user) as s:
        answers = {b.batch_id: hub_calls.seen(s.connection(), origin.device_id, b.batch_id) for b in batches}
    fresh = [b for b in batches if answers[b.batch_id] is None]
    try:
        for start in range(0, len(fresh), push.GROUP):
            group = fresh[start : start + push.GROUP]
            answers.update(zip([b.batch_id for b in group], push.send(hub_db, user, group, origin), strict=True))
    except OutOfOrder:
        raise ServiceError(OUT_OF_ORDER) from None
    new = [answers[b.batch_id] for b in fresh]
    counts = (
        len(fresh),
        len(batches) - len(fresh),
        sum("rejected" in a for a in new),
        sum(len(a.get("conflicts", ())) for a in new),
    )
    results = [{"batch_id": str(b.batch_id), "batch_no": b.batch_no, "result": answers[b.batch_id]} for b in batches]
    return results, counts


def _changed_rows(hub_db: Database, user, after: int, batches: list[hub.Batch]) -> tuple[dict, int]:
    """The rows changed at the office after `after` and those the batches touched, as `user` sees them
    ({table: {"keys": every key asked for, "rows": the rows shown}}; a key without its row is one the
    laptop must remove), and the journal position they reach."""
    wanted: dict[str, set] = {}
    cursor = after
    with hub_db.read(user) as hs:
        while True:
            entries, top = pull.feed(hs, cursor)
            if top == cursor:
                break
            cursor = top
            for name, keys in pull.wanted_of(entries).items():
                wanted.setdefault(name, set()).update(keys)
        for batch in batches:
            for name, row_id in batch.keys():
                wanted.setdefault(name, set()).add(tables.key_value(tables.by_name()[name], row_id))
        carried = {}
        for table in tables.synced():
            keys = wanted.get(table.name)
            if keys:
                rows = pull.fetch(hs, table, keys, user.user_id)
                carried[table.name] = {"keys": sorted(map(tables.row_key, keys)), "rows": rows_to_json(rows)}
    return carried, cursor

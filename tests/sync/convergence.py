"""What the convergence property compares (sync.md §4 case 33), not a test module: a canonical dump of
the synced tables a replica holds, and the conflict ledger's account of the laptop edits the office
did not keep."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import inspect, select

from app.models import Identity, IdentityPhone, Opportunity, SyncConflict
from app.services.core.actor import SYSTEM, Actor
from app.services.core.audit import to_json
from app.services.core.database import Database
from app.services.sync import outbox, policy

COMPARED = (Identity, IdentityPhone, Opportunity, SyncConflict)
# Each database stamps these itself on every write.
STAMPED = frozenset({"version", "updated_at"})
_BY_TABLE = {cls.__tablename__: cls for cls in COMPARED}


def _columns(cls) -> list[tuple[str, str]]:
    """(column name, attribute name) of the compared columns."""
    mapper = inspect(cls)
    return [(c.name, mapper.get_property_by_column(c).key) for c in cls.__table__.columns if c.name not in STAMPED]


def dump(db: Database, actor: Actor) -> dict[str, dict[str, dict]]:
    """table → row id → column → JSON value, of every row `actor` may see in `db` (their access applies:
    the app's policy, and on the office server the row security of their own role)."""
    out: dict[str, dict[str, dict]] = {}
    with db.read(actor) as s:
        for cls in COMPARED:
            columns = _columns(cls)
            out[cls.__tablename__] = {
                str(obj.id): {name: to_json(getattr(obj, attr)) for name, attr in columns}
                for obj in s.scalars(select(cls))
            }
    return out


def differences(laptop: dict, office: dict, limit: int = 8) -> list[str]:
    """Readable differences between two dumps (empty: the same)."""
    found = []
    for table, office_rows in office.items():
        rows = laptop[table]
        for row_id in sorted(set(rows) | set(office_rows)):
            if row_id not in rows:
                found.append(f"{table} {row_id}: missing on the laptop")
            elif row_id not in office_rows:
                found.append(f"{table} {row_id}: on the laptop only")
            else:
                here, there = rows[row_id], office_rows[row_id]
                for name in sorted(n for n in there if here[n] != there[n]):
                    found.append(f"{table} {row_id}.{name}: laptop {here[name]!r}, office {there[name]!r}")
    return found[:limit]


@dataclass(frozen=True)
class PendingEdit:
    """A field a laptop changed and has not had acknowledged, with its local value."""

    table: str
    row_id: str
    field: str
    value: object  # JSON form


def pending_edits(db: Database) -> list[PendingEdit]:
    """The laptop's field edits still in its outbox (inserts, whole-row, are not field edits)."""
    with db.engine.connect() as conn:
        waiting = outbox.pending_fields(conn)
    found = []
    with db.read(SYSTEM) as s:
        for (table, row_id), fields in sorted(waiting.items()):
            cls = _BY_TABLE.get(table)
            if cls is None or fields is None:
                continue
            obj = s.get(cls, inspect(cls).primary_key[0].type.python_type(row_id))
            names = dict(_columns(cls))
            for name in sorted(set(fields) - policy.NOT_PUSHED - STAMPED):
                found.append(PendingEdit(table, row_id, name, to_json(getattr(obj, names[name]))))
    return found


def _holds(conflict: dict, edit: PendingEdit) -> bool:
    """Whether a conflict row of the edit's record keeps the edit's value (or, whole-record, the field)."""
    if conflict["field"] == edit.field:
        return edit.value in (conflict["server_value"], conflict["device_value"])
    if conflict["field"] is not None:
        return False
    kept = conflict["device_value"] or {}
    entries = kept.get("entries") if isinstance(kept, dict) else None
    if entries is not None:  # a refused batch keeps all of its entries
        return any(e["r"] == edit.row_id and edit.field in e["f"] for e in entries)
    return isinstance(kept, dict) and edit.field in kept


def _same(field: str, final, value) -> bool:
    if field == "deleted_at":  # deleted on both sides is one delete, at the office's time
        return (final is None) == (value is None)
    return final == value


def unexplained(edits: list[PendingEdit], office: dict) -> list[str]:
    """The edits whose final office value differs with no conflict row keeping them (empty: all told)."""
    ledger = office["sync_conflicts"].values()
    found = []
    for edit in edits:
        final = office[edit.table].get(edit.row_id)
        if final is None or _same(edit.field, final[edit.field], edit.value):
            continue
        if not any(c["table_name"] == edit.table and c["row_id"] == edit.row_id and _holds(c, edit) for c in ledger):
            found.append(
                f"{edit.table} {edit.row_id}.{edit.field}: laptop {edit.value!r}, office {final[edit.field]!r}"
            )
    return found

"""The office applying one of a laptop's batches, inside the office's write transaction as the laptop's
user: access checks, validation hooks, history and the journal all run as for a change made at the
office (sync.md §2.5 push, §2.7 conflict rules).

A field changed at the office after the laptop's `base_seq` (by anyone but this laptop) is concurrent:
equal values settle themselves; a manual field (policy.manual) keeps the office's value and opens a
conflict; any other field goes to the later edit by its edit time, the loser kept as an "auto" conflict.
An edit of a record deleted at the office, or a delete of a record edited there, is not applied and goes
to a person, and so does a new row under a parent deleted at the office (inserted, the parent flagged
"delete_update" with ORPHAN). A new identity sharing a phone or a code with another becomes a merge proposal."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import asdict, dataclass, field

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from app.models import Base, ChangeLogEntry, SyncConflict, new_id
from app.services.core.audit import to_json
from app.services.core.errors import ServiceError
from app.services.core.journal import EDITED_AT, ORIGIN_KEY
from app.services.sync import clock, documents, policy, tables


@dataclass(frozen=True)
class Origin:
    """Whose batch: the laptop, its user, its clock's offset from the office's and the office's time."""

    device_id: uuid.UUID
    user_id: uuid.UUID
    offset_ms: int
    office_now: dt.datetime


@dataclass
class Batch:
    """One local transaction of a laptop, as it travels (over the LAN or in a sync file)."""

    batch_no: int
    batch_id: uuid.UUID
    base_seq: int
    hlc: str
    schema: str
    entries: list[dict] = field(default_factory=list)  # {"t": table, "r": row id, "o": op, "f": fields}

    def to_json(self) -> dict:
        values = asdict(self)
        values["batch_id"] = str(self.batch_id)
        return values

    @classmethod
    def from_json(cls, values: dict) -> Batch:
        return cls(**{**values, "batch_id": uuid.UUID(values["batch_id"])})

    def keys(self) -> set[tuple[str, str]]:
        return {(e["t"], e["r"]) for e in self.entries if tables.is_synced(e["t"])}


CHUNK = 500  # keys per IN (...)
_CLASSES: dict[str, type] = {}


def _class_of(name: str) -> type:
    if not _CLASSES:
        _CLASSES.update({m.local_table.name: m.class_ for m in Base.registry.mappers})
    return _CLASSES[name]


class Office:
    """What the office knows about a group of batches' rows, read in a few queries for all of them: the
    rows themselves (into the session) and the journal's changes to them by anyone but this laptop."""

    def __init__(self, session: Session, group: list[Batch], origin: Origin) -> None:
        self.changes: dict[tuple[str, str], list] = {}
        self.rows: list = []
        keys: dict[str, set] = {}
        for batch in group:
            for e in batch.entries:
                if tables.is_synced(e["t"]):
                    keys.setdefault(e["t"], set()).add(e["r"])
        if not keys:
            return
        base = min(b.base_seq for b in group)
        log = ChangeLogEntry.__table__
        for name, row_ids in keys.items():
            table = tables.by_name()[name]
            ids = sorted(row_ids)
            for start in range(0, len(ids), CHUNK):
                chunk = ids[start : start + CHUNK]
                key_col = _class_of(name).__mapper__.get_property_by_column(tables.key_column(table)).class_attribute
                wanted = key_col.in_([tables.key_value(table, r) for r in chunk])
                self.rows += session.scalars(select(_class_of(name)).where(wanted)).all()  # held: the map is weak
                found = session.execute(
                    select(log.c.row_id, log.c.seq, log.c.fields, log.c.at, log.c.edited_at, log.c.user_id)
                    .where(
                        log.c.table_name == name,
                        log.c.row_id.in_(chunk),
                        log.c.seq > base,
                        log.c.device_id != origin.device_id.hex,
                    )
                    .order_by(log.c.seq)
                )
                for row_id, *change in found:
                    self.changes.setdefault((name, row_id), []).append(change)

    def changed_since(self, table: str, row_id: str, base: int) -> dict[str, tuple[dt.datetime, uuid.UUID | None]]:
        """Field → (edit time, who) of its last change at the office after `base`."""
        changed: dict[str, tuple[dt.datetime, uuid.UUID | None]] = {}
        for seq, fields, at, edited_at, user in self.changes.get((table, row_id), ()):
            if seq > base:
                for name in fields or {"deleted_at": None}:
                    changed[name] = (edited_at or at, user)
        return changed


class _Apply:
    def __init__(self, session: Session, batch: Batch, origin: Origin, office: Office) -> None:
        self.s, self.batch, self.origin, self.office = session, batch, origin, office
        edited = clock.edit_time(batch.hlc, origin.offset_ms)
        self.trusted = clock.believable(edited, origin.office_now)
        self.edited_at = edited if self.trusted else origin.office_now
        self.conflicts: list[SyncConflict] = []
        self.inserted_identities: list[uuid.UUID] = []
        self.documents: list[tuple] = []  # rows for documents.on_hub_apply once the whole batch is in

    def conflict(self, table: str, row_id: str, kind: str, **values) -> None:
        row = SyncConflict(
            id=new_id(),  # named in the batch's answer before any flush
            user_id=self.origin.user_id,
            device_id=self.origin.device_id,
            table_name=table,
            row_id=row_id,
            kind=kind,
            device_at=self.edited_at,
            **values,
        )
        self.s.add(row)
        self.conflicts.append(row)

    def entry(self, e: dict) -> None:
        table = tables.by_name().get(e["t"])
        if table is None:
            return
        cls = _class_of(table.name)
        values = {k: v for k, v in e["f"].items() if k not in policy.NOT_PUSHED or e["o"] == "insert"}
        values = tables.to_python(table, values)
        key = tables.key_value(table, e["r"])
        obj = self.s.get(cls, key)  # in the session already (Office)
        self.s.info.setdefault(EDITED_AT, {})[(table.name, e["r"])] = self.edited_at
        if e["o"] == "insert" and obj is None:
            values[tables.key_column(table).name] = key
            values.pop("version", None)
            obj = cls(**{_attr(cls, table, n): v for n, v in values.items()})
            self.s.add(obj)
            if table.name == "identities":
                self.inserted_identities.append(key)
            self.orphan(table, e, values)
            documents.posting_date(self.s, obj, e["o"], values)
            documents.number_first(self.s, obj, e["o"], values)
            self.documents.append((obj, e["o"], values))
            return
        if obj is None:
            if e["o"] != "delete":  # gone, or no longer this user's: the laptop's transaction is refused whole
                raise ServiceError(_GONE)
            return
        if e["o"] == "delete" and "deleted_at" not in values:
            self.s.delete(obj)  # a link row removed
            return
        self.update(table, cls, obj, e, values)
        documents.posting_date(self.s, obj, e["o"], values)
        documents.number_first(self.s, obj, e["o"], values)
        self.documents.append((obj, e["o"], values))

    def orphan(self, table: Table, e: dict, values: dict) -> None:
        """A new row under a parent deleted here is kept (the work is not lost), the parent flagged once."""
        column = getattr(_class_of(table.name), "__access_parent__", None) or "identity_id"
        parent_id = values.get(column) if column in table.c else None
        if parent_id is None:
            return
        (fk,) = table.c[column].foreign_keys
        parent_table = fk.column.table.name
        parent = self.s.get(_class_of(parent_table), parent_id)
        flagged = {(c.table_name, c.row_id) for c in self.conflicts}
        if getattr(parent, "deleted_at", None) is None or (parent_table, str(parent_id)) in flagged:
            return
        made = {"t": e["t"], "r": e["r"]}
        self.conflict(parent_table, str(parent_id), "delete_update", device_value=made, message=ORPHAN)

    def update(self, table: Table, cls: type, obj, e: dict, values: dict) -> None:
        changed = self.office.changed_since(table.name, e["r"], self.batch.base_seq)
        deleted_here = getattr(obj, "deleted_at", None) is not None
        if deleted_here and values.get("deleted_at") is not None:
            return  # deleted on both sides: one delete
        deleting = values.get("deleted_at") is not None
        if deleted_here and "deleted_at" not in values:
            when, who = changed.get("deleted_at", (None, None))
            self.conflict(table.name, e["r"], "delete_update", device_value=e["f"], server_at=when, server_user_id=who)
            return
        if deleting and set(changed) - {"deleted_at"}:
            when, who = max(changed.values(), key=lambda c: c[0])
            self.conflict(table.name, e["r"], "update_delete", device_value=e["f"], server_at=when, server_user_id=who)
            return
        for name, value in values.items():
            attr = _attr(cls, table, name)
            current = getattr(obj, attr)
            if name not in changed or current == value:
                setattr(obj, attr, value)
                continue
            when, who = changed[name]
            both = {"server_value": to_json(current), "device_value": to_json(value)}
            common = {"field": name, "server_at": when, "server_user_id": who, **both}
            if policy.manual(table, name) or not self.trusted:
                self.conflict(table.name, e["r"], "update_update", status="open", **common)
            elif self.edited_at > when:
                setattr(obj, attr, value)
                self.conflict(table.name, e["r"], "update_update", status="auto", resolution="device", **common)
            else:
                self.conflict(table.name, e["r"], "update_update", status="auto", resolution="server", **common)

    def duplicates(self) -> None:
        """A new identity sharing a phone, e-mail or code with one the user already sees: a merge proposal."""
        if not self.inserted_identities:
            return
        from app.services.sync.duplicates import proposals

        self.s.flush()
        for made, other_id, reasons in proposals(self.s, self.inserted_identities):
            self.conflict("identities", str(made), "duplicate", other_row_id=str(other_id), message=reasons)


def _attr(cls: type, table: Table, column: str) -> str:
    from sqlalchemy import inspect

    return inspect(cls).get_property_by_column(table.c[column]).key


ORPHAN = (
    "روی این رکورد، که در دفتر حذف شده است، از لپ‌تاپ مورد تازه‌ای ثبت شد؛ رکورد را بازگردانید یا مورد تازه را حذف کنید."
)
_GONE = "این رکورد در دفتر نیست یا دیگر در دسترس شما نیست."


def _parents_first(e: dict) -> int:
    """A batch's entries follow the laptop's session, not its foreign keys (a child added before its new
    parent); a lookup here may flush what came before, so parents' tables go first (stable: one row's
    entries keep their order)."""
    return tables.order().get(e["t"], -1)


def apply_batch(session: Session, batch: Batch, origin: Origin, office: Office | None = None) -> dict:
    """Applies the batch in the caller's transaction (`office`: read for its group, else for it alone);
    its answer for the ledger."""
    session.info[ORIGIN_KEY] = origin.device_id.hex
    run = _Apply(session, batch, origin, office or Office(session, [batch], origin))
    for e in sorted(batch.entries, key=_parents_first):
        run.entry(e)
    for obj, op, values in run.documents:  # an invoice issued on the laptop: its stock, with its lines
        documents.on_hub_apply(session, obj, op, values)
    run.duplicates()
    return {"applied": len(batch.entries), "conflicts": [str(c.id) for c in run.conflicts]}


def reject(session: Session, batch: Batch, origin: Origin, message: str) -> dict:
    """The office refused the batch (a rule, access): nothing of it applied, all of it kept for a person."""
    session.info[ORIGIN_KEY] = origin.device_id.hex
    run = _Apply(session, batch, origin, Office(session, [], origin))
    first = next((e for e in batch.entries if tables.is_synced(e["t"])), None)
    run.conflict(
        first["t"] if first else "",
        first["r"] if first else "",
        "rejected",
        device_value={"entries": batch.entries},
        message=message,
    )
    session.flush()
    return {"rejected": message, "conflicts": [str(c.id) for c in run.conflicts]}

"""Merging two identities: the survivor keeps a chosen value per field and receives every related
row; the other becomes a tombstone (merged_into_id). A MergeRecord keeps what undo needs.

Related rows are found from the metadata (every column with a foreign key to identities.id), so
tables added by later issues move too. They move with Core UPDATEs that bump version/updated_*
and write one audit entry per row, because the actor's right over both identities is what
authorises the move (a row owned by someone else, e.g. a colleague's invoice, still follows
its customer).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import Table, UniqueConstraint, and_, delete, insert, select, update
from sqlalchemy.orm import Session

from app.models import (
    AuditEntry,
    Base,
    Follower,
    Identity,
    IdentityEmail,
    IdentityPhone,
    MergeRecord,
    Message,
    MessageRead,
    RecentRecord,
    User,
    utcnow,
)
from app.services.core.access import SKIP, fetch
from app.services.core.actor import Actor
from app.services.core.audit import to_json
from app.services.core.database import Database
from app.services.core.errors import NotFound, ServiceError
from app.services.core.fields import MergeRule, merged_by
from app.services.core.labels import KIND, ROLE, field_label
from app.services.identities.fields import IDENTITY_FIELDS

TABLE = "identities"
# Fields whose surviving value the user chooses (the field table says which); the rest belong to the survivor.
FIELDS = merged_by(IDENTITY_FIELDS, MergeRule.CHOOSE)
_ROLE_RANK = {"unqualified": 0, "lead": 1, "contact": 2, "customer": 3}


@dataclass(frozen=True)
class MergeField:
    name: str
    label: str
    survivor_value: str  # as shown
    merged_value: str
    take_merged_by_default: bool


@dataclass(frozen=True)
class MergePreview:
    survivor_id: uuid.UUID
    survivor_name: str
    merged_id: uuid.UUID
    merged_name: str
    fields: list[MergeField]
    related: dict[str, int]  # Persian table name -> rows that will move


@dataclass(frozen=True)
class MergeRow:
    id: uuid.UUID
    survivor_id: uuid.UUID
    merged_id: uuid.UUID
    merged_name: str
    at: dt.datetime
    by: str
    undone_at: dt.datetime | None


def identity_references() -> list[tuple[Table, str]]:
    """(table, column) for every foreign key to identities.id, in every table the models define."""
    found = []
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if any(fk.column.table.name == TABLE and fk.column.name == "id" for fk in column.foreign_keys):
                found.append((table, column.name))
    return found


def _shown(s: Session, name: str, value) -> str:
    if value is None or value == "":
        return ""
    if name == "role":
        return ROLE.get(value, str(value))
    if name == "kind":
        return KIND.get(value, str(value))
    if name in ("organisation_id", "owner_id", "category_id", "source_id"):
        from app.models import Category, Source

        model, attr = {
            "organisation_id": (Identity, "display_name"),
            "owner_id": (User, "display_name"),
            "category_id": (Category, "name"),
            "source_id": (Source, "name"),
        }[name]
        row = s.get(model, value)
        return getattr(row, attr) if row is not None else ""
    if isinstance(value, dt.date):
        from app.persian import format_date

        return format_date(value)
    return str(value)


def _default_take_merged(name: str, survivor, merged) -> bool:
    a, b = getattr(survivor, name), getattr(merged, name)
    if name == "role":
        return _ROLE_RANK[b.value] > _ROLE_RANK[a.value]
    return (a is None or a == "") and b not in (None, "")


def _pair(s: Session, survivor_id, merged_id) -> tuple[Identity, Identity]:
    if survivor_id == merged_id:
        raise ServiceError("یک هویت را نمی‌توان با خودش ادغام کرد.")
    survivor = fetch(s, Identity, survivor_id, "هویت")
    merged = fetch(s, Identity, merged_id, "هویت")
    for identity in (survivor, merged):
        if identity.merged_into_id is not None:
            raise ServiceError(f"«{identity.display_name}» قبلاً در هویت دیگری ادغام شده است.")
    return survivor, merged


def _key_of(table: Table, row) -> dict:
    return {c.name: to_json(getattr(row, c.name)) for c in table.primary_key.columns}


def _move_rows(s: Session, actor: Actor, table: Table, column: str, src, dst, now, exclude=()) -> dict:
    """Re-points `column` from src to dst; returns the undo entry {"table", "column", "moved", "dropped"}."""
    col = table.c[column]
    pk = list(table.primary_key.columns)
    # A link row (identity_tags) is one per (identity, tag): the survivor may already have it.
    unique = [list(u.columns) for u in table.constraints if isinstance(u, UniqueConstraint) and column in u.columns]
    link = unique[0] if unique else []
    rows = s.execute(select(table).where(col == src).execution_options(**{SKIP: True})).all()
    moved, dropped = [], []
    for row in rows:
        key = _key_of(table, row)
        if "id" in key and key["id"] in {str(e) for e in exclude}:
            continue
        if link:
            others = [c for c in link if c is not col]
            twin = select(table).where(col == dst, *[c == getattr(row, c.name) for c in others])
            if s.execute(twin.execution_options(**{SKIP: True})).first() is not None:
                s.execute(
                    delete(table)
                    .where(and_(*[c == getattr(row, c.name) for c in pk]))
                    .execution_options(**{SKIP: True})
                )
                dropped.append({c.name: to_json(getattr(row, c.name)) for c in table.columns})
                continue
        values = {column: dst}
        if "version" in table.c and "updated_at" in table.c:
            values |= {"version": table.c.version + 1, "updated_at": now, "updated_by": actor.user_id}
        s.execute(
            update(table)
            .where(and_(*[c == getattr(row, c.name) for c in pk]))
            .values(**values)
            .execution_options(**{SKIP: True})
        )
        moved.append(key)
        if "id" in table.c and "version" in table.c:
            s.add(
                AuditEntry(
                    user_id=actor.user_id,
                    record_table=table.name,
                    record_id=row.id,
                    parent_id=dst if column == "identity_id" else None,
                    action="update",
                    changes={column: [to_json(src), to_json(dst)]},
                )
            )
    return {"table": table.name, "column": column, "moved": moved, "dropped": dropped}


# Rows naming an identity by (record_table, record_id), and whether each user has at most one per record.
POLYMORPHIC = {Follower: True, RecentRecord: False, Message: False, MessageRead: True}
_POLYMORPHIC_BY_TABLE = {model.__tablename__: model for model in POLYMORPHIC}


def _move_polymorphic(s: Session, model, src, dst, unique_user: bool) -> dict:
    """Followers, recent records, messages and read marks name an identity by (record_table, record_id)."""
    rows = s.scalars(
        select(model).where(model.record_table == TABLE, model.record_id == src).execution_options(**{SKIP: True})
    ).all()
    moved, dropped = [], []
    for row in rows:
        if unique_user:
            twin = select(model.id).where(
                model.record_table == TABLE, model.record_id == dst, model.user_id == row.user_id
            )
            if s.execute(twin.execution_options(**{SKIP: True})).first() is not None:
                dropped.append({"id": str(row.id), "user_id": str(row.user_id)})
                s.delete(row)
                continue
        row.record_id = dst
        moved.append(str(row.id))
    return {"table": model.__tablename__, "moved": moved, "dropped": dropped}


def _drop_repeated_children(s: Session, survivor: Identity, moves: list[dict], now) -> dict[str, list[str]]:
    """The same phone or e-mail on both identities is kept once (the survivor's own); the moved ones
    follow the survivor's in position. Returns the removed rows' ids per table, for undo."""
    moved = {key.get("id") for m in moves for key in m["moved"] if m["table"] in ("identity_phones", "identity_emails")}
    removed: dict[str, list[str]] = {}
    for rows, key in ((survivor.phones, "number_key"), (survivor.emails, "email_key")):
        live = sorted((r for r in rows if r.deleted_at is None), key=lambda r: (str(r.id) in moved, r.position))
        seen: set[str] = set()
        for row in live:
            value = getattr(row, key)
            if value in seen:
                row.deleted_at = now
                removed.setdefault(row.__tablename__, []).append(str(row.id))
                continue
            seen.add(value)
            if row.position != len(seen) - 1:
                row.position = len(seen) - 1
    return removed


class IdentityMergeService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def preview(self, actor: Actor, survivor_id: uuid.UUID, merged_id: uuid.UUID) -> MergePreview:
        """Both identities' values side by side, with the suggested choice and the rows that will move.
        Whoever may see both; raises ServiceError, NotFound, AccessDenied. Reads."""
        from app.services.core.labels import TABLE as TABLES

        with self._db.read(actor) as s:
            survivor, merged = _pair(s, survivor_id, merged_id)
            fields = [
                MergeField(
                    name,
                    field_label(name, TABLE),
                    _shown(s, name, getattr(survivor, name)),
                    _shown(s, name, getattr(merged, name)),
                    _default_take_merged(name, survivor, merged),
                )
                for name in FIELDS
                if getattr(survivor, name) not in (None, "") or getattr(merged, name) not in (None, "")
            ]
            related: dict[str, int] = {}
            for table, column in identity_references():
                if table.name == TABLE and column == "merged_into_id":
                    continue
                stmt = select(table.c[column]).where(table.c[column] == merged_id).execution_options(**{SKIP: True})
                n = len(s.execute(stmt).all())
                if n:
                    label = TABLES.get(table.name, table.name)
                    related[label] = related.get(label, 0) + n
            return MergePreview(survivor.id, survivor.display_name, merged.id, merged.display_name, fields, related)

    def merge(
        self, actor: Actor, survivor_id: uuid.UUID, merged_id: uuid.UUID, take_from_merged: set[str] | None = None
    ) -> uuid.UUID:
        """Merges `merged_id` into `survivor_id`, taking the named FIELDS from the merged one (None:
        the preview's suggestions). Returns the MergeRecord id. Whoever may edit both identities;
        raises ServiceError, NotFound, AccessDenied. Writes (one transaction)."""
        with self._db.write(actor) as s:
            survivor, merged = _pair(s, survivor_id, merged_id)
            if take_from_merged is None:
                take_from_merged = {n for n in FIELDS if _default_take_merged(n, survivor, merged)}
            unknown = set(take_from_merged) - set(FIELDS)
            if unknown:
                raise ServiceError(f"فیلد ناشناخته برای ادغام: {', '.join(sorted(unknown))}")
            before = {n: to_json(getattr(survivor, n)) for n in FIELDS}
            for name in FIELDS:
                if name in take_from_merged:
                    setattr(survivor, name, getattr(merged, name))
            if survivor.kind.value == "organisation" and not survivor.org_name:
                survivor.org_name = survivor.display_name
            from app.services.identities.records import display_name

            survivor.display_name = (
                display_name(
                    survivor.kind, survivor.first_name or "", survivor.last_name or "", survivor.org_name or ""
                )
                or survivor.display_name
            )
            merged.merged_into_id = survivor.id
            s.flush()
            now = utcnow()
            moves = []
            for table, column in identity_references():
                if table.name == TABLE and column == "merged_into_id":
                    moves.append(_move_rows(s, actor, table, column, merged.id, survivor.id, now, exclude=[merged.id]))
                elif table.name == TABLE:
                    moves.append(
                        _move_rows(s, actor, table, column, merged.id, survivor.id, now, exclude=[survivor.id])
                    )
                else:
                    moves.append(_move_rows(s, actor, table, column, merged.id, survivor.id, now))
            for model, unique_user in POLYMORPHIC.items():
                moves.append(_move_polymorphic(s, model, merged.id, survivor.id, unique_user))
            s.expire(survivor)  # its children changed under the ORM: reload before refreshing derived columns
            from app.services.identities.search_index import refresh

            removed = _drop_repeated_children(s, survivor, moves, now)
            refresh(s, survivor)
            after = {n: to_json(getattr(survivor, n)) for n in FIELDS}
            record = MergeRecord(
                record_table=TABLE,
                survivor_id=survivor.id,
                merged_id=merged.id,
                snapshot={
                    "before": before,
                    "after": after,
                    "moves": [m for m in moves if m["moved"] or m["dropped"]],
                    "repeated": removed,
                },
            )
            s.add(record)
            s.add(
                AuditEntry(
                    user_id=actor.user_id,
                    record_table=TABLE,
                    record_id=survivor.id,
                    action="merge",
                    changes={"merged_into_id": [str(merged.id), merged.display_name]},
                )
            )
            s.flush()
            return record.id

    def undo(self, actor: Actor, merge_id: uuid.UUID) -> None:
        """Undoes a merge: the tombstone lives again, moved rows go back, and the survivor's fields the
        merge set (and nobody changed since) return. Whoever may edit the survivor; raises ServiceError
        (already undone, survivor merged away since), NotFound, AccessDenied. Writes."""
        with self._db.write(actor) as s:
            record = s.get(MergeRecord, merge_id)
            if record is None or record.record_table != TABLE or record.deleted_at is not None:
                raise NotFound("ادغام")
            if record.undone_at is not None:
                raise ServiceError("این ادغام قبلاً بازگردانده شده است.")
            survivor = fetch(s, Identity, record.survivor_id, "هویت")
            if survivor.merged_into_id is not None:
                raise ServiceError("هویت باقی‌مانده خودش در هویت دیگری ادغام شده است؛ ابتدا آن ادغام را بازگردانید.")
            merged = s.get(Identity, record.merged_id)
            if merged is None:
                raise NotFound("هویت ادغام‌شده")
            self._restore(s, actor, record, survivor, merged)

    def _restore(self, s: Session, actor: Actor, record: MergeRecord, survivor: Identity, merged: Identity) -> None:
        snapshot = record.snapshot
        now = utcnow()
        tables = {t.name: t for t in Base.metadata.sorted_tables}
        merged.merged_into_id = None
        for table_name, ids in snapshot.get("repeated", {}).items():
            model = {"identity_phones": IdentityPhone, "identity_emails": IdentityEmail}[table_name]
            for row_id in ids:
                row = s.get(model, uuid.UUID(row_id))
                if row is not None:
                    row.deleted_at = None
        s.flush()
        for move in snapshot["moves"]:
            if "column" not in move:  # a (record_table, record_id) move; messages also move by identity_id
                self._restore_polymorphic(s, move, survivor.id, merged.id)
                continue
            table = tables[move["table"]]
            col = table.c[move["column"]]
            for key in move["moved"]:
                where = [table.c[k] == _from_json(table.c[k], v) for k, v in key.items() if k != move["column"]]
                values = {move["column"]: merged.id}
                if "version" in table.c and "updated_at" in table.c:
                    values |= {"version": table.c.version + 1, "updated_at": now, "updated_by": actor.user_id}
                s.execute(
                    update(table).where(col == survivor.id, *where).values(**values).execution_options(**{SKIP: True})
                )
            for row in move["dropped"]:
                values = {k: _from_json(table.c[k], v) for k, v in row.items()}
                s.execute(insert(table).values(values).execution_options(**{SKIP: True}))
        for name in FIELDS:
            if to_json(getattr(survivor, name)) == snapshot["after"].get(name) and name in snapshot["before"]:
                setattr(survivor, name, _from_json(Identity.__table__.c[name], snapshot["before"][name]))
        from app.services.identities.records import display_name

        for identity in (survivor, merged):
            identity.display_name = (
                display_name(
                    identity.kind, identity.first_name or "", identity.last_name or "", identity.org_name or ""
                )
                or identity.display_name
            )
        record.undone_at = now
        s.flush()
        s.expire(survivor)
        s.expire(merged)
        from app.services.identities.search_index import refresh

        refresh(s, survivor)
        refresh(s, merged)
        s.add(
            AuditEntry(
                user_id=actor.user_id,
                record_table=TABLE,
                record_id=survivor.id,
                action="unmerge",
                changes={"merged_into_id": [merged.display_name, None]},
            )
        )

    @staticmethod
    def _restore_polymorphic(s: Session, move: dict, survivor_id, merged_id) -> None:
        model = _POLYMORPHIC_BY_TABLE[move["table"]]
        for row_id in move["moved"]:
            row = s.get(model, uuid.UUID(row_id))
            if row is not None and row.record_id == survivor_id:
                row.record_id = merged_id
        for row in move["dropped"]:
            s.add(model(record_table=TABLE, record_id=merged_id, user_id=uuid.UUID(row["user_id"])))

    def merges(self, actor: Actor, identity_id: uuid.UUID) -> list[MergeRow]:
        """Merges into this identity, newest first (its history tab offers undo). Whoever may see it;
        raises NotFound, AccessDenied. Reads."""
        with self._db.read(actor) as s:
            fetch(s, Identity, identity_id, "هویت")
            stmt = (
                select(MergeRecord, Identity.display_name, User.display_name)
                .join(Identity, Identity.id == MergeRecord.merged_id)
                .outerjoin(User, User.id == MergeRecord.created_by)
                .where(MergeRecord.record_table == TABLE, MergeRecord.survivor_id == identity_id)
                .order_by(MergeRecord.created_at.desc())
                .execution_options(**{SKIP: True})
            )
            return [
                MergeRow(m.id, m.survivor_id, m.merged_id, name, m.created_at, by or "سیستم", m.undone_at)
                for m, name, by in s.execute(stmt)
            ]


def _from_json(column, value):
    """A snapshot value back to the column's Python type."""
    if value is None:
        return None
    python_type = None
    try:
        python_type = column.type.python_type
    except NotImplementedError:
        pass
    if python_type is uuid.UUID:
        return uuid.UUID(value)
    if python_type is dt.datetime:
        return dt.datetime.fromisoformat(value)
    if python_type is dt.date:
        return dt.date.fromisoformat(value)
    if hasattr(column.type, "enum_class") and column.type.enum_class is not None:
        return column.type.enum_class(value)
    return value

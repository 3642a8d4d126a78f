"""The conflicts inbox «تعارض‌ها»: what the office met when a laptop's change arrived, and a person's choice.

A conflict (app.models.SyncConflict, made by the hub) is an owned record like any other: it reaches its
rep's laptop by sync and its resolution travels back. Each resolution is one write transaction as the
actor: the chosen value goes into the record's field through the ORM, so the access check, the history
and the journal see it as any edit, and the conflict is marked resolved with who and when.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import SyncConflict, SyncDevice, User, utcnow
from app.services.core.access import SKIP, fetch, may_change
from app.services.core.actor import Actor
from app.services.core.changes import Changes, collecting
from app.services.core.database import Database
from app.services.core.errors import AccessDenied, NotFound, ServiceError
from app.services.core.labels import TABLE, field_label
from app.services.sync import conflict_values as values

KIND = {
    "update_update": "ویرایش هم‌زمان",
    "delete_update": "ویرایش رکورد حذف‌شده",
    "update_delete": "حذف رکورد ویرایش‌شده",
    "duplicate": "هویت تکراری",
    "rejected": "ردشده در دفتر",
}
STATUS = {"open": "باز", "auto": "حل خودکار", "resolved": "حل‌شده"}
RESOLUTION = {
    "server": "نسخهٔ دفتر",
    "device": "نسخهٔ رایانهٔ همراه",
    "merged": "ادغام",
    "restored": "بازگردانده شد",
    "discarded": "کنار گذاشته شد",
}
WHOLE_RECORD = "کل رکورد"
# What a side of a whole-record conflict did when it holds no values.
DELETED_AT_OFFICE = "این رکورد در دفتر حذف شده است."
DELETED_ON_LAPTOP = "این رکورد در رایانهٔ همراه حذف شد."
EDITED_AT_OFFICE = "این رکورد پس از آن در دفتر ویرایش شده است."
REFUSED = "تغییر پذیرفته نشد."
_EMPTY_SIDE = {
    ("delete_update", "server"): DELETED_AT_OFFICE,
    ("update_delete", "device"): DELETED_ON_LAPTOP,
    ("update_delete", "server"): EDITED_AT_OFFICE,
    ("rejected", "server"): REFUSED,
}
WHAT = "تعارض"
SETTLED = "این تعارض پیش‌تر حل شده است."
NOT_HERE = "این راه برای این نوع تعارض نیست."


@dataclass(frozen=True)
class ConflictView:
    id: uuid.UUID
    kind: str
    kind_label: str
    status: str
    status_label: str
    table_name: str
    record_kind: str  # «فرصت»
    row_id: str
    record_title: str
    field: str | None
    field_label: str
    server_text: str
    device_text: str
    server_value: object  # the stored JSON, for the merge editor
    device_value: object
    server_who: str
    server_at: dt.datetime | None
    device_who: str
    device_name: str
    device_at: dt.datetime | None
    message: str | None
    other_row_id: str | None
    other_title: str
    resolution_label: str
    resolved_by: str
    resolved_at: dt.datetime | None
    actions: frozenset[str]  # server, device, merge, restore, discard, merge_duplicate


def actions_of(c: SyncConflict, mergeable: bool) -> frozenset[str]:
    """The choices a conflict still offers: none once resolved; an automatic one may be reverted."""
    if c.status == "resolved":
        return frozenset()
    return frozenset(
        {
            "update_update": {"server", "device", *(["merge"] if mergeable else [])},
            "delete_update": {"server", "restore"},
            "update_delete": {"server", "device"},
            "duplicate": {"merge_duplicate", "discard"},
            "rejected": {"discard"},
        }.get(c.kind, set())
    )


class ConflictService:
    def __init__(self, db: Database) -> None:
        self._db = db

    # --- reading ---------------------------------------------------------------------------
    def on_laptop(self) -> bool:
        """Whether this database is a laptop's copy (its own side is then «این رایانه»)."""
        from app.services.sync import state

        return state.load(self._db) is not None

    def list(self, actor: Actor, include_settled: bool = False) -> list[ConflictView]:
        """The conflicts the actor may see, open ones (with `include_settled` also the automatic and the
        resolved), open first, newest first. Reads."""
        stmt = select(SyncConflict).where(SyncConflict.deleted_at.is_(None))
        if not include_settled:
            stmt = stmt.where(SyncConflict.status == "open")
        stmt = stmt.order_by((SyncConflict.status != "open"), SyncConflict.created_at.desc())
        with self._db.read(actor) as s:
            rows = s.scalars(stmt).all()
            users = _names(s, User, {u for c in rows for u in (c.user_id, c.server_user_id, c.resolved_by) if u})
            devices = _names(s, SyncDevice, {c.device_id for c in rows if c.device_id}, "name")
            return [_view(s, c, users, devices) for c in rows]

    def count_open(self, actor: Actor) -> int:
        """How many conflicts the actor may see wait for a person. Reads."""
        stmt = select(func.count()).where(SyncConflict.status == "open", SyncConflict.deleted_at.is_(None))
        with self._db.read(actor) as s:
            return s.scalar(stmt.select_from(SyncConflict)) or 0

    # --- resolving -------------------------------------------------------------------------
    def keep_server(self, actor: Actor, conflict_id: uuid.UUID) -> Changes:
        """The office's version stays: an automatic win of the laptop's value is reverted; a record
        deleted at the office stays deleted; one the laptop deleted stays. Raises ServiceError,
        NotFound, AccessDenied. Writes."""
        with collecting() as changes, self._db.write(actor) as s:
            c = _open(s, conflict_id, "server")
            if c.kind == "update_update":
                row = _record(s, c)
                if values.same(row, c.field, c.device_value) and not values.same(row, c.field, c.server_value):
                    values.write_fields(row, {c.field: c.server_value})
            _resolve(c, actor, "server")
        return changes.build()

    def keep_device(self, actor: Actor, conflict_id: uuid.UUID) -> Changes:
        """The laptop's version wins: its value goes into the field, or the record it deleted is
        deleted. Raises ServiceError, NotFound, AccessDenied (the record is not the actor's). Writes."""
        with collecting() as changes, self._db.write(actor) as s:
            c = _open(s, conflict_id, "device")
            row = _record(s, c)
            if c.kind == "update_delete":
                row.deleted_at = utcnow()
            else:
                values.write_fields(row, {c.field: c.device_value})
            _resolve(c, actor, "device")
        return changes.build()

    def merge(self, actor: Actor, conflict_id: uuid.UUID, value: str) -> Changes:
        """A text field takes the person's combination of both versions. Raises ServiceError, NotFound,
        AccessDenied. Writes."""
        with collecting() as changes, self._db.write(actor) as s:
            c = _open(s, conflict_id, "merge")
            row, text = _record(s, c), value.strip()
            if not text and not values.column(type(row), c.field).nullable:
                raise ServiceError(f"«{field_label(c.field, c.table_name)}» نمی‌تواند خالی بماند.")
            values.write_fields(row, {c.field: text or None})
            _resolve(c, actor, "merged")
        return changes.build()

    def restore(self, actor: Actor, conflict_id: uuid.UUID) -> Changes:
        """A record deleted at the office while this laptop edited it lives again, with the laptop's
        values. Raises ServiceError, NotFound, AccessDenied. Writes."""
        with collecting() as changes, self._db.write(actor) as s:
            c = _open(s, conflict_id, "restore")
            row = _record(s, c)
            row.deleted_at = None
            if isinstance(c.device_value, dict):
                values.write_fields(row, c.device_value)
            _resolve(c, actor, "restored")
        return changes.build()

    def discard(self, actor: Actor, conflict_id: uuid.UUID) -> Changes:
        """Sets aside a change the office refused (or two identities that are in fact two people).
        Raises ServiceError, NotFound, AccessDenied. Writes."""
        with collecting() as changes, self._db.write(actor) as s:
            _resolve(_open(s, conflict_id, "discard"), actor, "discarded")
        return changes.build()

    def merge_duplicate(
        self, actor: Actor, conflict_id: uuid.UUID, keep_row_id: str, take_from_merged: set[str] | None = None
    ) -> Changes:
        """Two identities made on two laptops become one through the identity merge, keeping
        `keep_row_id`; `take_from_merged` as the merge takes it (None: the merge's suggestions). Whoever
        may edit both; raises ServiceError, NotFound, AccessDenied. Writes (the merge, then the mark)."""
        from app.services.identities.merge import IdentityMergeService

        with self._db.read(actor) as s:
            c = _open(s, conflict_id, "merge_duplicate")
            if not may_change(s, c):
                raise AccessDenied()
            pair = {c.row_id, c.other_row_id}
        if str(keep_row_id) not in pair or None in pair:
            raise ServiceError("هویتی که می‌ماند باید یکی از دو هویت این تعارض باشد.")
        other = next(r for r in pair if r != str(keep_row_id))
        with collecting() as changes:
            IdentityMergeService(self._db).merge(actor, uuid.UUID(str(keep_row_id)), uuid.UUID(other), take_from_merged)
            with self._db.write(actor) as s:
                _resolve(_open(s, conflict_id, "merge_duplicate"), actor, "merged")
        return changes.build()


def _names(s: Session, model: type, ids: set, attr: str = "display_name") -> dict:
    if not ids:
        return {}
    return dict(s.execute(select(model.id, getattr(model, attr)).where(model.id.in_(ids))).all())


def _open(s: Session, conflict_id: uuid.UUID, action: str) -> SyncConflict:
    """The conflict if the actor may see it and it still offers `action`."""
    c = fetch(s, SyncConflict, conflict_id, WHAT)
    if c.status == "resolved":
        raise ServiceError(SETTLED)
    if action not in actions_of(c, mergeable=_is_text(c)):
        raise ServiceError(NOT_HERE)
    return c


def _record(s: Session, c: SyncConflict):
    """The record the conflict is about, deleted or not (a delete is one of the things that met)."""
    model = values.model_of(c.table_name)
    key = values.row_key(model, c.row_id)
    row = s.get(model, key)
    if row is None:
        (key_column,) = model.__table__.primary_key.columns
        stmt = select(key_column).where(key_column == key).execution_options(**{SKIP: True})
        hidden = s.execute(stmt).first()
        raise AccessDenied() if hidden else NotFound(TABLE.get(c.table_name, "رکورد"))
    return row


def _resolve(c: SyncConflict, actor: Actor, resolution: str) -> None:
    c.status = "resolved"
    c.resolution = resolution
    c.resolved_by = actor.user_id
    c.resolved_at = utcnow()


def _is_text(c: SyncConflict) -> bool:
    """A text field both sides edited: a person may combine the two."""
    if c.kind != "update_update" or not c.field:
        return False
    model = values.find_model(c.table_name)
    col = model.__table__.columns.get(c.field) if model is not None else None
    if col is None or col.foreign_keys:
        return False
    try:
        return col.type.python_type is str and not hasattr(col.type, "enum_class")
    except NotImplementedError:
        return False


def _view(s: Session, c: SyncConflict, users: dict, devices: dict) -> ConflictView:
    table = c.table_name
    model = values.find_model(table)

    def get(row_id: str | None):
        return s.get(model, values.row_key(model, row_id)) if model is not None and row_id else None

    row, other = get(c.row_id), get(c.other_row_id)
    title = values.record_title(s, model, row) if model is not None else values.EMPTY
    other_title = values.record_title(s, model, other) if c.other_row_id and model is not None else ""
    if c.field:
        server = values.text_of(s, table, c.field, c.server_value)
        device = values.text_of(s, table, c.field, c.device_value)
    elif c.kind == "duplicate":  # the identity already known, and the one the laptop made
        server, device = other_title, title
    else:
        server = values.record_text(s, table, c.server_value)
        device = values.record_text(s, table, c.device_value)
        if server == values.EMPTY:
            server = _EMPTY_SIDE.get((c.kind, "server"), server)
        if device == values.EMPTY:
            device = _EMPTY_SIDE.get((c.kind, "device"), device)
    return ConflictView(
        id=c.id,
        kind=c.kind,
        kind_label=KIND.get(c.kind, c.kind),
        status=c.status,
        status_label=STATUS.get(c.status, c.status),
        table_name=table,
        record_kind=TABLE.get(table, table),
        row_id=c.row_id,
        record_title=title,
        field=c.field,
        field_label=field_label(c.field, table) if c.field else WHOLE_RECORD,
        server_text=server,
        device_text=device,
        server_value=c.server_value,
        device_value=c.device_value,
        server_who=users.get(c.server_user_id, ""),
        server_at=c.server_at,
        device_who=users.get(c.user_id, ""),
        device_name=devices.get(c.device_id, ""),
        device_at=c.device_at,
        message=c.message,
        other_row_id=c.other_row_id,
        other_title=other_title,
        resolution_label=RESOLUTION.get(c.resolution or "", ""),
        resolved_by=users.get(c.resolved_by, ""),
        resolved_at=c.resolved_at,
        actions=actions_of(c, mergeable=_is_text(c)),
    )

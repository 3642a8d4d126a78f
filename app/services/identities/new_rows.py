"""A new identity written without the ORM: the create form's path (IdentityService.create).

The ORM's flush and the write path's hooks on it (app.services.core.database) cost most of a create's CPU.
Here the same work is done by hand on plain rows, in the hooks' order: stamps, the text guard, the access
check, the history, the derived columns (search blob, name key, city, mobile, sort keys) and the journal's
notes. The rows written are the ORM path's to the byte (tests/services/test_identity_new_rows.py compares
them); tags (new tags, link rows) and every later change keep the ORM path.
"""

from __future__ import annotations

import functools
import re
import uuid
from dataclasses import dataclass

from sqlalchemy import Enum, String, Table, bindparam, insert, select
from sqlalchemy.orm import Session

from app.models import Category, Identity, IdentityAddress, IdentityEmail, IdentityPhone, Source, User, new_id, utcnow
from app.models.audit import AuditEntry
from app.persian import search_key, sort_key
from app.services.core import access, audit, capture, text_guard
from app.services.core.actor import Actor
from app.services.core.changes import Op
from app.services.core.errors import AccessDenied, ValidationFailed
from app.services.identities import search_index
from app.services.identities.records import AddressData, Cleaned, IdentityDetail, PhoneData

_IDENTITIES: Table = Identity.__table__
_CHILDREN: tuple[Table, ...] = (IdentityPhone.__table__, IdentityEmail.__table__, IdentityAddress.__table__)
_AUDIT: Table = AuditEntry.__table__
# Written by this module from checked values, never typed: the text guard need not look at them.
_DERIVED = frozenset(
    {"name_key", "name_sort", "search_blob", "primary_city", "primary_mobile", "city_sort", "number_key", "email_key"}
)
_OWNER_NAME = select(User.display_name).where(User.id == bindparam("id"))


@dataclass(frozen=True)
class NewIdentity:
    """The rows inserted, by column name: the identity and its phones, e-mails and addresses."""

    row: dict
    phones: list[dict]
    emails: list[dict]
    addresses: list[dict]


def covers(cleaned: Cleaned) -> bool:
    """Whether this path writes the identity: tags need the ORM (tags found or made, link rows)."""
    return not cleaned.tags


def insert_identity(s: Session, cleaned: Cleaned, role, owner_id: uuid.UUID | None) -> NewIdentity:
    """Inserts the identity and its children as the ORM path would; raises ValidationFailed (unsafe or
    too-long text, as the text guard words it) and AccessDenied (an owner the actor may not give it to)."""
    actor: Actor = s.info["actor"]
    now, user = utcnow(), actor.user_id
    stamps = {"created_at": now, "updated_at": now, "version": 1, "created_by": user, "updated_by": user}
    row = _blank(_IDENTITIES) | cleaned.values | {"role": role, "owner_id": owner_id, "id": new_id()} | stamps
    parent = {"identity_id": row["id"]}
    phones = [
        _blank(_CHILDREN[0])
        | parent
        | {"kind": p.kind, "number": p.number, "number_key": re.sub(r"[^0-9]", "", p.number), "position": n}
        | {"id": new_id()}
        | stamps
        for n, p in enumerate(cleaned.phones)
    ]
    emails = [
        _blank(_CHILDREN[1]) | parent | {"email": e, "email_key": e.casefold(), "position": n, "id": new_id()} | stamps
        for n, e in enumerate(cleaned.emails)
    ]
    addresses = [
        _blank(_CHILDREN[2])
        | parent
        | {"province": a.province or None, "city": a.city or None, "street": a.street or None}
        | {"postal_code": a.postal_code or None, "position": n, "id": new_id()}
        | stamps
        for n, a in enumerate(cleaned.addresses)
    ]
    new = NewIdentity(row, phones, emails, addresses)
    tables = [(_IDENTITIES, [row]), *zip(_CHILDREN, (phones, emails, addresses), strict=True)]
    _check_text(tables)
    if not access.may_own(s, owner_id):
        raise AccessDenied(access.DENIED_RECORD)
    history = _history(user, tables)
    _derive(new)
    conn = s.connection()
    for table, rows in [*tables, (_AUDIT, history)]:
        if rows:
            _insert(conn, table, rows)
    _note(s, tables)
    return new


@functools.cache
def _template(table: Table) -> dict:
    return dict.fromkeys(c.name for c in table.columns)


def _blank(table: Table) -> dict:
    """Every column null, in the table's order (the order the history and the journal list fields in)."""
    return dict(_template(table))


@functools.cache
def _checked(table: Table) -> tuple:
    """The columns the text guard looks at: typed text (not enums, not derived keys, not stamps)."""
    return tuple(
        c
        for c in table.columns
        if isinstance(c.type, String) and not isinstance(c.type, Enum) and c.name not in _DERIVED
    )


def _check_text(tables: list[tuple[Table, list[dict]]]) -> None:
    """app.services.core.text_guard.check_rows on these rows: its rule and its words."""
    errors: dict[str, str] = {}
    for table, rows in tables:
        for row in rows:
            for column in _checked(table):
                problem = text_guard.column_problem(column, row[column.name])
                if problem:
                    errors.setdefault(column.name, f"«{text_guard.field_label(column.name, table.name)}»: {problem}")
    if errors:
        raise ValidationFailed(errors)


def _history(user: uuid.UUID | None, tables: list[tuple[Table, list[dict]]]) -> list[dict]:
    """The «create» entries app.services.core.audit.record_changes writes. A child's own foreign key is
    left out there (the ORM sets it only as it inserts), the parent is the entry's parent_id."""
    entries = []
    for table, rows in tables:
        for row in rows:
            parent_id = row.get("identity_id")
            changes = {
                key: audit.to_json(value)
                for key, value in row.items()
                if not audit.is_empty(value) and key not in audit.SKIPPED and key != "identity_id"
            }
            entries.append(
                {"id": new_id(), "at": utcnow(), "user_id": user, "record_table": table.name, "record_id": row["id"]}
                | {"parent_id": parent_id, "action": "create", "changes": changes}
            )
    return entries


def _derive(new: NewIdentity) -> None:
    """The derived columns app.services.identities.search_index and app.services.core.sort_keys keep."""
    row = new.row
    row["name_key"] = search_key(row["display_name"])
    row["name_sort"] = sort_key(row["display_name"])
    row["search_blob"] = search_index.blob_for(row, new.phones, new.emails)
    row["primary_city"], row["primary_mobile"] = search_index.derived_values(new.phones, new.addresses)
    row["city_sort"] = sort_key(row["primary_city"])


def _note(s: Session, tables: list[tuple[Table, list[dict]]]) -> None:
    """The journal's notes and the transaction's Changes, as app.services.core.capture takes them after a
    flush (the identity first, then its children)."""
    memo: dict = {}
    for table, rows in tables:
        for row in rows:
            capture.note(s, table.name, row["id"], Op.INSERT, row, memo)


@functools.cache
def _sqlite_insert(table: Table, dialect) -> tuple[str, tuple]:
    """The plain INSERT of every column and the columns converted to SQLite's storage form, with
    SQLAlchemy's own conversions (hex ids, naive UTC text times, enum values, compact JSON)."""
    names = [c.name for c in table.columns]
    sql = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
    converted = ((n, c.type._cached_bind_processor(dialect)) for n, c in enumerate(table.columns))
    return sql, tuple((n, process) for n, process in converted if process is not None)


def _insert(conn, table: Table, rows: list[dict]) -> None:
    """On SQLite straight to the driver's cursor (the statement is compiled once); elsewhere through Core."""
    if conn.dialect.name != "sqlite":
        conn.execute(insert(table), rows)
        return
    sql, conversions = _sqlite_insert(table, conn.dialect)
    values = []
    for row in rows:
        cells = list(row.values())
        for n, process in conversions:
            if cells[n] is not None:
                cells[n] = process(cells[n])
        values.append(cells)
    cursor = conn.connection.driver_connection.cursor()
    try:
        cursor.executemany(sql, values)
    finally:
        cursor.close()


def detail(s: Session, new: NewIdentity) -> IdentityDetail:
    """The created identity as app.services.identities.records.detail reads it back."""
    row = new.row

    def name_of(model, value, attr="name"):
        found = s.get(model, value) if value is not None else None  # loaded by the validation already
        return getattr(found, attr) if found is not None else None

    owner = row["owner_id"]
    return IdentityDetail(
        id=row["id"],
        version=1,
        kind=row["kind"],
        role=row["role"],
        display_name=row["display_name"],
        title=row["title"] or "",
        first_name=row["first_name"] or "",
        last_name=row["last_name"] or "",
        org_name=row["org_name"] or "",
        national_code=row["national_code"] or "",
        legal_id=row["legal_id"] or "",
        economic_code=row["economic_code"] or "",
        registration_no=row["registration_no"] or "",
        birth_date=row["birth_date"],
        organisation_id=row["organisation_id"],
        organisation_name=name_of(Identity, row["organisation_id"], "display_name"),
        phones=[PhoneData(p["number"], p["kind"]) for p in new.phones],
        emails=[e["email"] for e in new.emails],
        addresses=[
            AddressData(a["province"] or "", a["city"] or "", a["street"] or "", a["postal_code"] or "")
            for a in new.addresses
        ],
        website=row["website"] or "",
        category_id=row["category_id"],
        category_name=name_of(Category, row["category_id"]),
        source_id=row["source_id"],
        source_name=name_of(Source, row["source_id"]),
        tags=[],
        owner_id=owner,
        owner_name=None if owner is None else s.connection().execute(_OWNER_NAME, {"id": owner}).scalar(),
        description=row["description"] or "",
        merged_into_id=None,
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )

"""The import's new identities as bulk Core INSERTs: derived columns, phones, e-mails, addresses,
tags and one «ایجاد» history entry each, written by hand since bulk inserts bypass the ORM hooks.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import uuid
from typing import TYPE_CHECKING

from sqlalchemy import insert, text
from sqlalchemy.orm import Session

from app.migrations.raw_ddl import SEARCH_INSERT_ROWS, SEARCH_INSERT_TRIGGER
from app.models import (
    AuditEntry,
    Identity,
    IdentityAddress,
    IdentityEmail,
    IdentityPhone,
    IdentityRole,
    Tag,
    identity_tags,
    new_id,
)
from app.persian import search_key, sort_key
from app.services.admin.assignment import NewRecord, route
from app.services.core import capture
from app.services.core.access import SKIP as SKIP_ACCESS
from app.services.core.actor import Actor
from app.services.core.audit import dumps, is_empty, to_json
from app.services.identities import records as identity_records
from app.services.identities import search_index
from app.services.identities.records import IdentityData

if TYPE_CHECKING:
    from app.services.identities.importer import _Lookups

BATCH = 2_000


class NewIdentities:
    """New identities as Core rows: derived columns, children, tags and history written by hand."""

    def __init__(self, actor: Actor, now: dt.datetime) -> None:
        self.actor, self.now = actor, now
        self.identities: list[dict] = []
        self.phones: list[dict] = []
        self.emails: list[dict] = []
        self.addresses: list[dict] = []
        self.tags: list[dict] = []
        self.audit: list[dict] = []
        self._by_id: dict[uuid.UUID, tuple[dict, identity_records.Cleaned]] = {}
        self._unowned: set[uuid.UUID] = set()  # rows the file gave no owner

    def _stamp(self, **values) -> dict:
        who = self.actor.user_id
        return {
            "id": new_id(),
            "created_at": self.now,
            "updated_at": self.now,
            "version": 1,
            "created_by": who,
            "updated_by": who,
            "deleted_at": None,
            **values,
        }

    def add(self, cleaned: identity_records.Cleaned, data: IdentityData, lookups: _Lookups) -> uuid.UUID:
        row = self._stamp(**cleaned.values)
        row |= {
            "role": data.role,
            "owner_id": data.owner_id or self.actor.user_id,  # none given: the importer's, unless a rule routes it
            "name_key": search_key(row["display_name"]),
            "name_sort": sort_key(row["display_name"]),  # raw driver INSERTs: no column default runs
            "merged_into_id": None,
            "price_list_id": None,
        }
        self._by_id[row["id"]] = (row, cleaned)
        if data.owner_id is None:
            self._unowned.add(row["id"])
        self.identities.append(row)
        return row["id"]

    def _route(self, s: Session, leads: list[NewRecord]) -> None:
        """Leads a team's rule routes go to the member whose turn it is: the whole file in one call, so a
        fixed number of queries however many rows."""
        routed = route(s, self.actor, leads, "import")
        for entry in self.audit if routed else ():
            if (assigned := routed.get(entry["record_id"])) is not None:
                self._by_id[assigned.record_id][0]["owner_id"] = assigned.user_id
                entry["changes"]["owner_id"] = to_json(assigned.user_id)  # a create's entry: values alone

    def fold(self, identity_id: uuid.UUID, cleaned: identity_records.Cleaned) -> None:
        """An in-file duplicate merged into the earlier row: its missing values and extra children."""
        row, first = self._by_id[identity_id]
        for name, value in cleaned.values.items():
            if row.get(name) in (None, "") and value not in (None, ""):
                row[name] = value
        first.phones += [p for p in cleaned.phones if p.number not in {q.number for q in first.phones}]
        first.emails += [e for e in cleaned.emails if e.casefold() not in {f.casefold() for f in first.emails}]
        first.addresses += [a for a in cleaned.addresses if a not in first.addresses]
        first.tags += [t for t in cleaned.tags if t not in first.tags]

    def flush(self, s: Session, lookups: _Lookups) -> None:
        leads = []
        for identity_id, (row, cleaned) in self._by_id.items():
            tag_ids = lookups.tag_ids(cleaned.tags, self.now, self.actor.user_id)
            phones = [
                self._stamp(
                    identity_id=identity_id,
                    kind=p.kind,
                    number=p.number,
                    position=i,
                    number_key=re.sub(r"[^0-9]", "", p.number),
                )
                for i, p in enumerate(cleaned.phones)
            ]
            emails = [
                self._stamp(identity_id=identity_id, email=e, email_key=e.casefold(), position=i)
                for i, e in enumerate(cleaned.emails)
            ]
            addresses = [
                self._stamp(
                    identity_id=identity_id,
                    province=a.province or None,
                    city=a.city or None,
                    street=a.street or None,
                    postal_code=a.postal_code or None,
                    position=i,
                )
                for i, a in enumerate(cleaned.addresses)
            ]
            city, mobile = search_index.derived_values(phones, addresses)
            row |= {
                "search_blob": search_index.blob_for(row, phones, emails),
                "primary_city": city,
                "city_sort": sort_key(city),
                "primary_mobile": mobile,
            }
            self.phones += phones
            self.emails += emails
            self.addresses += addresses
            self.tags += [{"id": new_id(), "identity_id": identity_id, "tag_id": t} for t in tag_ids]
            self.audit.append(
                {
                    "id": new_id(),
                    "at": self.now,
                    "user_id": self.actor.user_id,
                    "record_table": "identities",
                    "record_id": identity_id,
                    "parent_id": None,
                    "action": "create",
                    "changes": {k: to_json(v) for k, v in row.items() if not is_empty(v) and k not in _UNAUDITED},
                }
            )
            if row["role"] == IdentityRole.LEAD:
                owner_given = identity_id not in self._unowned
                leads.append(
                    NewRecord("identities", identity_id, owner_given, row.get("source_id"), city, frozenset(tag_ids))
                )
        self._route(s, leads)
        # The quick-search index's per-row trigger costs 0.2 ms a row; one INSERT … SELECT of the new rows
        # does the same in a tenth of the time. Dropping and re-creating the trigger happens inside this
        # transaction, so a cancel or failure rolls it back with everything else.
        sqlite = s.get_bind().dialect.name == "sqlite"
        if sqlite:
            last_rowid = s.execute(text("SELECT coalesce(max(rowid), 0) FROM identities")).scalar()
            s.execute(text("DROP TRIGGER IF EXISTS identities_search_ai"))
        for model, rows in (
            (Tag, lookups.new_tags),
            (Identity, self.identities),
            (IdentityPhone, self.phones),
            (IdentityEmail, self.emails),
            (IdentityAddress, self.addresses),
            (identity_tags, self.tags),
            (AuditEntry, self.audit),
        ):
            _bulk_insert(s, getattr(model, "__table__", model), rows, sqlite)
        if sqlite:
            s.execute(text(SEARCH_INSERT_ROWS), {"last": last_rowid})
            s.execute(text(SEARCH_INSERT_TRIGGER))


_UNAUDITED = {
    "id",
    "created_at",
    "created_by",
    "updated_at",
    "updated_by",
    "version",
    "name_key",
    "name_sort",
    "search_blob",
    "primary_city",
    "city_sort",
    "primary_mobile",
    "deleted_at",
}


_PLAIN = frozenset({str, int, float, bool, type(None), bytes})


def _sqlite_value(value):
    """A Python value as SQLAlchemy's SQLite types store it (Uuid: 32 hex digits; DateTime: naive UTC
    text with microseconds; Enum: its value; JSON: text)."""
    if isinstance(value, uuid.UUID):
        return value.hex
    if isinstance(value, dt.datetime):
        value = value.astimezone(dt.UTC)
        return f"{value:%Y-%m-%d %H:%M:%S}.{value.microsecond:06d}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dict | list):
        return dumps(value)
    return value


def _bulk_insert(s: Session, table, rows: list[dict], sqlite: bool) -> None:
    """Core INSERTs in batches; on SQLite straight through the driver, since SQLAlchemy's per-value
    type processing is most of the time for 50,000 rows (a test reads them back through the ORM)."""
    if not rows:
        return
    capture.note_inserts(s, table, rows)  # the transaction's Changes and change journal, as for ORM rows
    if not sqlite:
        options = {SKIP_ACCESS: True, capture.RECORDED: True}
        for start in range(0, len(rows), BATCH):
            s.execute(insert(table).execution_options(**options), rows[start : start + BATCH])
        return
    names = list(rows[0])
    sql = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
    plain, done = _PLAIN, {}  # most cells are plain; the rest (mostly the one `now` and ids) converted once

    def value(v):
        if type(v) in plain:
            return v
        if isinstance(v, uuid.UUID):  # uuid6's ids are a subclass
            return v.hex
        key = (type(v), v) if type(v) is not dict and type(v) is not list else None
        if key is None:
            return _sqlite_value(v)
        if key not in done:
            done[key] = _sqlite_value(v)
        return done[key]

    values = [tuple([value(row[n]) for n in names]) for row in rows]
    s.connection().exec_driver_sql(sql, values)

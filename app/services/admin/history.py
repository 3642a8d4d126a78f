"""Reading the audit history: one record's changes (the «تاریخچه» tab) and, for admins, all changes."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import or_, select

from app.models import (
    Activity,
    AuditEntry,
    Contract,
    Identity,
    Invoice,
    Opportunity,
    Quote,
    Receipt,
    SalesReturn,
    User,
)
from app.services.core.access import fetch
from app.services.core.actor import Actor
from app.services.core.audit import pairs
from app.services.core.database import Database
from app.services.core.errors import AccessDenied
from app.services.core.labels import AUDIT_ACTION, TABLE, field_label

# Records that have a history tab, by table name.
RECORDS: dict[str, type] = {"identities": Identity, "opportunities": Opportunity, "activities": Activity}
RECORDS.update({"quotes": Quote, "invoices": Invoice, "sales_returns": SalesReturn, "receipts": Receipt})
RECORDS["contracts"] = Contract


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: object
    new: object


@dataclass(frozen=True)
class HistoryRow:
    at: dt.datetime
    user_name: str
    record_table: str
    record_kind: str  # Persian
    record_id: uuid.UUID
    action: str
    action_label: str  # Persian
    changes: list[FieldChange]


def _row(entry: AuditEntry, user_name: str | None) -> HistoryRow:
    changes = [
        FieldChange(f, field_label(f, entry.record_table), old, new)
        for f, (old, new) in sorted(pairs(entry.action, entry.changes).items())
    ]
    return HistoryRow(
        entry.at,
        user_name or "سیستم",
        entry.record_table,
        TABLE.get(entry.record_table, entry.record_table),
        entry.record_id,
        entry.action,
        AUDIT_ACTION.get(entry.action, entry.action),
        changes,
    )


class HistoryService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def record_history(self, actor: Actor, table: str, record_id: uuid.UUID) -> list[HistoryRow]:
        """A record's changes and its children's (phones, addresses ...), newest first.

        Anyone who may see the record may read its history; raises AccessDenied/NotFound. Reads only.
        """
        with self._db.read(actor) as s:
            fetch(s, RECORDS[table], record_id, TABLE.get(table, "رکورد"))
            stmt = (
                select(AuditEntry, User.display_name)
                .outerjoin(User, User.id == AuditEntry.user_id)
                .where(or_(AuditEntry.record_id == record_id, AuditEntry.parent_id == record_id))
                .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
            )
            return [_row(entry, name) for entry, name in s.execute(stmt)]

    def changes(
        self,
        actor: Actor,
        user_id: uuid.UUID | None = None,
        start: dt.datetime | None = None,
        end: dt.datetime | None = None,
        offset: int = 0,
        limit: int = 200,
    ) -> list[HistoryRow]:
        """Every change in [start, end), optionally by one user, newest first. Admin only; reads."""
        if not actor.is_admin:
            raise AccessDenied("فقط مدیر می‌تواند تاریخچه همه تغییرات را ببیند.")
        stmt = select(AuditEntry, User.display_name).outerjoin(User, User.id == AuditEntry.user_id)
        if user_id is not None:
            stmt = stmt.where(AuditEntry.user_id == user_id)
        if start is not None:
            stmt = stmt.where(AuditEntry.at >= start)
        if end is not None:
            stmt = stmt.where(AuditEntry.at < end)
        stmt = stmt.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).offset(offset).limit(limit)
        with self._db.read(actor) as s:
            return [_row(entry, name) for entry, name in s.execute(stmt)]

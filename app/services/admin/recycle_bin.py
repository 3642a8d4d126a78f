"""The recycle bin (سطل بازیافت): soft-deleted records, restorable by an administrator."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import String, cast, func, literal, select, union_all

from app.models import (
    Activity,
    Attachment,
    Contract,
    Identity,
    Invoice,
    Opportunity,
    Product,
    Quote,
    Receipt,
    SalesReturn,
    User,
)
from app.services.core.actor import Actor
from app.services.core.database import Database
from app.services.core.errors import AccessDenied, NotFound
from app.services.core.labels import TABLE

# table -> (model, the column that names a row)
RECYCLABLE = {
    "identities": (Identity, Identity.display_name),
    "opportunities": (Opportunity, Opportunity.title),
    "activities": (Activity, Activity.summary),
    "attachments": (Attachment, Attachment.filename),
    "products": (Product, Product.name),
}
# Documents (only drafts of invoices, contracts and returns can be deleted; issued ones never change).
RECYCLABLE.update(
    {
        "quotes": (Quote, literal("پیش‌فاکتور ") + func.coalesce(cast(Quote.number, String), "")),
        "invoices": (Invoice, literal("پیش‌نویس صورتحساب ") + func.coalesce(cast(Invoice.total, String), "")),
        "contracts": (Contract, literal("پیش‌نویس قرارداد ") + cast(Contract.total, String)),
        "sales_returns": (SalesReturn, literal("پیش‌نویس برگشت از فروش ") + cast(SalesReturn.total, String)),
        "receipts": (Receipt, literal("دریافت/پرداخت ") + func.coalesce(cast(Receipt.number, String), "")),
    }
)
DENIED = "فقط مدیر می‌تواند سطل بازیافت را ببیند یا رکوردی را بازیابی کند."


@dataclass(frozen=True)
class DeletedRow:
    record_table: str
    record_kind: str  # Persian
    id: uuid.UUID
    title: str
    deleted_at: dt.datetime
    deleted_by: str


class RecycleBinService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def deleted(self, actor: Actor, table: str | None = None, offset: int = 0, limit: int = 200) -> list[DeletedRow]:
        """Soft-deleted records, most recently deleted first. Admin only; reads."""
        if not actor.is_admin:
            raise AccessDenied(DENIED)
        parts = [
            select(
                literal(name).label("record_table"),
                model.id.label("id"),
                title.label("title"),
                model.deleted_at.label("deleted_at"),
                model.updated_by.label("deleted_by"),
            ).where(model.deleted_at.is_not(None))
            for name, (model, title) in RECYCLABLE.items()
            if table in (None, name)
        ]
        rows = union_all(*parts).subquery()
        stmt = (
            select(rows.c.record_table, rows.c.id, rows.c.title, rows.c.deleted_at, User.display_name)
            .outerjoin(User, User.id == rows.c.deleted_by)
            .order_by(rows.c.deleted_at.desc())
            .offset(offset)
            .limit(limit)
        )
        with self._db.read(actor) as s:
            return [
                DeletedRow(
                    t,
                    TABLE[t],
                    uuid.UUID(str(i)) if not isinstance(i, uuid.UUID) else i,
                    title,
                    _aware(at),
                    who or "سیستم",
                )
                for t, i, title, at, who in s.execute(stmt)
            ]

    def restore(self, actor: Actor, table: str, record_id: uuid.UUID) -> None:
        """Brings a soft-deleted record back (recorded in its history). Admin only; writes."""
        if not actor.is_admin:
            raise AccessDenied(DENIED)
        model, _ = RECYCLABLE[table]
        with self._db.write(actor) as s:
            obj = s.get(model, record_id)
            if obj is None or obj.deleted_at is None:
                raise NotFound(TABLE[table])
            obj.deleted_at = None


def _aware(value) -> dt.datetime:
    """A union loses the column type on SQLite: the timestamp comes back as text or naive."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)

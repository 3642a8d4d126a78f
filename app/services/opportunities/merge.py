"""Merging two opportunities (ادغام) and undoing a merge.

The survivor keeps its fields, takes the other's where its own are empty, and receives every
product line, activity, attachment and financial document of the other, plus its tags and
competitors. The merged opportunity stays (marked merged_into_id) so the merge can be undone: a
MergeRecord keeps the survivor's former values and the ids of every row that moved.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import (
    Activity,
    Attachment,
    Contract,
    Invoice,
    MergeRecord,
    Opportunity,
    OpportunityCompetitor,
    OpportunityLine,
    OpportunityTag,
    Quote,
    Receipt,
    SalesReturn,
    opportunity_competitors,
    opportunity_tags,
    utcnow,
)
from app.services.core.access import SKIP, fetch
from app.services.core.actor import Actor
from app.services.core.audit import to_json
from app.services.core.database import Database
from app.services.core.document_guard import ALLOW_RELINK
from app.services.core.errors import ServiceError
from app.services.core.fields import MergeRule, merged_by
from app.services.opportunities.data import line_total
from app.services.opportunities.fields import OPPORTUNITY_FIELDS

# Rows that follow the opportunity they belong to.
MOVED: dict[str, type] = {
    "opportunity_lines": OpportunityLine,
    "activities": Activity,
    "attachments": Attachment,
    "quotes": Quote,
    "invoices": Invoice,
    "contracts": Contract,
    "sales_returns": SalesReturn,
    "receipts": Receipt,
}
# Survivor fields filled from the merged opportunity when empty (the field table says which);
# amount/description handled apart.
FILLED = merged_by(OPPORTUNITY_FIELDS, MergeRule.FILL)
_SPECS = {spec.name: spec for spec in OPPORTUNITY_FIELDS}
SNAPSHOT_FIELDS = (*FILLED, "amount", "description", "extra")
_UUID_FIELDS = {"type_id", "source_id", "campaign_id", "medium_id", "referrer_id", "recurring_plan_id"}


@dataclass(frozen=True)
class MergeResult:
    merge_id: uuid.UUID
    survivor_id: uuid.UUID
    merged_id: uuid.UUID
    moved: int  # rows moved to the survivor


def _from_json(name: str, value):
    if value is None:
        return None
    if name in _UUID_FIELDS:
        return uuid.UUID(value)
    if name == "expected_close":
        return dt.date.fromisoformat(value)
    enum_type = _SPECS[name].enum if name in _SPECS else None
    return enum_type(value) if enum_type is not None else value


def _links(s: Session, table, column: str, opportunity_id: uuid.UUID) -> set[uuid.UUID]:
    stmt = select(getattr(table.c, column)).where(table.c.opportunity_id == opportunity_id)
    return set(s.scalars(stmt.execution_options(**{SKIP: True})))


def _lines_total(s: Session, opportunity_id: uuid.UUID) -> int | None:
    lines = s.scalars(
        select(OpportunityLine).where(
            OpportunityLine.opportunity_id == opportunity_id, OpportunityLine.deleted_at.is_(None)
        )
    ).all()
    return sum(line_total(x.quantity, x.unit_price, x.discount) for x in lines) if lines else None


class OpportunityMergeService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def merge(self, actor: Actor, survivor_id: uuid.UUID, merged_id: uuid.UUID) -> MergeResult:
        """Merges `merged_id` into `survivor_id`. Whoever may change both and every row that moves;
        raises ServiceError (same or already merged), NotFound, AccessDenied. Writes."""
        if survivor_id == merged_id:
            raise ServiceError("یک فرصت را نمی‌توان با خودش ادغام کرد.")
        with self._db.write(actor) as s:
            s.info[ALLOW_RELINK] = True  # issued invoices may point at the survivor (their print is unchanged)
            survivor = fetch(s, Opportunity, survivor_id, "فرصت")
            merged = fetch(s, Opportunity, merged_id, "فرصت")
            if survivor.merged_into_id or merged.merged_into_id:
                raise ServiceError("یکی از این دو فرصت پیش‌تر ادغام شده است.")
            fields = {name: to_json(getattr(survivor, name)) for name in SNAPSHOT_FIELDS}
            moved: dict[str, list[str]] = {}
            positions = {}
            next_position = len(
                s.scalars(select(OpportunityLine.id).where(OpportunityLine.opportunity_id == survivor.id)).all()
            )
            for table, model in MOVED.items():
                rows = s.scalars(
                    select(model).where(model.opportunity_id == merged.id).execution_options(**{SKIP: True})
                ).all()
                for row in rows:  # changed as ORM objects: the access policy checks each at flush
                    row.opportunity_id = survivor.id
                    if model is OpportunityLine:
                        positions[str(row.id)] = row.position
                        row.position, next_position = next_position, next_position + 1
                moved[table] = [str(r.id) for r in rows]
            tags = _links(s, opportunity_tags, "tag_id", merged.id) - _links(s, opportunity_tags, "tag_id", survivor.id)
            competitors = _links(s, opportunity_competitors, "competitor_id", merged.id) - _links(
                s, opportunity_competitors, "competitor_id", survivor.id
            )
            for model, column, ids in (
                (OpportunityTag, "tag_id", tags),
                (OpportunityCompetitor, "competitor_id", competitors),
            ):  # link rows as ORM objects: history under the survivor, journal
                s.add_all(model(opportunity_id=survivor.id, **{column: link_id}) for link_id in ids)
            for name in FILLED:
                if getattr(survivor, name) is None and getattr(merged, name) is not None:
                    setattr(survivor, name, getattr(merged, name))
            if merged.description:
                survivor.description = "\n\n".join(filter(None, [survivor.description, merged.description]))
            survivor.extra = dict(merged.extra or {}) | dict(survivor.extra or {})
            s.flush()
            total = _lines_total(s, survivor.id)
            survivor.amount = total if total is not None else (survivor.amount or merged.amount)
            merged.merged_into_id = survivor.id
            record = MergeRecord(
                record_table="opportunities",
                survivor_id=survivor.id,
                merged_id=merged.id,
                snapshot={
                    "fields": fields,
                    "moved": moved,
                    "line_positions": positions,
                    "tags": [str(t) for t in tags],
                    "competitors": [str(c) for c in competitors],
                },
            )
            s.add(record)
            s.flush()
            return MergeResult(record.id, survivor.id, merged.id, sum(len(v) for v in moved.values()))

    def undo(self, actor: Actor, merge_id: uuid.UUID) -> None:
        """Undoes a merge: rows move back, the survivor's fields return, the merged one is live again.

        Whoever may change both; raises ServiceError (already undone), NotFound, AccessDenied. Writes.
        """
        with self._db.write(actor) as s:
            s.info[ALLOW_RELINK] = True
            record = fetch(s, MergeRecord, merge_id, "ادغام")
            if record.record_table != "opportunities":
                raise ServiceError("این ادغام مربوط به فرصت‌ها نیست.")
            if record.undone_at is not None:
                raise ServiceError("این ادغام پیش‌تر بازگردانده شده است.")
            survivor = fetch(s, Opportunity, record.survivor_id, "فرصت")
            merged = fetch(s, Opportunity, record.merged_id, "فرصت")
            snap = record.snapshot
            for table, ids in snap["moved"].items():
                model = MOVED[table]
                wanted = [uuid.UUID(i) for i in ids]
                for row in s.scalars(select(model).where(model.id.in_(wanted)).execution_options(**{SKIP: True})):
                    if row.opportunity_id == survivor.id:
                        row.opportunity_id = merged.id
                        if model is OpportunityLine:
                            row.position = snap["line_positions"].get(str(row.id), row.position)
            for model, column, key in (
                (OpportunityTag, "tag_id", "tags"),
                (OpportunityCompetitor, "competitor_id", "competitors"),
            ):
                ids = [uuid.UUID(i) for i in snap[key]]
                links = select(model).where(model.opportunity_id == survivor.id, getattr(model, column).in_(ids))
                for link in s.scalars(links.execution_options(**{SKIP: True})) if ids else ():
                    s.delete(link)
            for name, value in snap["fields"].items():
                setattr(survivor, name, _from_json(name, value))
            merged.merged_into_id = None
            record.undone_at = utcnow()

    def merges(self, actor: Actor, opportunity_id: uuid.UUID) -> list[MergeResult]:
        """Merges into this opportunity that can still be undone, newest first. Whoever may see it; reads."""
        with self._db.read(actor) as s:
            fetch(s, Opportunity, opportunity_id, "فرصت")
            rows = s.scalars(
                select(MergeRecord)
                .where(
                    MergeRecord.record_table == "opportunities",
                    MergeRecord.survivor_id == opportunity_id,
                    MergeRecord.undone_at.is_(None),
                )
                .order_by(MergeRecord.created_at.desc())
            )
            return [
                MergeResult(r.id, r.survivor_id, r.merged_id, sum(len(v) for v in r.snapshot["moved"].values()))
                for r in rows
            ]

"""Recently opened records (اخیراً دیده‌شده) of each user, for the cardboard.

The main window's record tabs report every opened record (kind, id); kinds map to tables here.
Other areas add their record kinds with `register_recent_kind` (e.g. "quote" -> quotes.number).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.models import Activity, Identity, Opportunity, RecentRecord, utcnow
from app.services.core.actor import Actor
from app.services.core.database import Database

KEEP_PER_USER = 30


@dataclass(frozen=True)
class RecentKind:
    kind: str  # the record-tab kind ("identity" ...)
    table: str
    model: type
    title: object  # the column that names a row


RECENT_KINDS: dict[str, RecentKind] = {}


def register_recent_kind(kind: str, table: str, model: type, title) -> None:
    RECENT_KINDS[kind] = RecentKind(kind, table, model, title)


register_recent_kind("identity", "identities", Identity, Identity.display_name)
register_recent_kind("opportunity", "opportunities", Opportunity, Opportunity.title)
register_recent_kind("activity", "activities", Activity, Activity.summary)


def _as_uuid(value) -> uuid.UUID | None:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def recent_items(s: Session, actor: Actor, limit: int) -> list:
    """The actor's recently opened records they may still see, newest first (inside a session)."""
    from app.services.activities.cardboard import RecentItem

    if actor.user_id is None:
        return []
    by_table = {k.table: k for k in RECENT_KINDS.values()}
    opened = s.execute(
        select(RecentRecord.record_table, RecentRecord.record_id, RecentRecord.opened_at)
        .where(RecentRecord.user_id == actor.user_id, RecentRecord.record_table.in_(by_table))
        .order_by(RecentRecord.opened_at.desc())
        .limit(limit * 2)  # some may have been deleted or become invisible
    ).all()
    titles: dict[tuple[str, uuid.UUID], str] = {}
    for table in {t for t, _, _ in opened}:
        kind = by_table[table]
        ids = [i for t, i, _ in opened if t == table]
        rows = s.execute(
            select(kind.model.id, kind.title).where(kind.model.id.in_(ids), kind.model.deleted_at.is_(None))
        )
        titles |= {(table, rid): title for rid, title in rows}  # the access policy drops invisible ones
    items = [RecentItem(by_table[t].kind, i, titles[(t, i)], at) for t, i, at in opened if (t, i) in titles]
    return items[:limit]


class RecentService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def record_opened(self, actor: Actor, kind: str, record_id, now: dt.datetime | None = None) -> None:
        """Remembers that the actor opened a record (unknown kinds and non-record tabs are ignored).
        Each user writes only their own list; writes."""
        spec, rid = RECENT_KINDS.get(kind), _as_uuid(record_id)
        if spec is None or rid is None or actor.user_id is None:
            return
        now = now or utcnow()
        with self._db.write(actor) as s:
            row = s.scalar(
                select(RecentRecord).where(
                    RecentRecord.user_id == actor.user_id,
                    RecentRecord.record_table == spec.table,
                    RecentRecord.record_id == rid,
                )
            )
            if row is None:
                s.add(RecentRecord(user_id=actor.user_id, record_table=spec.table, record_id=rid, opened_at=now))
            else:
                row.opened_at = now
            s.flush()
            stale = (
                select(RecentRecord.id)
                .where(RecentRecord.user_id == actor.user_id)
                .order_by(RecentRecord.opened_at.desc())
                .offset(KEEP_PER_USER)
            )
            s.execute(delete(RecentRecord).where(RecentRecord.id.in_(stale)))

    def recent(self, actor: Actor, limit: int = 10) -> list:
        """The actor's recently opened records (RecentItem), newest first. Personal; reads."""
        with self._db.read(actor) as s:
            return recent_items(s, actor, limit)

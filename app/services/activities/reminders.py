"""Reminders (یادآور): a planned activity reaching its due time (or the end of its snooze) reminds its
assignee once while the program runs.

The UI asks for `next_time` and sleeps until then (no polling of whole tables); `due` lists what is
ready. Reminders older than MISSED_WINDOW are not raised any more: those activities are in the
cardboard's overdue section. Marking a reminder shown or snoozed is bookkeeping, not an edit of the
activity: it is written without the audit history and without bumping the record's version.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select, update

from app.models import Activity, ActivityKind, ActivityState, Identity, Opportunity, utcnow
from app.services.core.access import with_customers
from app.services.core.actor import Actor
from app.services.core.database import Database
from app.services.core.errors import NotFound

MISSED_WINDOW = dt.timedelta(days=1)
DUE_LIMIT = 100
_remind_at = func.coalesce(Activity.snoozed_until, Activity.due_at)


@dataclass(frozen=True)
class Reminder:
    id: uuid.UUID
    kind: ActivityKind
    summary: str
    due_at: dt.datetime
    remind_at: dt.datetime
    identity_name: str
    opportunity_title: str | None


def _pending(actor: Actor, now: dt.datetime) -> list:
    return [
        Activity.assignee_id == actor.user_id,
        Activity.state == ActivityState.PLANNED,
        Activity.deleted_at.is_(None),
        Activity.reminded_at.is_(None),
        _remind_at >= now - MISSED_WINDOW,
    ]


class ReminderService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def next_time(self, actor: Actor, now: dt.datetime | None = None) -> dt.datetime | None:
        """When the actor's next reminder is due (maybe already past), None when nothing is pending.
        Personal; reads."""
        now = now or utcnow()
        with self._db.read(actor) as s:
            value = s.scalar(select(func.min(_remind_at)).where(*_pending(actor, now)))
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value

    def due(self, actor: Actor, now: dt.datetime | None = None) -> list[Reminder]:
        """The actor's reminders that are ready now, oldest first. Personal; reads."""
        now = now or utcnow()
        stmt = (
            select(
                Activity.id,
                Activity.kind,
                Activity.summary,
                Activity.due_at,
                _remind_at,
                Identity.display_name,
                Opportunity.title,
            )
            .join(Identity, Identity.id == Activity.identity_id)
            .outerjoin(Opportunity, Opportunity.id == Activity.opportunity_id)
            .where(*_pending(actor, now), _remind_at <= now)
            .order_by(_remind_at, Activity.id)
            .limit(DUE_LIMIT)
        )
        with self._db.read(actor) as s:
            rows = []
            for row in s.execute(with_customers(stmt)):
                remind_at = row[4] if row[4].tzinfo else row[4].replace(tzinfo=dt.UTC)
                rows.append(Reminder(row[0], row[1], row[2], row[3], remind_at, row[5], row[6]))
            return rows

    def acknowledge(self, actor: Actor, activity_ids: Iterable[uuid.UUID], now: dt.datetime | None = None) -> None:
        """Marks reminders shown so they are not raised again. Only the actor's own; writes."""
        ids = list(activity_ids)
        if not ids:
            return
        with self._db.write(actor) as s:
            s.execute(
                update(Activity)
                .where(Activity.id.in_(ids), Activity.assignee_id == actor.user_id)
                .values(reminded_at=now or utcnow()),
                execution_options={"synchronize_session": False},
            )

    def snooze(self, actor: Actor, activity_id: uuid.UUID, minutes: int, now: dt.datetime | None = None) -> dt.datetime:
        """Reminds again after `minutes`; returns when. Only the actor's own planned activity; NotFound.
        Writes."""
        until = (now or utcnow()) + dt.timedelta(minutes=minutes)
        with self._db.write(actor) as s:
            done = s.execute(
                update(Activity)
                .where(
                    Activity.id == activity_id,
                    Activity.assignee_id == actor.user_id,
                    Activity.state == ActivityState.PLANNED,
                    Activity.deleted_at.is_(None),
                )
                .values(snoozed_until=until, reminded_at=None),
                execution_options={"synchronize_session": False},
            )
            if done.rowcount == 0:
                raise NotFound("فعالیت")
        return until

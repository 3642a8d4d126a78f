"""The cardboard (کارتابل): the acting rep's planned activities, split by due day."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from sqlalchemy import select

from app.models import Activity, ActivityKind, ActivityState, Identity, Opportunity
from app.services.actor import Actor
from app.services.database import Database

SECTION_LIMIT = 200  # rows shown per section; the count is always exact


@dataclass(frozen=True)
class ActivityRow:
    id: uuid.UUID
    kind: ActivityKind
    summary: str
    due_at: dt.datetime
    identity_name: str
    opportunity_title: str | None


@dataclass
class CardboardSection:
    rows: list[ActivityRow] = field(default_factory=list)
    total: int = 0


@dataclass
class Cardboard:
    overdue: CardboardSection
    today: CardboardSection
    next_7_days: CardboardSection


def local_day_bounds_utc(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of a local calendar day as UTC instants: "today" is the user's day, not UTC's."""
    local_tz = dt.datetime.now().astimezone().tzinfo
    start = dt.datetime.combine(day, dt.time.min, tzinfo=local_tz)
    end = start + dt.timedelta(days=1)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


class CardboardService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def load(self, actor: Actor, today: dt.date | None = None) -> Cardboard:
        """Planned activities assigned to the actor: overdue, due today, due in the next 7 days."""
        today = today or dt.date.today()
        today_start, tomorrow = local_day_bounds_utc(today)
        week_end = tomorrow + dt.timedelta(days=7)
        stmt = (
            select(
                Activity.id,
                Activity.kind,
                Activity.summary,
                Activity.due_at,
                Identity.display_name,
                Opportunity.title,
            )
            .join(Identity, Identity.id == Activity.identity_id)
            .outerjoin(Opportunity, Opportunity.id == Activity.opportunity_id)
            .where(
                Activity.assignee_id == actor.user_id,
                Activity.state == ActivityState.PLANNED,
                Activity.deleted_at.is_(None),
                Activity.due_at < week_end,
            )
            .order_by(Activity.due_at)
        )
        board = Cardboard(CardboardSection(), CardboardSection(), CardboardSection())
        with self._db.read(actor) as s:
            for row in s.execute(stmt):
                item = ActivityRow(*row)
                if item.due_at < today_start:
                    section = board.overdue
                elif item.due_at < tomorrow:
                    section = board.today
                else:
                    section = board.next_7_days
                section.total += 1
                if len(section.rows) < SECTION_LIMIT:
                    section.rows.append(item)
        return board

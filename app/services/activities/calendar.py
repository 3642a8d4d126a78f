"""The activity calendar (تقویم): planned activities between two local days, the user's own and, for a
team leader, the team's."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import select

from app.models import Activity, ActivityState, SalesTeam
from app.services.activities.cardboard import local_day_bounds_utc
from app.services.activities.service import ActivityRow, row_select
from app.services.core.access import SCOPE_TEAM, SKIP, scope_owner_ids
from app.services.core.actor import Actor
from app.services.core.database import Database

MAX_ROWS = 5_000  # a month of a large team; the grid shows a few per day and a count


@dataclass(frozen=True)
class CalendarEntry:
    row: ActivityRow
    assignee_id: uuid.UUID | None


class CalendarService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def is_leader(self, actor: Actor) -> bool:
        """Whether the actor leads a sales team (the calendar then offers the team's activities). Reads."""
        with self._db.read(actor) as s:
            return (
                s.scalar(
                    select(SalesTeam.id).where(SalesTeam.leader_id == actor.user_id, SalesTeam.deleted_at.is_(None))
                )
                is not None
            )

    def activities(
        self,
        actor: Actor,
        first_day: dt.date,
        last_day: dt.date,
        include_team: bool = False,
        include_done: bool = False,
        tz: dt.tzinfo | None = None,
    ) -> list[CalendarEntry]:
        """Activities due from `first_day` to `last_day` (local days, inclusive), by due time: those
        assigned to the actor, plus their team members' when `include_team` and the actor leads a team.
        Planned ones only unless `include_done`. Reads."""
        start, _ = local_day_bounds_utc(first_day, tz)
        _, end = local_day_bounds_utc(last_day, tz)
        with self._db.read(actor) as s:
            assignees = [actor.user_id]
            if include_team:
                assignees += scope_owner_ids(s, SCOPE_TEAM)  # every member of the teams they lead
            states = [ActivityState.PLANNED] + ([ActivityState.DONE] if include_done else [])
            stmt = (
                row_select()
                .add_columns(Activity.assignee_id)
                .where(
                    Activity.assignee_id.in_(assignees),
                    Activity.state.in_(states),
                    Activity.due_at >= start,
                    Activity.due_at < end,
                )
                .order_by(Activity.due_at, Activity.id)
                .limit(MAX_ROWS)
                # Assigned to the actor or the team they lead: visible by the policy's own rule; skipping
                # it keeps the names of identities the assignee does not own (an inner join would drop them).
                .execution_options(**{SKIP: True})
            )
            return [CalendarEntry(ActivityRow(*row[:-1]), row[-1]) for row in s.execute(stmt)]

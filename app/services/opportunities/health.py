"""Deal health (seed 002): every open opportunity shows exactly one state, always current.

- WARNING (yellow triangle): no activity planned;
- OVERDUE (red): the nearest planned activity is due before today;
- TODAY (green): the nearest planned activity is due today;
- PLANNED (grey): the nearest planned activity is due after today.

"Today" is the user's local calendar day (the database keeps UTC), and the states are by day, as in
the cardboard's sections and Odoo's activity colours: an activity due at 09:00 today stays green all
day. The whole set is computed in one grouped query (min(due_at) of planned activities per
opportunity, over the index ix_activities_opportunity_state_due).
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import uuid
from collections.abc import Iterable

from sqlalchemy import ColumnElement, String, case, func, select, type_coerce
from sqlalchemy.orm import Session

from app.models import Activity, ActivityState, Opportunity, OpportunityStatus, utcnow
from app.services.activities.cardboard import local_day_bounds_utc, local_tz
from app.services.core.access import SKIP, is_restricted
from app.services.core.actor import Actor
from app.services.core.database import Database

_CHUNK = 30_000  # bound parameters per query stay under SQLite's limit (32,766)


class Health(str, enum.Enum):
    OVERDUE = "overdue"  # قرمز: فعالیت عقب‌افتاده
    WARNING = "warning"  # زرد: فعالیتی برنامه‌ریزی نشده
    TODAY = "today"  # سبز: فعالیت امروز
    PLANNED = "planned"  # خاکستری: فعالیت آینده


# Sorting by urgency (ui.md): overdue, none planned, today, future.
URGENCY = {Health.OVERDUE: 0, Health.WARNING: 1, Health.TODAY: 2, Health.PLANNED: 3}
HEALTH_LABEL = {
    Health.OVERDUE: "فعالیت عقب‌افتاده دارد",
    Health.WARNING: "فعالیتی برنامه‌ریزی نشده است",
    Health.TODAY: "فعالیت امروز دارد",
    Health.PLANNED: "فعالیت آینده برنامه‌ریزی شده است",
}


def classify(next_due: dt.datetime | None, today_start: dt.datetime, tomorrow: dt.datetime) -> Health:
    """The state from the nearest planned due time and today's local bounds (UTC)."""
    if next_due is None:
        return Health.WARNING
    if next_due < today_start:
        return Health.OVERDUE
    if next_due < tomorrow:
        return Health.TODAY
    return Health.PLANNED


def today_bounds(now: dt.datetime | None = None, tz: dt.tzinfo | None = None) -> tuple[dt.datetime, dt.datetime]:
    tz = tz or local_tz()
    return local_day_bounds_utc((now or utcnow()).astimezone(tz).date(), tz)


# The subqueries read the activities table directly (not the mapped class), so the access policy of a
# restricted user's session does not filter them: like DealHealthService.states, the health of a visible
# opportunity counts all its planned activities, including ones assigned to colleagues. Board, list and
# sorting therefore always agree.
_ACTIVITIES = Activity.__table__.c


def _planned_of_opportunity() -> tuple[ColumnElement[bool], ...]:
    return (
        _ACTIVITIES.opportunity_id == Opportunity.id,
        _ACTIVITIES.state == ActivityState.PLANNED,
        _ACTIVITIES.deleted_at.is_(None),
    )


def next_due_expression() -> ColumnElement:
    """Correlated scalar subquery: the opportunity's nearest planned due time (NULL when none)."""
    return (
        select(func.min(_ACTIVITIES.due_at)).where(*_planned_of_opportunity()).correlate(Opportunity).scalar_subquery()
    )


def rank_expression(today_start: dt.datetime, tomorrow: dt.datetime) -> ColumnElement[int]:
    """Correlated subquery: the opportunity's URGENCY rank, computed in SQL from one aggregate (so SQLite
    reads the covering index once per opportunity and hands back a small integer, not a timestamp)."""
    due = func.min(_ACTIVITIES.due_at)
    return (
        select(
            case(
                (due.is_(None), URGENCY[Health.WARNING]),
                (due < today_start, URGENCY[Health.OVERDUE]),
                (due < tomorrow, URGENCY[Health.TODAY]),
                else_=URGENCY[Health.PLANNED],
            )
        )
        .where(*_planned_of_opportunity())
        .correlate(Opportunity)
        .scalar_subquery()
    )


def urgency_expression(now: dt.datetime | None = None, tz: dt.tzinfo | None = None) -> ColumnElement[int]:
    """SQL rank for ORDER BY in opportunity queries: 0 overdue, 1 none planned, 2 today, 3 future.

    Use as `.order_by(urgency_expression(), next_due_expression(), ...)`. The rank is computed for closed
    opportunities too: callers that mix open and closed ones put the closed ones apart (see
    OpportunityService.search's "urgency" sort).
    """
    return rank_expression(*today_bounds(now, tz))


def _id_key(db: Database, chunk: list[uuid.UUID]):
    """(column, filter, key -> id): on SQLite the ids travel as one JSON parameter and come back as
    hex text; binding thousands of UUIDs and building UUID objects cost more than the query itself."""
    if not db.is_sqlite:
        return Opportunity.id, Opportunity.id.in_(chunk), lambda key: key
    by_hex = {i.hex: i for i in chunk}
    raw = type_coerce(Opportunity.id, String)
    each = func.json_each(json.dumps(list(by_hex))).table_valued("value")
    return raw, raw.in_(select(each.c.value)), by_hex.__getitem__


_BY_RANK = {rank: health for health, rank in URGENCY.items()}


def states_in_session(
    s: Session,
    db: Database,
    actor: Actor,
    opportunity_ids: Iterable[uuid.UUID],
    now: dt.datetime | None = None,
    tz: dt.tzinfo | None = None,
) -> dict[uuid.UUID, Health]:
    """DealHealthService.states inside an open session (the opportunity list fills a page's health in
    the same transaction as its rows)."""
    ids = list(opportunity_ids)  # repeated ids collapse in the result
    rank = rank_expression(*today_bounds(now, tz))
    result: dict[uuid.UUID, Health] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        if is_restricted(actor):  # the policy decides which opportunities are visible ...
            chunk = list(s.scalars(select(Opportunity.id).where(Opportunity.id.in_(chunk))))
            if not chunk:
                continue
        # ... and the health of a visible opportunity counts all its planned activities.
        column, in_chunk, to_id = _id_key(db, chunk)
        stmt = (
            select(column, rank)
            .where(in_chunk, Opportunity.status == OpportunityStatus.OPEN, Opportunity.deleted_at.is_(None))
            .execution_options(**{SKIP: True})
        )
        result |= {to_id(key): _BY_RANK[value] for key, value in s.execute(stmt)}
    return result


class DealHealthService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def states(
        self,
        actor: Actor,
        opportunity_ids: Iterable[uuid.UUID],
        now: dt.datetime | None = None,
        tz: dt.tzinfo | None = None,
    ) -> dict[uuid.UUID, Health]:
        """The health of each given open opportunity the actor may see (closed, deleted and invisible
        ones are left out). Health counts every planned activity of the opportunity, including ones
        assigned to colleagues. Reads: one grouped query (two for an own-documents user)."""
        with self._db.read(actor) as s:
            return states_in_session(s, self._db, actor, opportunity_ids, now, tz)

    def health(
        self, actor: Actor, opportunity_id: uuid.UUID, now: dt.datetime | None = None, tz: dt.tzinfo | None = None
    ) -> Health | None:
        """One opportunity's health, None when it is closed or not visible. Reads."""
        return self.states(actor, [opportunity_id], now, tz).get(opportunity_id)

"""An activity's progress: mark done with a result (and chain the type's next activity: "auto" creates it,
"suggest" hands back a suggestion), postpone in one click or to a day, reschedule, cancel."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy.orm import Session

from app.models import Activity, ActivityKind, ActivityState, ActivityType, utcnow
from app.models.enums import DelayFrom, NextActivityMode
from app.services.activities.activity_types import add_delay
from app.services.activities.cardboard import local_tz
from app.services.activities.data import (
    NOT_PLANNED,
    RESULT_REQUIRED,
    ActivityDetail,
    DoneOutcome,
    NextSuggestion,
    Postpone,
    aware_utc,
    clean_text,
)
from app.services.activities.queries import load_detail
from app.services.core.access import fetch
from app.services.core.actor import Actor
from app.services.core.database import Database
from app.services.core.errors import ServiceError, ValidationFailed


class ActivityProgress:
    """Done, postpone, reschedule and cancel: the other half of ActivityService (services.activities)."""

    _db: Database

    def mark_done(
        self, actor: Actor, activity_id: uuid.UUID, result: str | None, now: dt.datetime | None = None
    ) -> DoneOutcome:
        """Marks a planned activity done with its result (required for calls and meetings) and applies
        the type's next activity. ValidationFailed, ServiceError (not planned), AccessDenied, NotFound.
        Writes."""
        now = now or utcnow()
        result = clean_text(result)
        with self._db.write(actor) as s:
            activity = self._planned(s, activity_id)
            if result is None and activity.kind in RESULT_REQUIRED:
                what = "تماس" if activity.kind is ActivityKind.CALL else "جلسه"
                raise ValidationFailed({"result": f"نتیجه {what} را بنویسید."})
            activity.state, activity.result, activity.done_at = ActivityState.DONE, result, now
            created, suggestion = None, None
            follow = self._next_of(s, activity, now)
            if follow is not None:
                mode, suggestion = follow
                if mode is NextActivityMode.AUTO:
                    data = suggestion.as_data()
                    nxt = Activity(
                        identity_id=data.identity_id,
                        opportunity_id=data.opportunity_id,
                        kind=data.kind,
                        type_id=data.type_id,
                        summary=data.summary,
                        due_at=data.due_at,
                        assignee_id=data.assignee_id,
                        previous_id=activity.id,
                        state=ActivityState.PLANNED,
                    )
                    s.add(nxt)
                    s.flush()
                    created, suggestion = load_detail(s, nxt), None
            s.flush()
            return DoneOutcome(load_detail(s, activity), created, suggestion)

    def postpone(
        self,
        actor: Actor,
        activity_id: uuid.UUID,
        option: Postpone,
        now: dt.datetime | None = None,
        tz: dt.tzinfo | None = None,
    ) -> ActivityDetail:
        """One click: tomorrow or a week later, counted from today (or from the due day if that is still
        ahead), at the same time of day. ServiceError (not planned), AccessDenied, NotFound. Writes."""
        tz = tz or local_tz()
        today = (now or utcnow()).astimezone(tz).date()
        with self._db.write(actor) as s:
            activity = self._planned(s, activity_id)
            local_due = activity.due_at.astimezone(tz)
            base = max(today, local_due.date())
            day = base + dt.timedelta(days=1 if option is Postpone.TOMORROW else 7)
            self._move(activity, _at_local(day, local_due.time(), tz))
            s.flush()
            return load_detail(s, activity)

    def postpone_to(
        self, actor: Actor, activity_id: uuid.UUID, day: dt.date, tz: dt.tzinfo | None = None
    ) -> ActivityDetail:
        """Moves a planned activity to a picked (local) day at the same time of day. ServiceError,
        AccessDenied, NotFound. Writes."""
        tz = tz or local_tz()
        with self._db.write(actor) as s:
            activity = self._planned(s, activity_id)
            local_due = activity.due_at.astimezone(tz)
            self._move(activity, _at_local(day, local_due.time(), tz))
            s.flush()
            return load_detail(s, activity)

    def reschedule(self, actor: Actor, activity_id: uuid.UUID, due_at: dt.datetime) -> ActivityDetail:
        """Sets a planned activity's due date and time. ServiceError, AccessDenied, NotFound. Writes."""
        with self._db.write(actor) as s:
            activity = self._planned(s, activity_id)
            self._move(activity, aware_utc(due_at))
            s.flush()
            return load_detail(s, activity)

    def cancel(self, actor: Actor, activity_id: uuid.UUID) -> ActivityDetail:
        """Cancels a planned activity (it stays in the history). ServiceError, AccessDenied, NotFound.
        Writes."""
        with self._db.write(actor) as s:
            activity = self._planned(s, activity_id)
            activity.state = ActivityState.CANCELLED
            s.flush()
            return load_detail(s, activity)

    # --- helpers ---------------------------------------------------------------------------
    @staticmethod
    def _planned(s: Session, activity_id: uuid.UUID) -> Activity:
        activity = fetch(s, Activity, activity_id, "فعالیت")
        if activity.state is not ActivityState.PLANNED:
            raise ServiceError(NOT_PLANNED)
        return activity

    @staticmethod
    def _move(activity: Activity, due_at: dt.datetime) -> None:
        activity.due_at = due_at
        activity.reminded_at = activity.snoozed_until = None

    @staticmethod
    def _next_of(s: Session, activity: Activity, now: dt.datetime):
        """(mode, suggestion) from the type's default next activity, or None."""
        if activity.type_id is None:
            return None
        kind_type = s.get(ActivityType, activity.type_id)
        if kind_type is None or kind_type.next_mode is NextActivityMode.NONE or kind_type.next_type_id is None:
            return None
        next_type = s.get(ActivityType, kind_type.next_type_id)
        if next_type is None or next_type.deleted_at is not None:
            return None
        base = now if kind_type.next_from is DelayFrom.COMPLETION else activity.due_at
        due = add_delay(base, kind_type.next_delay, kind_type.next_delay_unit)
        suggestion = NextSuggestion(
            type_id=next_type.id,
            kind=next_type.kind,
            summary=next_type.name,
            due_at=due,
            identity_id=activity.identity_id,
            opportunity_id=activity.opportunity_id,
            assignee_id=activity.assignee_id,
            previous_id=activity.id,
        )
        return kind_type.next_mode, suggestion


def _at_local(day: dt.date, time_of_day: dt.time, tz: dt.tzinfo) -> dt.datetime:
    return dt.datetime.combine(day, time_of_day.replace(tzinfo=None), tzinfo=tz).astimezone(dt.UTC)

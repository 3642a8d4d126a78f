"""Activities (فعالیت): plan, edit, mark done with a result, postpone, reschedule, cancel.

An activity belongs to an identity and optionally to one of its opportunities. Marking one done
applies its type's default next activity: "auto" creates it at once, "suggest" hands back a
suggestion the UI offers to plan. Chained activities point back with `previous_id`.

The service is assembled from three parts: activity_queries (reading), activity_planning (plan, note,
edit, recycle) and activity_progress (done and the next activity's chaining, postpone, reschedule,
cancel); the plain data lives in activity_data. Callers keep using `services.activities.<method>` and
import the dataclasses from here.
"""

from __future__ import annotations

from app.services.activities.activity_types import ActivityTypeService
from app.services.activities.data import (
    NOT_PLANNED,
    RESULT_REQUIRED,
    SUMMARY_MAX,
    ActivityData,
    ActivityDetail,
    ActivityRow,
    Attendee,
    DoneOutcome,
    IdentityChoice,
    NextSuggestion,
    Postpone,
    UserChoice,
)
from app.services.activities.planning import ActivityPlanning
from app.services.activities.progress import ActivityProgress
from app.services.activities.queries import ActivityQueries, row_select
from app.services.core.database import Database


class ActivityService(ActivityQueries, ActivityPlanning, ActivityProgress):
    def __init__(self, db: Database, types: ActivityTypeService) -> None:
        self._db = db
        self._types = types


__all__ = [
    "NOT_PLANNED",
    "RESULT_REQUIRED",
    "SUMMARY_MAX",
    "ActivityData",
    "ActivityDetail",
    "ActivityRow",
    "ActivityService",
    "Attendee",
    "DoneOutcome",
    "IdentityChoice",
    "NextSuggestion",
    "Postpone",
    "UserChoice",
    "row_select",
]

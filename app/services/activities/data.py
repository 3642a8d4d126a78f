"""The activities area's plain data: what the dialog hands in, what the services hand back, and the rules'
constants. Re-exported by app.services.activities.service (import from there)."""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from dataclasses import dataclass

from app.models import ActivityKind, ActivityState
from app.persian import normalize_text

RESULT_REQUIRED = frozenset({ActivityKind.CALL, ActivityKind.MEETING})
NOT_PLANNED = "این فعالیت دیگر برنامه‌ریزی‌شده نیست (انجام یا لغو شده است)."
SUMMARY_MAX = 300


class Postpone(str, enum.Enum):
    """One-click postponing: the activity keeps its time of day."""

    TOMORROW = "tomorrow"  # فردا
    NEXT_WEEK = "next_week"  # هفته بعد


@dataclass(frozen=True)
class ActivityData:
    """What the activity dialog hands to the service. Without a type, the kind's built-in type is used."""

    identity_id: uuid.UUID | None
    summary: str
    due_at: dt.datetime | None
    kind: ActivityKind | None = None
    type_id: uuid.UUID | None = None
    opportunity_id: uuid.UUID | None = None
    assignee_id: uuid.UUID | None = None  # None: the acting user
    duration_minutes: int | None = None
    place: str | None = None
    details: str | None = None
    attendee_identity_ids: tuple[uuid.UUID, ...] = ()
    attendee_user_ids: tuple[uuid.UUID, ...] = ()
    previous_id: uuid.UUID | None = None


@dataclass(frozen=True)
class Attendee:
    identity_id: uuid.UUID | None
    user_id: uuid.UUID | None
    name: str


@dataclass(frozen=True)
class ActivityDetail:
    id: uuid.UUID
    version: int
    kind: ActivityKind
    type_id: uuid.UUID | None
    type_name: str
    type_icon: str | None
    summary: str
    details: str | None
    due_at: dt.datetime
    duration_minutes: int | None
    place: str | None
    state: ActivityState
    assignee_id: uuid.UUID | None
    assignee_name: str | None
    identity_id: uuid.UUID
    identity_name: str
    opportunity_id: uuid.UUID | None
    opportunity_title: str | None
    result: str | None
    done_at: dt.datetime | None
    previous_id: uuid.UUID | None
    attendees: tuple[Attendee, ...]

    def to_data(self) -> ActivityData:
        """The saved values as the dialog would send them (a conflict's «their» side)."""
        return ActivityData(
            identity_id=self.identity_id,
            summary=self.summary,
            due_at=self.due_at,
            kind=self.kind,
            type_id=self.type_id,
            opportunity_id=self.opportunity_id,
            assignee_id=self.assignee_id,
            duration_minutes=self.duration_minutes,
            place=self.place,
            details=self.details,
            attendee_identity_ids=tuple(a.identity_id for a in self.attendees if a.identity_id is not None),
            attendee_user_ids=tuple(a.user_id for a in self.attendees if a.user_id is not None),
        )


@dataclass(frozen=True)
class ActivityRow:
    id: uuid.UUID
    kind: ActivityKind
    type_name: str | None
    summary: str
    due_at: dt.datetime
    state: ActivityState
    result: str | None
    done_at: dt.datetime | None
    assignee_name: str | None
    identity_id: uuid.UUID
    identity_name: str
    opportunity_id: uuid.UUID | None
    opportunity_title: str | None
    type_icon: str | None = None  # the activity type's icon name (lists show it)


@dataclass(frozen=True)
class NextSuggestion:
    """The next activity a "suggest" type proposes; pass `as_data()` to `plan` to accept it."""

    type_id: uuid.UUID
    kind: ActivityKind
    summary: str
    due_at: dt.datetime
    identity_id: uuid.UUID
    opportunity_id: uuid.UUID | None
    assignee_id: uuid.UUID | None
    previous_id: uuid.UUID

    def as_data(self) -> ActivityData:
        return ActivityData(
            identity_id=self.identity_id,
            summary=self.summary,
            due_at=self.due_at,
            kind=self.kind,
            type_id=self.type_id,
            opportunity_id=self.opportunity_id,
            assignee_id=self.assignee_id,
            previous_id=self.previous_id,
        )


@dataclass(frozen=True)
class DoneOutcome:
    activity: ActivityDetail
    created_next: ActivityDetail | None = None  # an "auto" type's next activity
    suggestion: NextSuggestion | None = None  # a "suggest" type's proposal


@dataclass(frozen=True)
class IdentityChoice:
    id: uuid.UUID
    name: str
    opportunities: tuple[tuple[uuid.UUID, str], ...]  # open ones: (id, title)


@dataclass(frozen=True)
class UserChoice:
    id: uuid.UUID
    display_name: str


def clean_text(text: str | None) -> str | None:
    text = normalize_text(text or "").strip()
    return text or None


def aware_utc(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        raise ValueError("activity times must be timezone-aware")
    return value.astimezone(dt.UTC)

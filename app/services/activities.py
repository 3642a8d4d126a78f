"""Activities (فعالیت): plan, edit, mark done with a result, postpone, reschedule, cancel.

An activity belongs to an identity and optionally to one of its opportunities. Marking one done
applies its type's default next activity: "auto" creates it at once, "suggest" hands back a
suggestion the UI offers to plan. Chained activities point back with `previous_id`.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, aliased

from app.models import (
    Activity,
    ActivityAttendee,
    ActivityKind,
    ActivityState,
    ActivityType,
    Identity,
    Opportunity,
    OpportunityStatus,
    User,
    utcnow,
)
from app.models.enums import DelayFrom, NextActivityMode
from app.persian import normalize_text
from app.services.access import SKIP, fetch
from app.services.activity_types import ActivityTypeService, add_delay
from app.services.actor import Actor
from app.services.cardboard import local_day_bounds_utc, local_tz
from app.services.database import Database
from app.services.errors import ConcurrentChange, NotFound, ServiceError, ValidationFailed
from app.services.labels import ACTIVITY_KIND
from app.services.users import clean_login

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


_assignee = aliased(User)
_ROW_COLUMNS = (
    Activity.id,
    Activity.kind,
    ActivityType.name,
    Activity.summary,
    Activity.due_at,
    Activity.state,
    Activity.result,
    Activity.done_at,
    _assignee.display_name,
    Activity.identity_id,
    Identity.display_name,
    Activity.opportunity_id,
    Opportunity.title,
)


def row_select():
    """SELECT of ActivityRow columns with their joins (shared with the cardboard and the calendar)."""
    return (
        select(*_ROW_COLUMNS)
        .join(Identity, Identity.id == Activity.identity_id)
        .outerjoin(Opportunity, Opportunity.id == Activity.opportunity_id)
        .outerjoin(ActivityType, ActivityType.id == Activity.type_id)
        .outerjoin(_assignee, _assignee.id == Activity.assignee_id)
        .where(Activity.deleted_at.is_(None))
    )


def _clean(text: str | None) -> str | None:
    text = normalize_text(text or "").strip()
    return text or None


def _aware(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        raise ValueError("activity times must be timezone-aware")
    return value.astimezone(dt.UTC)


def _load_detail(s: Session, activity: Activity) -> ActivityDetail:
    names = s.execute(
        select(Identity.display_name, Opportunity.title, ActivityType.name, ActivityType.icon, _assignee.display_name)
        .select_from(Activity)
        .join(Identity, Identity.id == Activity.identity_id)
        .outerjoin(Opportunity, Opportunity.id == Activity.opportunity_id)
        .outerjoin(ActivityType, ActivityType.id == Activity.type_id)
        .outerjoin(_assignee, _assignee.id == Activity.assignee_id)
        .where(Activity.id == activity.id)
        # The activity is already visible (fetched through the policy); its assignee may not own the
        # identity, whose name is still shown.
        .execution_options(**{SKIP: True})
    ).one()
    attendee_user = aliased(User)
    attendees = s.execute(
        select(
            ActivityAttendee.identity_id, ActivityAttendee.user_id, Identity.display_name, attendee_user.display_name
        )
        .outerjoin(Identity, Identity.id == ActivityAttendee.identity_id)
        .outerjoin(attendee_user, attendee_user.id == ActivityAttendee.user_id)
        .where(ActivityAttendee.activity_id == activity.id, ActivityAttendee.deleted_at.is_(None))
        .order_by(ActivityAttendee.created_at, ActivityAttendee.id)
        .execution_options(**{SKIP: True})
    )
    return ActivityDetail(
        id=activity.id,
        version=activity.version,
        kind=activity.kind,
        type_id=activity.type_id,
        type_name=names[2] or ACTIVITY_KIND[activity.kind],
        type_icon=names[3],
        summary=activity.summary,
        details=activity.details,
        due_at=activity.due_at,
        duration_minutes=activity.duration_minutes,
        place=activity.place,
        state=activity.state,
        assignee_id=activity.assignee_id,
        assignee_name=names[4],
        identity_id=activity.identity_id,
        identity_name=names[0],
        opportunity_id=activity.opportunity_id,
        opportunity_title=names[1],
        result=activity.result,
        done_at=activity.done_at,
        previous_id=activity.previous_id,
        attendees=tuple(Attendee(i, u, iname or uname or "") for i, u, iname, uname in attendees),
    )


class ActivityService:
    def __init__(self, db: Database, types: ActivityTypeService) -> None:
        self._db = db
        self._types = types

    # --- reading ---------------------------------------------------------------------------
    def get(self, actor: Actor, activity_id: uuid.UUID) -> ActivityDetail:
        """One activity with names and attendees. Whoever may see it; AccessDenied, NotFound. Reads."""
        with self._db.read(actor) as s:
            return _load_detail(s, fetch(s, Activity, activity_id, "فعالیت"))

    def for_record(
        self,
        actor: Actor,
        identity_id: uuid.UUID | None = None,
        opportunity_id: uuid.UUID | None = None,
        state: ActivityState | None = None,
        limit: int = 200,
    ) -> list[ActivityRow]:
        """An identity's or an opportunity's activities the actor may see: planned ones by due time,
        then done and cancelled ones newest first. Reads."""
        stmt = row_select()
        if identity_id is not None:
            stmt = stmt.where(Activity.identity_id == identity_id)
        if opportunity_id is not None:
            stmt = stmt.where(Activity.opportunity_id == opportunity_id)
        if state is not None:
            stmt = stmt.where(Activity.state == state)
        planned_first = (Activity.state != ActivityState.PLANNED).label("closed")
        when = func.coalesce(Activity.done_at, Activity.due_at)
        stmt = stmt.order_by(
            planned_first,
            # planned: soonest first; closed: newest first (negating a timestamp is not portable)
            case((Activity.state == ActivityState.PLANNED, Activity.due_at)).asc(),
            when.desc(),
            Activity.id,
        ).limit(limit)
        with self._db.read(actor) as s:
            return [ActivityRow(*row) for row in s.execute(stmt)]

    def due(
        self, actor: Actor, login: str | None = None, now: dt.datetime | None = None, tz: dt.tzinfo | None = None
    ) -> list[ActivityRow]:
        """Planned activities due by the end of the (local) day, oldest first: the acting user's, or
        one user's by login, or (for the system, no login) everyone's. Reads; NotFound for a login."""
        now = now or utcnow()
        _, day_end = local_day_bounds_utc(now.astimezone(tz or local_tz()).date(), tz)
        stmt = row_select().where(Activity.state == ActivityState.PLANNED, Activity.due_at < day_end)
        with self._db.read(actor) as s:
            if login is not None:
                user_id = s.scalar(select(User.id).where(User.login == clean_login(login)))
                if user_id is None:
                    raise NotFound(f"کاربر «{login}»")
                stmt = stmt.where(Activity.assignee_id == user_id)
            elif actor.user_id is not None:
                stmt = stmt.where(Activity.assignee_id == actor.user_id)
            return [ActivityRow(*row) for row in s.execute(stmt.order_by(Activity.due_at, Activity.id))]

    def identity_choice(
        self, actor: Actor, identity_id: uuid.UUID | None, opportunity_id: uuid.UUID | None = None
    ) -> IdentityChoice:
        """An identity's name and open opportunities (the identity given, or the opportunity's), for the
        activity dialog. Whoever may see the identity; AccessDenied, NotFound. Reads."""
        with self._db.read(actor) as s:
            if identity_id is None:
                identity_id = fetch(s, Opportunity, opportunity_id, "فرصت").identity_id
            identity = fetch(s, Identity, identity_id, "هویت")
            rows = s.execute(
                select(Opportunity.id, Opportunity.title)
                .where(
                    Opportunity.identity_id == identity_id,
                    Opportunity.status == OpportunityStatus.OPEN,
                    Opportunity.deleted_at.is_(None),
                )
                .order_by(Opportunity.created_at.desc())
            )
            return IdentityChoice(identity.id, identity.display_name, tuple((i, t) for i, t in rows))

    def assignable_users(self, actor: Actor) -> list[UserChoice]:
        """Active users an activity may be assigned to. Anyone; reads."""
        stmt = select(User.id, User.display_name).where(User.is_active.is_(True)).order_by(User.display_name)
        with self._db.read(actor) as s:
            return [UserChoice(*row) for row in s.execute(stmt)]

    # --- writing ---------------------------------------------------------------------------
    def plan(self, actor: Actor, data: ActivityData, now: dt.datetime | None = None) -> ActivityDetail:
        """Plans a new activity (a note is recorded as done at once). Anyone who may see the identity
        (and opportunity); ValidationFailed, AccessDenied, NotFound. Writes."""
        type_row = self._resolve_type(actor, data)
        with self._db.write(actor) as s:
            activity = Activity(state=ActivityState.PLANNED)
            self._apply(s, actor, activity, data, type_row, now or utcnow(), new=True)
            s.add(activity)
            s.flush()
            self._set_attendees(s, activity, data)
            s.flush()
            return _load_detail(s, activity)

    def add_note(
        self, actor: Actor, identity_id: uuid.UUID, text: str, opportunity_id: uuid.UUID | None = None
    ) -> ActivityDetail:
        """A note (یادداشت) on an identity or opportunity, visible to whoever may see the record and its
        followers. ValidationFailed, AccessDenied, NotFound. Writes."""
        body = _clean(text)
        summary = (body or "").splitlines()[0][:SUMMARY_MAX] if body else ""
        return self.plan(
            actor,
            ActivityData(identity_id, summary, None, ActivityKind.NOTE, opportunity_id=opportunity_id, details=body),
        )

    def update(self, actor: Actor, activity_id: uuid.UUID, data: ActivityData, version: int) -> ActivityDetail:
        """Edits an activity (reschedules it when the due time changes). Whoever may see it;
        ValidationFailed, ConcurrentChange, AccessDenied, NotFound. Writes."""
        type_row = self._resolve_type(actor, data)
        with self._db.write(actor) as s:
            activity = fetch(s, Activity, activity_id, "فعالیت")
            if activity.version != version:
                raise ConcurrentChange()
            old_due = activity.due_at
            self._apply(s, actor, activity, data, type_row, utcnow(), new=False)
            if activity.due_at != old_due:
                activity.reminded_at = activity.snoozed_until = None
            self._set_attendees(s, activity, data)
            s.flush()
            return _load_detail(s, activity)

    def mark_done(
        self, actor: Actor, activity_id: uuid.UUID, result: str | None, now: dt.datetime | None = None
    ) -> DoneOutcome:
        """Marks a planned activity done with its result (required for calls and meetings) and applies
        the type's next activity. ValidationFailed, ServiceError (not planned), AccessDenied, NotFound.
        Writes."""
        now = now or utcnow()
        result = _clean(result)
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
                    created, suggestion = _load_detail(s, nxt), None
            s.flush()
            return DoneOutcome(_load_detail(s, activity), created, suggestion)

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
            return _load_detail(s, activity)

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
            return _load_detail(s, activity)

    def reschedule(self, actor: Actor, activity_id: uuid.UUID, due_at: dt.datetime) -> ActivityDetail:
        """Sets a planned activity's due date and time. ServiceError, AccessDenied, NotFound. Writes."""
        with self._db.write(actor) as s:
            activity = self._planned(s, activity_id)
            self._move(activity, _aware(due_at))
            s.flush()
            return _load_detail(s, activity)

    def cancel(self, actor: Actor, activity_id: uuid.UUID) -> ActivityDetail:
        """Cancels a planned activity (it stays in the history). ServiceError, AccessDenied, NotFound.
        Writes."""
        with self._db.write(actor) as s:
            activity = self._planned(s, activity_id)
            activity.state = ActivityState.CANCELLED
            s.flush()
            return _load_detail(s, activity)

    def soft_delete(self, actor: Actor, activity_id: uuid.UUID) -> None:
        """Moves an activity to the recycle bin. AccessDenied, NotFound. Writes."""
        with self._db.write(actor) as s:
            fetch(s, Activity, activity_id, "فعالیت").deleted_at = utcnow()

    # --- helpers ---------------------------------------------------------------------------
    def _resolve_type(self, actor: Actor, data: ActivityData):
        types = self._types.types(actor, include_inactive=True)
        if data.type_id is not None:
            found = next((t for t in types if t.id == data.type_id), None)
            if found is None:
                raise ValidationFailed({"type_id": "نوع فعالیت پیدا نشد."})
            return found
        kind = data.kind or ActivityKind.TASK
        return next(t for t in types if t.is_builtin and t.kind is kind)

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
    def _apply(s: Session, actor: Actor, activity: Activity, data: ActivityData, type_row, now, new: bool) -> None:
        errors: dict[str, str] = {}
        identity_id, opportunity_id = data.identity_id, data.opportunity_id
        if opportunity_id is not None:
            opportunity = fetch(s, Opportunity, opportunity_id, "فرصت")
            if identity_id is None:
                identity_id = opportunity.identity_id
            elif opportunity.identity_id != identity_id:
                errors["opportunity_id"] = "این فرصت متعلق به هویت انتخاب‌شده نیست."
        if identity_id is None:
            errors["identity_id"] = "هویت مرتبط را انتخاب کنید."
        else:
            fetch(s, Identity, identity_id, "هویت")
        is_note = type_row.kind is ActivityKind.NOTE
        summary = _clean(data.summary) or ("" if is_note else type_row.name)
        if is_note and not (summary or _clean(data.details)):
            errors["details"] = "متن یادداشت را بنویسید."
        if summary and len(summary) > SUMMARY_MAX:
            errors["summary"] = f"خلاصه حداکثر {SUMMARY_MAX} نویسه است."
        due_at = data.due_at
        if due_at is None and not is_note:
            errors["due_at"] = "تاریخ و ساعت انجام را وارد کنید."
        if data.duration_minutes is not None and data.duration_minutes < 0:
            errors["duration_minutes"] = "مدت نمی‌تواند منفی باشد."
        assignee_id = data.assignee_id or (activity.assignee_id if not new else None) or actor.user_id
        if data.assignee_id is not None:
            active = s.scalar(select(User.is_active).where(User.id == data.assignee_id))
            if not active:
                errors["assignee_id"] = "انجام‌دهنده باید کاربر فعال باشد."
        if errors:
            raise ValidationFailed(errors)
        if data.previous_id is not None and new:
            fetch(s, Activity, data.previous_id, "فعالیت قبلی")
            activity.previous_id = data.previous_id
        activity.identity_id, activity.opportunity_id = identity_id, opportunity_id
        activity.kind, activity.type_id = type_row.kind, type_row.id
        activity.summary = summary or (_clean(data.details) or "").splitlines()[0][:SUMMARY_MAX]
        activity.details = _clean(data.details)
        activity.duration_minutes = data.duration_minutes
        activity.place = _clean(data.place)
        activity.assignee_id = assignee_id
        if is_note:
            activity.due_at = _aware(due_at) if due_at else (activity.due_at if not new else now)
            if new:
                activity.state, activity.done_at = ActivityState.DONE, now
        else:
            activity.due_at = _aware(due_at)

    @staticmethod
    def _set_attendees(s: Session, activity: Activity, data: ActivityData) -> None:
        wanted = {("i", i) for i in data.attendee_identity_ids} | {("u", u) for u in data.attendee_user_ids}
        if activity.kind is not ActivityKind.MEETING:
            wanted = set()
        current = s.scalars(
            select(ActivityAttendee).where(
                ActivityAttendee.activity_id == activity.id, ActivityAttendee.deleted_at.is_(None)
            )
        ).all()
        have = {}
        for row in current:
            key = ("i", row.identity_id) if row.identity_id else ("u", row.user_id)
            if key in wanted:
                have[key] = row
            else:
                s.delete(row)
        for kind, ref in sorted(wanted - set(have), key=str):
            if kind == "i":
                fetch(s, Identity, ref, "هویت شرکت‌کننده")
                s.add(ActivityAttendee(activity_id=activity.id, identity_id=ref))
            else:
                s.add(ActivityAttendee(activity_id=activity.id, user_id=ref))

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


__all__ = [
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
]

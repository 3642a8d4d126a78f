"""Planning and editing activities: plan (a note is recorded done at once), add a note, edit, recycle; the
checks shared by the dialog's fields and the meeting's attendees."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Activity, ActivityAttendee, ActivityKind, ActivityState, Identity, Opportunity, User, utcnow
from app.services.activities.activity_types import ActivityTypeService
from app.services.activities.data import SUMMARY_MAX, ActivityData, ActivityDetail, aware_utc, clean_text
from app.services.activities.queries import load_detail
from app.services.core.access import fetch
from app.services.core.actor import Actor
from app.services.core.concurrency import ensure_version
from app.services.core.database import Database
from app.services.core.errors import ValidationFailed


class ActivityPlanning:
    """The planning half of ActivityService (services.activities)."""

    _db: Database
    _types: ActivityTypeService

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
            return load_detail(s, activity)

    def add_note(
        self, actor: Actor, identity_id: uuid.UUID, text: str, opportunity_id: uuid.UUID | None = None
    ) -> ActivityDetail:
        """A note (یادداشت) on an identity or opportunity, visible to whoever may see the record and its
        followers. ValidationFailed, AccessDenied, NotFound. Writes."""
        body = clean_text(text)
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
            ensure_version(activity, version)
            old_due = activity.due_at
            self._apply(s, actor, activity, data, type_row, utcnow(), new=False)
            if activity.due_at != old_due:
                activity.reminded_at = activity.snoozed_until = None
            self._set_attendees(s, activity, data)
            s.flush()
            return load_detail(s, activity)

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
        summary = clean_text(data.summary) or ("" if is_note else type_row.name)
        if is_note and not (summary or clean_text(data.details)):
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
        activity.summary = summary or (clean_text(data.details) or "").splitlines()[0][:SUMMARY_MAX]
        activity.details = clean_text(data.details)
        activity.duration_minutes = data.duration_minutes
        activity.place = clean_text(data.place)
        activity.assignee_id = assignee_id
        if is_note:
            activity.due_at = aware_utc(due_at) if due_at else (activity.due_at if not new else now)
            if new:
                activity.state, activity.done_at = ActivityState.DONE, now
        else:
            activity.due_at = aware_utc(due_at)

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

"""Demo activities of every type and state: due yesterday, today and next week, done with results,
cancelled, chained next activities, meetings with attendees, notes and attached files."""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import select

from app.models import (
    Activity,
    ActivityAttendee,
    ActivityKind,
    ActivityState,
    ActivityType,
    Attachment,
    AttachmentBlob,
    OpportunityStatus,
    utcnow,
)
from app.services.activities.activity_types import ensure_builtin_types
from app.services.demo.context import DemoContext, stamp
from app.services.demo.vocabulary import STAGES

KINDS = [ActivityKind.CALL, ActivityKind.MEETING, ActivityKind.REMINDER, ActivityKind.TASK]
NOTES = [
    "مدیرعامل فقط صبح‌ها پاسخ می‌دهد؛ با منشی هماهنگ شود.",
    "رقیب قیمت پایین‌تری داده، ولی خدمات پس از فروش ندارد.",
    "تصمیم خرید گروهی است؛ مدیر مالی هم باید در جلسه باشد.",
    "پرداخت را به صورت چک سه‌ماهه می‌خواهند.",
]
FILES = [
    ("کاتالوگ محصولات.txt", "فهرست محصولات و قیمت‌های پایه\n"),
    ("صورتجلسه.txt", "صورتجلسه نمایش محصول و پرسش‌های مشتری\n"),
    ("مشخصات فنی.txt", "مشخصات فنی دستگاه‌ها و شرایط گارانتی\n"),
]
NOTE_SHARE, FILE_SHARE, CANCEL_SHARE = 0.1, 0.05, 0.05


def _types(ctx: DemoContext) -> dict[ActivityKind, object]:
    ensure_builtin_types(ctx.db)
    from app.services.core.actor import SYSTEM

    with ctx.db.read(SYSTEM) as s:
        rows = s.execute(select(ActivityType.kind, ActivityType.id).where(ActivityType.is_builtin.is_(True)))
        return dict(rows.all())


def add_activities(ctx: DemoContext) -> None:
    rnd, rows, now = ctx.rnd, [], utcnow()
    types = _types(ctx)
    local_now = dt.datetime.now().astimezone()
    attendees, attachments, blobs = [], [], {}

    def activity(kind: ActivityKind, **values) -> dict:
        row = stamp(now, kind=kind, type_id=types[kind], **values)
        rows.append(row)
        return row

    open_opps = [o for o in ctx.opportunity_rows if o["status"] is OpportunityStatus.OPEN]
    # Every user gets a few activities due today, so each cardboard has something to show.
    targets = [(o, o["owner_id"]) for o in open_opps] + [(None, user) for user in ctx.user_ids for _ in range(4)]
    for opp, assignee in targets:
        if opp is not None and rnd.random() < 0.2:
            continue  # an open opportunity with nothing planned: the "warning" state
        day_offset = rnd.choice([-1, 0, 0, 1, 3, 7]) if opp else 0
        due = (local_now + dt.timedelta(days=day_offset)).replace(
            hour=rnd.randint(8, 18), minute=rnd.choice([0, 15, 30, 45]), second=0, microsecond=0
        )
        kind = rnd.choice(KINDS)
        done = opp is not None and rnd.random() < 0.3
        cancelled = opp is not None and not done and rnd.random() < CANCEL_SHARE
        identity_id = opp["identity_id"] if opp else rnd.choice(ctx.identity_ids)
        state = ActivityState.DONE if done else ActivityState.CANCELLED if cancelled else ActivityState.PLANNED
        row = activity(
            kind,
            identity_id=identity_id,
            opportunity_id=opp["id"] if opp else None,
            summary=rnd.choice(STAGES.activity_summaries[kind]),
            due_at=due.astimezone(dt.UTC),
            duration_minutes=60 if kind is ActivityKind.MEETING else None,
            place="دفتر مشتری" if kind is ActivityKind.MEETING else None,
            assignee_id=assignee,
            state=state,
            result=rnd.choice(STAGES.results) if done else None,
            done_at=due.astimezone(dt.UTC) if done else None,
        )
        if kind is ActivityKind.MEETING:
            guests = {rnd.choice(ctx.identity_ids) for _ in range(rnd.randint(1, 2))} - {identity_id}
            attendees += [stamp(now, activity_id=row["id"], identity_id=g) for g in guests]
            attendees.append(stamp(now, activity_id=row["id"], user_id=assignee))
        if done and opp is not None:  # the follow-up planned after the result: a chain
            follow_kind = rnd.choice([ActivityKind.CALL, ActivityKind.REMINDER])
            activity(
                follow_kind,
                identity_id=identity_id,
                opportunity_id=opp["id"],
                summary=rnd.choice(STAGES.activity_summaries[follow_kind]),
                due_at=(due + dt.timedelta(days=rnd.choice([2, 7]))).astimezone(dt.UTC),
                assignee_id=assignee,
                state=ActivityState.PLANNED,
                previous_id=row["id"],
            )
        if opp is not None and rnd.random() < NOTE_SHARE:
            text = rnd.choice(NOTES)
            activity(
                ActivityKind.NOTE,
                identity_id=identity_id,
                opportunity_id=opp["id"],
                summary=text,
                details=text,
                due_at=now,
                assignee_id=assignee,
                state=ActivityState.DONE,
                done_at=now,
            )
        if opp is not None and rnd.random() < FILE_SHARE:
            name, text = rnd.choice(FILES)
            content = text.encode("utf-8")
            digest = hashlib.sha256(content).hexdigest()
            blobs[digest] = content
            file_row = activity(
                ActivityKind.FILE,
                identity_id=identity_id,
                opportunity_id=opp["id"],
                summary=f"ارسال {name.rsplit('.', 1)[0]}",
                due_at=now,
                assignee_id=assignee,
                state=ActivityState.DONE,
                done_at=now,
            )
            attachments.append(
                stamp(
                    now,
                    identity_id=identity_id,
                    opportunity_id=opp["id"],
                    activity_id=file_row["id"],
                    filename=name,
                    mime_type="text/plain",
                    size_bytes=len(content),
                    sha256=digest,
                    created_by=assignee,
                )
            )
    ctx.insert(Activity, rows)
    ctx.insert(ActivityAttendee, attendees)
    _insert_blobs(ctx, blobs)
    ctx.insert(Attachment, attachments)
    ctx.counts["activities"] = len(rows)


def _insert_blobs(ctx: DemoContext, blobs: dict[str, bytes]) -> None:
    from app.services.core.actor import SYSTEM

    with ctx.db.write(SYSTEM) as s:
        present = set(s.scalars(select(AttachmentBlob.sha256).where(AttachmentBlob.sha256.in_(list(blobs)))))
        for digest, content in blobs.items():
            if digest not in present:
                s.add(AttachmentBlob(sha256=digest, content=content))

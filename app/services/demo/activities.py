"""Demo activities of every type and state, dated within their deal's life: done with results over
the past months, due yesterday, today and next week, cancelled, chained next activities, meetings with
attendees, notes and attached files."""

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


def _moment(rnd, start: dt.datetime, end: dt.datetime) -> dt.datetime:
    """A moment of the deal's life, in office hours when the day allows it."""
    moment = start + (end - start) * rnd.random()
    at_work = dt.datetime.combine(moment.date(), dt.time(5 + rnd.randrange(8), rnd.choice([0, 15, 30, 45])), dt.UTC)
    return at_work if start <= at_work <= end else moment


class _Maker:
    """Collects the rows of activities, attendees and attached files for one bulk INSERT each."""

    def __init__(self, ctx: DemoContext) -> None:
        self.ctx, self.rnd, self.types = ctx, ctx.rnd, _types(ctx)
        self.rows, self.attendees, self.attachments, self.blobs = [], [], [], {}

    def add(self, kind: ActivityKind, created: dt.datetime, **values) -> dict:
        row = stamp(created, kind=kind, type_id=self.types[kind], **values)
        if kind is ActivityKind.MEETING:
            row.update(duration_minutes=60, place="دفتر مشتری")
        self.rows.append(row)
        return row

    def done(self, opp: dict, start: dt.datetime, at: dt.datetime, previous: dict | None) -> dict:
        """A call, meeting, reminder or task of the deal, done at `at` with a result; planned after
        the `previous` one (a chain)."""
        rnd = self.rnd
        kind = rnd.choice(KINDS)
        row = self.add(
            kind, max(start, at - dt.timedelta(days=rnd.randint(0, 3))), identity_id=opp["identity_id"],
            opportunity_id=opp["id"], summary=rnd.choice(STAGES.activity_summaries[kind]), due_at=at,
            assignee_id=opp["owner_id"], state=ActivityState.DONE, result=rnd.choice(STAGES.results), done_at=at,
            previous_id=previous["id"] if previous else None,
        )  # fmt: skip
        if kind is ActivityKind.MEETING:
            guests = {rnd.choice(self.ctx.identity_ids) for _ in range(rnd.randint(1, 2))} - {opp["identity_id"]}
            self.attendees += [stamp(at, activity_id=row["id"], identity_id=g) for g in guests]
            self.attendees.append(stamp(at, activity_id=row["id"], user_id=opp["owner_id"]))
        return row

    def planned(self, identity_id, opp: dict | None, assignee, created: dt.datetime, previous_id=None) -> None:
        """Due between yesterday and next week (local time): what the cardboards show."""
        rnd = self.rnd
        day_offset = rnd.choice([-1, 0, 0, 1, 3, 7]) if opp else 0
        due = (dt.datetime.now().astimezone() + dt.timedelta(days=day_offset)).replace(
            hour=rnd.randint(8, 18), minute=rnd.choice([0, 15, 30, 45]), second=0, microsecond=0
        )
        kind = rnd.choice(KINDS)
        cancelled = opp is not None and rnd.random() < CANCEL_SHARE
        self.add(
            kind, min(created, self.ctx.now), identity_id=identity_id, opportunity_id=opp["id"] if opp else None,
            summary=rnd.choice(STAGES.activity_summaries[kind]), due_at=due.astimezone(dt.UTC), assignee_id=assignee,
            state=ActivityState.CANCELLED if cancelled else ActivityState.PLANNED, previous_id=previous_id,
        )  # fmt: skip

    def note_or_file(self, opp: dict, start: dt.datetime, end: dt.datetime) -> None:
        rnd, at = self.rnd, _moment(self.rnd, start, end)
        common = dict(identity_id=opp["identity_id"], opportunity_id=opp["id"], due_at=at,
                      assignee_id=opp["owner_id"], state=ActivityState.DONE, done_at=at)  # fmt: skip
        if rnd.random() < NOTE_SHARE:
            text = rnd.choice(NOTES)
            self.add(ActivityKind.NOTE, at, summary=text, details=text, **common)
        if rnd.random() < FILE_SHARE:
            name, text = rnd.choice(FILES)
            content = text.encode("utf-8")
            digest = hashlib.sha256(content).hexdigest()
            self.blobs[digest] = content
            file_row = self.add(ActivityKind.FILE, at, summary=f"ارسال {name.rsplit('.', 1)[0]}", **common)
            self.attachments.append(
                stamp(at, identity_id=opp["identity_id"], opportunity_id=opp["id"], activity_id=file_row["id"],
                      filename=name, mime_type="text/plain", size_bytes=len(content), sha256=digest,
                      created_by=opp["owner_id"])
            )  # fmt: skip


def add_activities(ctx: DemoContext) -> None:
    """Done activities over each deal's life (more on open deals, which also get their next step
    planned, except a fifth left with nothing planned: the "warning" state); closed deals' activities
    all fall between their start and the day they closed. Every user gets work due today."""
    rnd, maker = ctx.rnd, _Maker(ctx)
    for opp in ctx.opportunity_rows:
        start = opp["created_at"]
        is_open = opp["status"] is OpportunityStatus.OPEN
        end = ctx.now if is_open else max(start, opp["updated_at"])  # closed: the moment the result was recorded
        last = None
        steps = rnd.randint(2, 5) if is_open else rnd.randint(1, 3)
        for at in sorted(_moment(rnd, start, end) for _ in range(steps)):
            last = maker.done(opp, start, at, last)
        if is_open and rnd.random() >= 0.2:
            maker.planned(opp["identity_id"], opp, opp["owner_id"], last["done_at"], last["id"])
        maker.note_or_file(opp, start, end)
    for user in ctx.user_ids:
        for _ in range(4):
            maker.planned(rnd.choice(ctx.identity_ids), None, user, ctx.now)
    ctx.insert(Activity, maker.rows, render_nulls=True)
    ctx.insert(ActivityAttendee, maker.attendees)
    _insert_blobs(ctx, maker.blobs)
    ctx.insert(Attachment, maker.attachments)
    ctx.counts["activities"] = len(maker.rows)


def _insert_blobs(ctx: DemoContext, blobs: dict[str, bytes]) -> None:
    from app.services.core.actor import SYSTEM

    with ctx.db.write(SYSTEM) as s:
        present = set(s.scalars(select(AttachmentBlob.sha256).where(AttachmentBlob.sha256.in_(list(blobs)))))
        for digest, content in blobs.items():
            if digest not in present:
                s.add(AttachmentBlob(sha256=digest, content=content))

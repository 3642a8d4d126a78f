"""Access cases of the activities area: activities, types, files, followers, deal health, calendar,
reminders and recently opened records."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from app.models import ActivityKind, utcnow
from app.services.activities.activity_types import ActivityTypeData
from app.services.activities.service import ActivityData, Postpone
from tests.services.access_world import follow


def extend(world) -> None:
    b = world.records
    row = world.services.attachments.attach(world.admin, "قرارداد.pdf", b"%PDF b", identity_id=b["identity_b"])
    b["attachment_b"] = row.id
    follow(world, world.rep_b, "identities", b["identity_b"])


def _ids(rows) -> set:
    return {r.id for r in rows}


def _act(w):
    return w.records["activity_b"]


def _data(w) -> ActivityData:
    return ActivityData(w.records["identity_b"], "پیگیری", utcnow() + dt.timedelta(days=1), ActivityKind.TASK)


def _update(w, a) -> bool:
    current = w.services.activities.get(w.admin, _act(w))
    data = ActivityData(
        current.identity_id, "ویرایش", current.due_at, current.kind, opportunity_id=current.opportunity_id
    )
    return w.services.activities.update(a, _act(w), data, current.version).summary == "ویرایش"


def _attach_file(w, a) -> bool:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "نامه.txt"
        path.write_text("سلام", encoding="utf-8")
        return w.services.attachments.attach_file(a, path, identity_id=w.records["identity_b"]) is not None


def _save_as(w, a) -> bool:
    with tempfile.TemporaryDirectory() as folder:
        return w.services.attachments.save_as(a, w.records["attachment_b"], Path(folder) / "x.pdf").exists()


def _due_b(w) -> dt.datetime:
    return w.services.activities.get(w.admin, _act(w)).due_at


def _acknowledged_b(w, a) -> bool:
    w.services.reminders.acknowledge(a, [_act(w)])
    later = _due_b(w) + dt.timedelta(minutes=1)
    return _act(w) not in _ids(w.services.reminders.due(w.rep_b, later))


def _recent(w, a) -> bool:
    w.services.recent.record_opened(a, "identity", w.records["identity_b"])
    return w.records["identity_b"] in _ids(w.services.recent.recent(a))


def _calendar(w, a) -> bool:
    today = dt.date.today()
    rows = w.services.calendar.activities(a, today - dt.timedelta(days=1), today + dt.timedelta(days=2), True)
    return _act(w) in {e.row.id for e in rows}


_TOMORROW = utcnow() + dt.timedelta(days=1)
CASES = {
    "activity_types.save": lambda w, a: (
        w.services.activity_types.save(a, ActivityTypeData("مشاوره", ActivityKind.MEETING)).name == "مشاوره"
    ),
    "activities.get": lambda w, a: w.services.activities.get(a, _act(w)).id == _act(w),
    "activities.for_record": lambda w, a: (
        _act(w) in _ids(w.services.activities.for_record(a, identity_id=w.records["identity_b"]))
    ),
    "activities.due": lambda w, a: (
        _act(w) in _ids(w.services.activities.due(a, login="rep_b", now=utcnow() + dt.timedelta(days=2)))
    ),
    "activities.identity_choice": lambda w, a: (
        w.services.activities.identity_choice(a, w.records["identity_b"]).id == w.records["identity_b"]
    ),
    "activities.plan": lambda w, a: w.services.activities.plan(a, _data(w)).identity_id == w.records["identity_b"],
    "activities.add_note": lambda w, a: (
        w.services.activities.add_note(a, w.records["identity_b"], "یادداشت") is not None
    ),
    "activities.update": _update,
    "activities.mark_done": lambda w, a: (
        w.services.activities.mark_done(a, _act(w), "انجام شد").activity.result == "انجام شد"
    ),
    "activities.postpone": lambda w, a: w.services.activities.postpone(a, _act(w), Postpone.TOMORROW) is not None,
    "activities.postpone_to": lambda w, a: w.services.activities.postpone_to(a, _act(w), _TOMORROW.date()) is not None,
    "activities.reschedule": lambda w, a: w.services.activities.reschedule(a, _act(w), _TOMORROW) is not None,
    "activities.cancel": lambda w, a: w.services.activities.cancel(a, _act(w)) is not None,
    "activities.soft_delete": lambda w, a: w.services.activities.soft_delete(a, _act(w)) is None,
    "attachments.attach": lambda w, a: (
        w.services.attachments.attach(a, "a.txt", b"a", identity_id=w.records["identity_b"]) is not None
    ),
    "attachments.attach_file": _attach_file,
    "attachments.files": lambda w, a: (
        w.records["attachment_b"] in _ids(w.services.attachments.files(a, identity_id=w.records["identity_b"]))
    ),
    "attachments.content": lambda w, a: w.services.attachments.content(a, w.records["attachment_b"]) == b"%PDF b",
    "attachments.save_as": _save_as,
    "attachments.export_temp": lambda w, a: w.services.attachments.export_temp(a, w.records["attachment_b"]).exists(),
    "attachments.soft_delete": lambda w, a: w.services.attachments.soft_delete(a, w.records["attachment_b"]) is None,
    "followers.followers": lambda w, a: bool(w.services.followers.followers(a, "identities", w.records["identity_b"])),
    "followers.is_following": lambda w, a: (
        w.services.followers.is_following(a, "identities", w.records["identity_b"]) is False
    ),
    "followers.candidates": lambda w, a: (
        w.services.followers.candidates(a, "identities", w.records["identity_b"]) is not None
    ),
    "followers.follow": lambda w, a: w.services.followers.follow(a, "identities", w.records["identity_b"]) is None,
    "followers.unfollow": lambda w, a: (
        w.services.followers.unfollow(a, "identities", w.records["identity_b"], w.rep_b.user_id) is None
    ),
    "deal_health.states": lambda w, a: (
        w.records["opportunity_b"]
        in w.services.deal_health.states(a, [w.records["opportunity_a"], w.records["opportunity_b"]])
    ),
    "deal_health.health": lambda w, a: w.services.deal_health.health(a, w.records["opportunity_b"]) is not None,
    "calendar.activities": _calendar,
    "reminders.next_time": lambda w, a: w.services.reminders.next_time(a) == _due_b(w),
    "reminders.due": lambda w, a: _act(w) in _ids(w.services.reminders.due(a, _due_b(w) + dt.timedelta(minutes=1))),
    "reminders.acknowledge": _acknowledged_b,
    "reminders.snooze": lambda w, a: w.services.reminders.snooze(a, _act(w), 10) is not None,
    "recent.record_opened": _recent,
    "recent.recent": _recent,
}
NOT_RECORD_SCOPED = {
    "activity_types.types",
    "activity_types.builtin",
    "activities.assignable_users",
    "calendar.is_leader",
}
ADMIN_ONLY = {"activity_types.save"}
PERSONAL = {
    "calendar.activities",
    "reminders.next_time",
    "reminders.due",
    "reminders.acknowledge",
    "reminders.snooze",
}

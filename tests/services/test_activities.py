"""Activities: planning, results, chaining of next activities, postponing, rescheduling, cancelling."""

from __future__ import annotations

import datetime as dt

import pytest

from app.models import ActivityKind, ActivityState
from app.models.enums import DelayFrom, DelayUnit, NextActivityMode
from app.services.activities.activity_types import ActivityTypeData, add_delay
from app.services.activities.service import ActivityData, Postpone
from app.services.core.errors import AccessDenied, ConcurrentChange, ServiceError, ValidationFailed
from tests.services.activity_helpers import NOW, TEHRAN, add_identity, add_opportunity, add_user, at


@pytest.fixture
def opp(services, admin):
    return add_opportunity(services, admin, add_identity(services, admin))


def _call(services, actor, opp, due=None, **extra):
    data = ActivityData(None, "تماس معرفی محصولات", due or at(22, 11), ActivityKind.CALL, opportunity_id=opp.id)
    return services.activities.plan(actor, ActivityData(**{**data.__dict__, **extra}))


def test_builtin_types_exist_for_every_kind(services, admin) -> None:
    types = services.activity_types.types(admin)
    assert {t.kind for t in types if t.is_builtin} == set(ActivityKind)
    assert [t.name for t in types][:6] == ["تماس", "جلسه", "یادآوری/پیگیری", "وظیفه", "یادداشت", "فایل"]


def test_plan_fills_identity_type_and_assignee(services, admin, opp) -> None:
    activity = _call(services, admin, opp)
    assert activity.identity_id == opp.identity_id and activity.opportunity_title == opp.title
    assert activity.type_name == "تماس" and activity.state is ActivityState.PLANNED
    assert activity.assignee_id == admin.user_id
    assert activity.due_at == at(22, 11)


def test_plan_refuses_missing_fields_in_persian(services, admin) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.activities.plan(admin, ActivityData(None, "", None, ActivityKind.CALL))
    assert set(caught.value.errors) == {"identity_id", "due_at"}
    assert caught.value.errors["due_at"] == "تاریخ و ساعت انجام را وارد کنید."


def test_a_meeting_has_place_and_attendees(services, admin, opp) -> None:
    guest = add_identity(services, admin, "مهندس کریمی")
    colleague = add_user(services, "maryam")
    meeting = services.activities.plan(
        admin,
        ActivityData(
            None,
            "جلسه نمایش محصول",
            at(24, 10),
            ActivityKind.MEETING,
            opportunity_id=opp.id,
            place="دفتر مشتری، خیابان ولیعصر",
            duration_minutes=90,
            attendee_identity_ids=(guest.id,),
            attendee_user_ids=(colleague.user_id,),
        ),
    )
    assert meeting.place == "دفتر مشتری، خیابان ولیعصر" and meeting.duration_minutes == 90
    assert {a.name for a in meeting.attendees} == {"مهندس کریمی", "maryam"}
    data = ActivityData(None, meeting.summary, meeting.due_at, ActivityKind.MEETING, opportunity_id=opp.id)
    fewer = services.activities.update(
        admin, meeting.id, ActivityData(**{**data.__dict__, "attendee_identity_ids": (guest.id,)}), meeting.version
    )
    assert [a.name for a in fewer.attendees] == ["مهندس کریمی"]
    with pytest.raises(ConcurrentChange):
        services.activities.update(admin, meeting.id, data, meeting.version)


@pytest.mark.parametrize("kind", [ActivityKind.CALL, ActivityKind.MEETING])
def test_calls_and_meetings_need_a_result(services, admin, opp, kind) -> None:
    activity = _call(services, admin, opp, kind=kind)
    with pytest.raises(ValidationFailed) as caught:
        services.activities.mark_done(admin, activity.id, "  ")
    assert "result" in caught.value.errors
    outcome = services.activities.mark_done(admin, activity.id, "جلسه بعدی هماهنگ شد", now=NOW)
    assert outcome.activity.state is ActivityState.DONE and outcome.activity.done_at == NOW
    assert outcome.activity.result == "جلسه بعدی هماهنگ شد"
    with pytest.raises(ServiceError):
        services.activities.mark_done(admin, activity.id, "دوباره")


def test_a_task_may_be_done_without_a_result(services, admin, opp) -> None:
    task = _call(services, admin, opp, kind=ActivityKind.TASK)
    assert services.activities.mark_done(admin, task.id, None).activity.state is ActivityState.DONE


def _type(services, admin, mode, delay, unit, start, next_kind=ActivityKind.CALL):
    next_type = services.activity_types.builtin(admin, next_kind)
    return services.activity_types.save(
        admin,
        ActivityTypeData(
            "ارسال پیش‌فاکتور",
            ActivityKind.TASK,
            icon="mail",
            next_mode=mode,
            next_type_id=next_type.id,
            next_delay=delay,
            next_delay_unit=unit,
            next_from=start,
        ),
    )


def test_auto_next_activity_is_chained_after_completion(services, admin, opp) -> None:
    quote_type = _type(services, admin, NextActivityMode.AUTO, 3, DelayUnit.DAYS, DelayFrom.COMPLETION)
    task = services.activities.plan(
        admin, ActivityData(None, "", at(20, 9), type_id=quote_type.id, opportunity_id=opp.id)
    )
    assert task.summary == "ارسال پیش‌فاکتور" and task.type_icon == "mail"
    outcome = services.activities.mark_done(admin, task.id, "ارسال شد", now=NOW)
    nxt = outcome.created_next
    assert nxt is not None and outcome.suggestion is None
    assert nxt.previous_id == task.id and nxt.kind is ActivityKind.CALL and nxt.state is ActivityState.PLANNED
    assert nxt.due_at == NOW + dt.timedelta(days=3)
    assert nxt.opportunity_id == opp.id and nxt.assignee_id == admin.user_id


def test_suggested_next_activity_counts_from_the_deadline(services, admin, opp) -> None:
    quote_type = _type(services, admin, NextActivityMode.SUGGEST, 2, DelayUnit.WEEKS, DelayFrom.DEADLINE)
    task = services.activities.plan(
        admin, ActivityData(None, "", at(20, 9), type_id=quote_type.id, opportunity_id=opp.id)
    )
    outcome = services.activities.mark_done(admin, task.id, None, now=NOW)
    assert outcome.created_next is None
    suggestion = outcome.suggestion
    assert suggestion.due_at == at(20, 9) + dt.timedelta(weeks=2) and suggestion.previous_id == task.id
    accepted = services.activities.plan(admin, suggestion.as_data())
    assert accepted.previous_id == task.id and accepted.type_name == "تماس"


def test_month_delays_clip_to_the_month_end() -> None:
    assert add_delay(dt.datetime(2026, 1, 31, 9, tzinfo=dt.UTC), 1, DelayUnit.MONTHS).date() == dt.date(2026, 2, 28)
    assert add_delay(dt.datetime(2026, 11, 30, tzinfo=dt.UTC), 3, DelayUnit.MONTHS).date() == dt.date(2027, 2, 28)


def test_only_admins_define_types(services, admin) -> None:
    rep = add_user(services, "rep")
    with pytest.raises(AccessDenied):
        services.activity_types.save(rep, ActivityTypeData("مشاوره", ActivityKind.MEETING))
    with pytest.raises(ValidationFailed):
        services.activity_types.save(admin, ActivityTypeData(" ", ActivityKind.MEETING))


def test_postpone_in_one_click_keeps_the_time_of_day(services, admin, opp) -> None:
    overdue = _call(services, admin, opp, due=at(18, 16, 30))  # four days late
    moved = services.activities.postpone(admin, overdue.id, Postpone.TOMORROW, now=NOW, tz=TEHRAN)
    assert moved.due_at == at(23, 16, 30)  # tomorrow counted from today, not from the old due day
    later = services.activities.postpone(admin, overdue.id, Postpone.NEXT_WEEK, now=NOW, tz=TEHRAN)
    assert later.due_at == at(30, 16, 30)  # a week after its (future) due day
    picked = services.activities.postpone_to(admin, overdue.id, dt.date(2026, 12, 5), tz=TEHRAN)
    assert picked.due_at == dt.datetime(2026, 12, 5, 16, 30, tzinfo=TEHRAN)


def test_reschedule_and_cancel(services, admin, opp) -> None:
    activity = _call(services, admin, opp)
    moved = services.activities.reschedule(admin, activity.id, at(27, 8, 15))
    assert moved.due_at == at(27, 8, 15)
    cancelled = services.activities.cancel(admin, activity.id)
    assert cancelled.state is ActivityState.CANCELLED
    with pytest.raises(ServiceError):
        services.activities.postpone(admin, activity.id, Postpone.TOMORROW)


def test_record_lists_planned_first_then_history_newest_first(services, admin, opp) -> None:
    first = _call(services, admin, opp, due=at(20, 9))
    second = _call(services, admin, opp, due=at(21, 9))
    _call(services, admin, opp, due=at(26, 9))
    _call(services, admin, opp, due=at(25, 9))
    services.activities.mark_done(admin, first.id, "پاسخ نداد", now=at(20, 10))
    services.activities.mark_done(admin, second.id, "نمونه ارسال شد", now=at(21, 10))
    rows = services.activities.for_record(admin, opportunity_id=opp.id)
    assert [r.due_at for r in rows] == [at(25, 9), at(26, 9), at(21, 9), at(20, 9)]
    assert rows[2].result == "نمونه ارسال شد"


def test_due_lists_overdue_and_today_of_one_user(services, admin, opp) -> None:
    rep = add_user(services, "sara")
    _call(services, admin, opp, due=at(21, 9), assignee_id=rep.user_id)
    _call(services, admin, opp, due=at(22, 20), assignee_id=rep.user_id)
    _call(services, admin, opp, due=at(23, 9), assignee_id=rep.user_id)
    _call(services, admin, opp, due=at(22, 9))
    rows = services.activities.due(admin, login="SARA", now=NOW, tz=TEHRAN)
    assert [r.due_at for r in rows] == [at(21, 9), at(22, 20)]
    assert [r.due_at for r in services.activities.due(admin, now=NOW, tz=TEHRAN)] == [at(22, 9)]

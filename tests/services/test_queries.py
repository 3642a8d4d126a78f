"""Identity, opportunity and cardboard queries through the service layer."""

from __future__ import annotations

import datetime as dt

import pytest

from app.models import (
    Activity,
    ActivityKind,
    ActivityState,
    Identity,
    IdentityKind,
    IdentityPhone,
    IdentityRole,
    PhoneKind,
)
from app.persian import normalize_text, search_key, sort_key
from app.services.activities.cardboard import local_day_bounds_utc
from app.services.identities.service import IdentityQuery
from app.services.opportunities.queries import OpportunityQuery


def _add_person(services, actor, name: str, mobile: str, role=IdentityRole.LEAD) -> Identity:
    name = normalize_text(name)
    with services.db.write(actor) as s:
        person = Identity(kind=IdentityKind.PERSON, display_name=name, name_key=search_key(name), role=role)
        s.add(person)
        s.flush()
        s.add(IdentityPhone(identity_id=person.id, kind=PhoneKind.MOBILE, number=mobile, number_key=mobile))
    return person


@pytest.mark.parametrize("typed", ["علی زاده", "علیزاده", "علی‌زاده", "علي زاده", "عَلی‌زاده"])
def test_quick_search_folds_persian_spelling(services, admin, typed) -> None:
    target = _add_person(services, admin, "علی‌زاده", "09121112233")
    _add_person(services, admin, "کریمی", "09350000000")
    hits = services.identities.search(admin, IdentityQuery(text=typed))
    assert [h.id for h in hits] == [target.id]


def test_quick_search_finds_arabic_letters_and_any_digits(services, admin) -> None:
    karimi = _add_person(services, admin, "كريمي", "09127654321")  # typed with Arabic ي/ك
    assert [h.id for h in services.identities.search(admin, IdentityQuery(text="کریمی"))] == [karimi.id]
    assert [h.id for h in services.identities.search(admin, IdentityQuery(text="۰۹۱۲۷۶۵"))] == [karimi.id]
    assert [h.id for h in services.identities.search(admin, IdentityQuery(text="٠٩١٢٧٦٥"))] == [karimi.id]
    assert services.identities.search(admin, IdentityQuery(text="کریمی"))[0].mobile == "09127654321"


def test_role_filter_sorting_and_paging(demo_services, demo_admin) -> None:
    ids = demo_services.identities
    total = ids.count(demo_admin, IdentityQuery())
    assert total == 300
    leads = ids.count(demo_admin, IdentityQuery(role=IdentityRole.LEAD))
    assert 0 < leads < total
    assert {r.role for r in ids.search(demo_admin, IdentityQuery(role=IdentityRole.LEAD), 0, 500)} == {
        IdentityRole.LEAD
    }
    pages = ids.search(demo_admin, IdentityQuery(), 0, 100) + ids.search(demo_admin, IdentityQuery(), 100, 500)
    assert len({r.id for r in pages}) == total
    keys = [sort_key(r.display_name) for r in pages]  # the Persian alphabet (issue 14)
    assert keys == sorted(keys)
    newest = ids.search(demo_admin, IdentityQuery(sort="created_at", descending=True), 0, 5)
    assert newest[0].created_at >= newest[-1].created_at


def test_opportunity_list_has_open_ones_in_every_stage(demo_services, demo_admin) -> None:
    rows = demo_services.opportunities.search(demo_admin, OpportunityQuery(), 0, 1000)
    assert rows and all(r.status.value == "open" for r in rows)
    assert {r.stage_name for r in rows} == {"جدید", "واجد شرایط", "ارسال پیشنهاد", "مذاکره"}
    assert demo_services.opportunities.count(demo_admin, OpportunityQuery()) == len(rows)
    by_amount = demo_services.opportunities.search(demo_admin, OpportunityQuery(sort="amount", descending=True))
    assert [r.amount for r in by_amount] == sorted((r.amount for r in by_amount), reverse=True)
    assert all(isinstance(r.amount, int) for r in rows)


def test_cardboard_splits_activities_by_local_day(services, admin) -> None:
    person = _add_person(services, admin, "پرستو نادری", "09120000001")
    today = dt.date(2026, 11, 22)
    start, end = local_day_bounds_utc(today)
    due = {
        "yesterday_late": start - dt.timedelta(minutes=1),
        "today_first": start,
        "today_last": end - dt.timedelta(minutes=1),
        "tomorrow": end,
        "in_8_days": end + dt.timedelta(days=7, minutes=1),
    }
    with services.db.write(admin) as s:
        for summary, when in due.items():
            s.add(
                Activity(
                    identity_id=person.id,
                    kind=ActivityKind.CALL,
                    summary=summary,
                    due_at=when,
                    assignee_id=admin.user_id,
                )
            )
        s.add(
            Activity(
                identity_id=person.id,
                kind=ActivityKind.CALL,
                summary="done",
                due_at=start,
                assignee_id=admin.user_id,
                state=ActivityState.DONE,
            )
        )
    board = services.cardboard.load(admin, today)
    assert [r.summary for r in board.overdue.rows] == ["yesterday_late"]
    assert [r.summary for r in board.today.rows] == ["today_first", "today_last"]
    assert [r.summary for r in board.next_7_days.rows] == ["tomorrow"]
    assert board.today.total == 2


def test_demo_data_gives_every_user_something_today(demo_services, demo_admin) -> None:
    board = demo_services.cardboard.load(demo_admin)
    assert board.today.total >= 4
    assert all(r.identity_name for r in board.today.rows)

"""The cardboard: activity sections with exact counts, unplanned opportunities, registered sections,
recently opened records, and the calendar's range query."""

from __future__ import annotations

import datetime as dt

import pytest

from app.services.activities import cardboard
from app.services.activities.cardboard import CardboardItem, CardboardSection, register_section
from app.services.activities.service import ActivityData
from tests.services.activity_helpers import NOW, TEHRAN, add_identity, add_opportunity, add_user, at


@pytest.fixture
def rep(services):
    return add_user(services, "rep")


def test_sections_counts_and_limits(services, rep, monkeypatch) -> None:
    monkeypatch.setattr(cardboard, "SECTION_LIMIT", 3)
    identity = add_identity(services, rep)
    for day in (18, 19, 20, 21, 21):
        services.activities.plan(rep, ActivityData(identity.id, f"عقب {day}", at(day, 9)))
    services.activities.plan(rep, ActivityData(identity.id, "امروز", at(22, 23, 59)))
    services.activities.plan(rep, ActivityData(identity.id, "فردا", at(23, 0)))
    services.activities.plan(rep, ActivityData(identity.id, "دور", at(30, 1)))
    board = services.cardboard.load(rep, now=NOW, tz=TEHRAN)
    assert board.overdue.total == 5 and [r.summary for r in board.overdue.rows] == ["عقب 18", "عقب 19", "عقب 20"]
    assert [r.summary for r in board.today.rows] == ["امروز"] and board.today.total == 1
    assert [r.summary for r in board.next_7_days.rows] == ["فردا"]
    assert board.urgent == 6


def test_open_opportunities_without_a_plan(services, rep) -> None:
    identity = add_identity(services, rep)
    planned = add_opportunity(services, rep, identity, "با برنامه")
    bare = add_opportunity(services, rep, identity, "بی‌برنامه")
    services.activities.plan(rep, ActivityData(None, "تماس", at(25, 9), opportunity_id=planned.id))
    board = services.cardboard.load(rep, now=NOW, tz=TEHRAN)
    assert [o.id for o in board.no_plan.rows] == [bare.id] and board.no_plan.total == 1
    assert board.no_plan.rows[0].stage_name == "جدید"


def test_registered_sections_are_filled_by_their_loaders(services, rep, monkeypatch) -> None:
    monkeypatch.setattr(cardboard, "EXTRA_SECTIONS", dict(cardboard.EXTRA_SECTIONS))
    board = services.cardboard.load(rep, now=NOW, tz=TEHRAN)
    assert list(board.extra) == [
        "quotes_awaiting", "invoices_overdue", "invoices_awaiting", "cheques_due", "instalments_due", "new_messages"
    ]  # fmt: skip
    assert board.extra["quotes_awaiting"].total == 0

    def quotes(session, actor, now, limit, owners):
        assert actor == rep and now == NOW and owners == [rep.user_id]
        item = CardboardItem("quote", rep.user_id, "پیش‌فاکتور ۱۲", "شرکت آلفا", now, 5_000_000)
        return CardboardSection([item], 4)

    register_section("quotes_awaiting", "پیش‌فاکتور منتظر پاسخ", quotes, 10)
    board = services.cardboard.load(rep, now=NOW, tz=TEHRAN)
    assert board.extra["quotes_awaiting"].total == 4
    assert board.extra["quotes_awaiting"].rows[0].title == "پیش‌فاکتور ۱۲"


def test_recently_opened_records(services, rep) -> None:
    identity = add_identity(services, rep, "شرکت گاما")
    opp = add_opportunity(services, rep, identity, "فرصت گاما")
    services.recent.record_opened(rep, "identity", identity.id, now=NOW)
    services.recent.record_opened(rep, "opportunity", str(opp.id), now=NOW + dt.timedelta(minutes=1))
    services.recent.record_opened(rep, "identity", identity.id, now=NOW + dt.timedelta(minutes=2))
    services.recent.record_opened(rep, "calendar", "me")  # not a record: ignored
    assert [(r.kind, r.title) for r in services.recent.recent(rep)] == [
        ("identity", "شرکت گاما"),
        ("opportunity", "فرصت گاما"),
    ]
    assert [r.title for r in services.cardboard.load(rep, now=NOW, tz=TEHRAN).recent] == ["شرکت گاما", "فرصت گاما"]
    services.identities.soft_delete(rep, identity.id)
    assert [r.kind for r in services.recent.recent(rep)] == ["opportunity"]


def test_calendar_shows_own_and_for_leaders_the_teams_activities(services, admin) -> None:
    from app.models import SalesTeam, User
    from app.services.core.actor import SYSTEM

    leader, member = add_user(services, "leader"), add_user(services, "member")
    with services.db.write(SYSTEM) as s:
        team = SalesTeam(name="تیم شمال", leader_id=leader.user_id)
        s.add(team)
        s.flush()
        s.get(User, member.user_id).team_id = team.id
    identity = add_identity(services, admin)
    services.activities.plan(admin, ActivityData(identity.id, "رهبر", at(24, 9), assignee_id=leader.user_id))
    services.activities.plan(admin, ActivityData(identity.id, "عضو", at(25, 9), assignee_id=member.user_id))
    services.activities.plan(admin, ActivityData(identity.id, "بیرون", at(25, 9, month=12), assignee_id=member.user_id))
    days = (dt.date(2026, 11, 22), dt.date(2026, 12, 21))  # 1405/09/01 .. 1405/09/30
    own = services.calendar.activities(leader, *days, tz=TEHRAN)
    assert [e.row.summary for e in own] == ["رهبر"]
    team_rows = services.calendar.activities(leader, *days, include_team=True, tz=TEHRAN)
    assert [e.row.summary for e in team_rows] == ["رهبر", "عضو"]
    assert services.calendar.is_leader(leader) and not services.calendar.is_leader(member)
    assert [e.row.summary for e in services.calendar.activities(member, *days, include_team=True, tz=TEHRAN)] == ["عضو"]

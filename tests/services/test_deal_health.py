"""Deal health: one state per open opportunity, by the user's local day, in one query."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import event, select

from app.models import Opportunity, OpportunityStatus
from app.services.activities.service import ActivityData
from app.services.opportunities.health import Health, urgency_expression
from tests.services.activity_helpers import NOW, TEHRAN, add_identity, add_opportunity, at


@pytest.fixture
def opp(services, admin):
    identity = add_identity(services, admin)
    return add_opportunity(services, admin, identity)


def _plan(services, admin, opp, due) -> None:
    services.activities.plan(admin, ActivityData(None, "تماس پیگیری", due, opportunity_id=opp.id))


def _state(services, admin, opp, now=NOW, tz=TEHRAN) -> Health:
    return services.deal_health.states(admin, [opp.id], now=now, tz=tz)[opp.id]


def test_no_planned_activity_is_a_warning(services, admin, opp) -> None:
    assert _state(services, admin, opp) is Health.WARNING


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        (at(21, 23, 59), Health.OVERDUE),  # 23:59 yesterday (Tehran)
        (at(22, 0, 0), Health.TODAY),  # midnight starting today
        (at(22, 9, 0), Health.TODAY),  # earlier today: still today's, by day as in the cardboard
        (at(22, 23, 59), Health.TODAY),  # 23:59 today
        (at(23, 0, 0), Health.PLANNED),  # midnight ending today
        (at(30, 12, 0), Health.PLANNED),
    ],
)
def test_boundaries_of_the_local_day(services, admin, opp, due, expected) -> None:
    _plan(services, admin, opp, due)
    assert _state(services, admin, opp) is expected


def test_today_is_the_users_local_day_not_utcs(services, admin, opp) -> None:
    # 23:30 on 22 Nov in Tehran is 20:00 UTC the same day; 01:00 on 23 Nov in Tehran is 21:30 UTC on the 22nd.
    due = at(23, 1, 0)
    assert due.date() == dt.date(2026, 11, 22)  # stored UTC says the 22nd ...
    _plan(services, admin, opp, due)
    assert _state(services, admin, opp) is Health.PLANNED  # ... but in Tehran it is tomorrow
    assert _state(services, admin, opp, tz=dt.UTC) is Health.TODAY  # for a user in UTC it is today


def test_the_nearest_planned_activity_decides_and_done_ones_do_not_count(services, admin, opp) -> None:
    _plan(services, admin, opp, at(25, 10))
    _plan(services, admin, opp, at(20, 10))
    assert _state(services, admin, opp) is Health.OVERDUE
    overdue = [r for r in services.activities.for_record(admin, opportunity_id=opp.id) if r.due_at == at(20, 10)][0]
    services.activities.mark_done(admin, overdue.id, "مشتری پیش‌فاکتور خواست", now=NOW)
    assert _state(services, admin, opp) is Health.PLANNED
    later = services.activities.for_record(admin, opportunity_id=opp.id)[0]
    services.activities.cancel(admin, later.id)
    assert _state(services, admin, opp) is Health.WARNING


def test_closed_opportunities_have_no_state(services, admin, opp) -> None:
    with services.db.write(admin) as s:
        s.get(Opportunity, opp.id).status = OpportunityStatus.WON
    assert services.deal_health.states(admin, [opp.id], now=NOW, tz=TEHRAN) == {}


def test_a_whole_board_in_one_query(services, admin) -> None:
    identity = add_identity(services, admin)
    opps = [add_opportunity(services, admin, identity, f"فرصت {i}") for i in range(12)]
    for i, opp in enumerate(opps[:9]):
        _plan(services, admin, opp, at(20 + i, 11))
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(services.db.engine, "before_cursor_execute", listener)
    try:
        states = services.deal_health.states(admin, [o.id for o in opps], now=NOW, tz=TEHRAN)
    finally:
        event.remove(services.db.engine, "before_cursor_execute", listener)
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 1
    assert [states[o.id] for o in opps] == [Health.OVERDUE] * 2 + [Health.TODAY] + [Health.PLANNED] * 6 + [
        Health.WARNING
    ] * 3


def test_urgency_sorts_overdue_then_unplanned_then_today_then_future(services, admin) -> None:
    identity = add_identity(services, admin)
    future = add_opportunity(services, admin, identity, "آینده")
    today = add_opportunity(services, admin, identity, "امروز")
    add_opportunity(services, admin, identity, "بی‌برنامه")  # nothing planned
    late = add_opportunity(services, admin, identity, "عقب")
    _plan(services, admin, future, at(28, 10))
    _plan(services, admin, today, at(22, 18))
    _plan(services, admin, late, at(19, 10))
    stmt = select(Opportunity.title).order_by(urgency_expression(NOW, TEHRAN), Opportunity.title)
    with services.db.read(admin) as s:
        assert list(s.scalars(stmt)) == ["عقب", "بی‌برنامه", "امروز", "آینده"]


def test_an_own_documents_user_gets_states_only_for_visible_opportunities(services, admin) -> None:
    from tests.services.activity_helpers import add_user

    rep = add_user(services, "rep")
    mine = add_opportunity(services, rep, add_identity(services, rep, "مشتری من"))
    other = add_opportunity(services, admin, add_identity(services, admin, "مشتری دیگر"))
    assert services.deal_health.states(rep, [mine.id, other.id], now=NOW, tz=TEHRAN) == {mine.id: Health.WARNING}

"""The opportunity list's deal health and its "urgency" sort (ui.md, seed 002): overdue, none planned, today,
future; closed opportunities last and without a health; the page's health in one grouped query."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from app.models import AccessLevel, Opportunity, OpportunityStatus
from app.services.activities.service import ActivityData
from app.services.opportunities.health import Health
from app.services.opportunities.queries import OpportunityQuery
from tests.services.activity_helpers import NOW, TEHRAN, add_identity, add_opportunity, add_user, at


def _plan(services, actor, opp, due, assignee=None) -> None:
    assignee_id = assignee.user_id if assignee is not None else None
    services.activities.plan(
        actor, ActivityData(None, "تماس پیگیری", due, opportunity_id=opp.id, assignee_id=assignee_id)
    )


def _close(services, admin, opp, status: OpportunityStatus) -> None:
    with services.db.write(admin) as s:
        s.get(Opportunity, opp.id).status = status


def _search(services, actor, descending=False, status=None, offset=0, limit=200):
    query = OpportunityQuery(sort="urgency", descending=descending, status=status)
    return services.opportunities.search(actor, query, offset, limit, now=NOW, tz=TEHRAN)


@pytest.fixture
def pipeline(services, admin):
    """Opportunities in every state, created in an order unrelated to their urgency."""
    identity = add_identity(services, admin)
    opps = {}
    for title in ("آینده دور", "بردیم", "آینده", "امروز", "بی‌برنامه", "عقب دیروز", "باختیم", "عقب پارسال"):
        opps[title] = add_opportunity(services, admin, identity, title)
    _plan(services, admin, opps["آینده دور"], at(30, 10))
    _plan(services, admin, opps["آینده"], at(25, 10))
    _plan(services, admin, opps["امروز"], at(22, 18))
    _plan(services, admin, opps["عقب دیروز"], at(21, 23, 59))
    _plan(services, admin, opps["عقب پارسال"], at(20, 9, month=10))
    _plan(services, admin, opps["بردیم"], at(19, 10))  # planned but closed: no health, still last
    _close(services, admin, opps["بردیم"], OpportunityStatus.WON)
    _close(services, admin, opps["باختیم"], OpportunityStatus.LOST)
    return opps


def test_urgency_puts_overdue_then_unplanned_then_today_then_future_and_closed_last(services, admin, pipeline):
    rows = _search(services, admin)
    assert [r.title for r in rows[:6]] == ["عقب پارسال", "عقب دیروز", "بی‌برنامه", "امروز", "آینده", "آینده دور"]
    assert {r.title for r in rows[6:]} == {"بردیم", "باختیم"}
    assert [r.health for r in rows] == [Health.OVERDUE] * 2 + [
        Health.WARNING,
        Health.TODAY,
        Health.PLANNED,
        Health.PLANNED,
        None,
        None,
    ]


def test_descending_urgency_reverses_the_open_ones_and_keeps_closed_ones_last(services, admin, pipeline):
    rows = _search(services, admin, descending=True)
    assert [r.title for r in rows[:6]] == ["آینده دور", "آینده", "امروز", "بی‌برنامه", "عقب دیروز", "عقب پارسال"]
    assert {r.title for r in rows[6:]} == {"بردیم", "باختیم"}


def test_pages_of_the_urgency_sort_join_up(services, admin, pipeline):
    whole = [r.id for r in _search(services, admin)]
    paged = [r.id for start in range(0, 8, 3) for r in _search(services, admin, offset=start, limit=3)]
    assert paged == whole


def test_open_list_sorted_by_urgency_shows_every_rows_health(services, admin, pipeline):
    rows = _search(services, admin, status=OpportunityStatus.OPEN)
    assert len(rows) == 6 and all(r.health is not None for r in rows)
    # other sorts carry the health too
    by_title = services.opportunities.search(admin, OpportunityQuery(sort="title"), now=NOW, tz=TEHRAN)
    assert {r.title: r.health for r in by_title}["امروز"] is Health.TODAY


def test_a_page_and_its_health_take_two_queries_whatever_its_size(services, admin, pipeline):
    statements: list[str] = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(services.db.engine, "before_cursor_execute", listener)
    try:
        rows = _search(services, admin)
    finally:
        event.remove(services.db.engine, "before_cursor_execute", listener)
    assert len(rows) == 8
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 2


def test_health_and_sort_agree_for_an_own_documents_user(services, admin):
    """A rep's opportunity with a call a colleague must make: overdue in the list, its sort and the board alike;
    the admin's opportunity stays out of the rep's list."""
    rep = add_user(services, "rep", AccessLevel.OWN_DOCUMENTS)
    mine = add_opportunity(services, rep, add_identity(services, rep, "مشتری من"), "بی‌برنامه")
    shared = add_opportunity(services, rep, add_identity(services, rep, "مشتری دوم"), "با تماس همکار")
    hidden = add_opportunity(services, admin, add_identity(services, admin, "مشتری مدیر"), "پنهان")
    _plan(services, admin, hidden, at(18, 10))
    _plan(services, admin, shared, at(19, 10), assignee=admin)  # overdue, assigned to the admin
    rows = _search(services, rep)
    assert [(r.id, r.health) for r in rows] == [(shared.id, Health.OVERDUE), (mine.id, Health.WARNING)]
    board = services.deal_health.states(rep, [mine.id, shared.id], now=NOW, tz=TEHRAN)
    assert board == {mine.id: Health.WARNING, shared.id: Health.OVERDUE}

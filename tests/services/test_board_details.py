"""The board's details (seed 004): folded stages (the admin's default per stage, each user's choice) and
the priority stars set from a card."""

from __future__ import annotations

import pytest

from app.services.core.errors import AccessDenied, ConcurrentChange, ValidationFailed
from app.services.opportunities.queries import OpportunityQuery
from tests.services.sales_helpers import Sales, build


@pytest.fixture
def sales(services) -> Sales:
    return build(services)


def _folded(sales: Sales, actor) -> dict[str, bool]:
    return {c.name: c.folded for c in sales.services.board.load(actor).columns}


def test_the_admins_default_folds_a_stage_for_everyone(sales) -> None:
    sales.new(title="الف", stage_id=sales.stage("مذاکره").id, amount=7_000_000)
    sales.services.pipelines.set_folded_default(sales.admin, sales.stage("مذاکره").id, True)
    assert _folded(sales, sales.rep) == {"جدید": False, "واجد شرایط": False, "ارسال پیشنهاد": False, "مذاکره": True}
    talks = sales.services.board.load(sales.rep).columns[3]
    assert (talks.count, talks.total) == (1, 7_000_000)  # a folded column still counts and sums
    assert [st.folded for st in sales.services.pipelines.pipelines(sales.rep)[0].stages] == [False] * 3 + [True]


def test_a_users_choice_overrides_the_default_for_them_alone(sales) -> None:
    board = sales.services.board
    sales.services.pipelines.set_folded_default(sales.admin, sales.stage("مذاکره").id, True)
    board.set_folded(sales.rep, sales.stage("مذاکره").id, False)
    board.set_folded(sales.rep, sales.stage("جدید").id, True)
    board.set_folded(sales.rep, sales.stage("جدید").id, True)  # twice: still one choice
    assert _folded(sales, sales.rep)["مذاکره"] is False and _folded(sales, sales.rep)["جدید"] is True
    assert _folded(sales, sales.mate)["مذاکره"] is True and _folded(sales, sales.mate)["جدید"] is False


def test_only_an_administrator_sets_the_default(sales) -> None:
    with pytest.raises(AccessDenied):
        sales.services.pipelines.set_folded_default(sales.leader, sales.stage("جدید").id, True)


def test_priority_stars_are_set_from_the_card(sales) -> None:
    opp = sales.new(title="الف")
    card = sales.services.board.set_priority(sales.rep, opp, 3)
    assert card.priority == 3 and card.version == 2
    with pytest.raises(ConcurrentChange):
        sales.services.board.set_priority(sales.rep, opp, 1, version=1)
    with pytest.raises(ValidationFailed):
        sales.services.board.set_priority(sales.rep, opp, 4)
    with pytest.raises(AccessDenied):
        sales.services.board.set_priority(sales.other, opp, 1)
    assert sales.services.opportunity_records.get(sales.rep, opp).priority == 3


def test_priority_filters_the_list_and_the_board_in_sql(sales) -> None:
    for title, stars in (("بی‌ستاره", 0), ("یک", 1), ("دو", 2), ("سه", 3)):
        sales.new(title=title, priority=stars)
    query = OpportunityQuery(min_priority=2)
    assert {r.title for r in sales.services.opportunities.search(sales.rep, query)} == {"دو", "سه"}
    assert sales.services.opportunities.count(sales.rep, query) == 2
    board = sales.services.board.load(sales.rep, OpportunityQuery(min_priority=3))
    assert [c.title for col in board.columns for c in col.cards] == ["سه"]

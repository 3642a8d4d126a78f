"""The board by pages: each column's first page with the whole column's count and sums, and
BoardService.column_page continuing it in the board's order (urgency, amount, title)."""

from __future__ import annotations

import datetime as dt

import pytest

from app.models import Activity, ActivityKind
from app.services.core.actor import SYSTEM
from app.services.opportunities.data import OpportunityData, weighted_amount
from app.services.opportunities.health import Health
from app.services.opportunities.queries import OpportunityQuery
from tests.services.sales_helpers import Sales, build, identity

M = 1_000_000


@pytest.fixture
def sales(services) -> Sales:
    return build(services)


def _many(sales: Sales, count: int, actor=None, identity_id=None, **values) -> list:
    actor, identity_id = actor or sales.rep, identity_id or sales.customer
    items = [
        OpportunityData(identity_id=identity_id, title=f"فرصت {i:02}", amount=(i % 4 + 1) * M, **values)
        for i in range(count)
    ]
    return sales.services.opportunity_records.create_many(actor, items)


def _plan(sales: Sales, opportunity_id, days: int) -> None:
    due = dt.datetime.now(dt.UTC) + dt.timedelta(days=days)
    with sales.services.db.write(SYSTEM) as s:
        s.add(Activity(identity_id=sales.customer, opportunity_id=opportunity_id, kind=ActivityKind.CALL,
                       summary="تماس", due_at=due, assignee_id=sales.rep.user_id))  # fmt: skip


def _all_pages(sales: Sales, actor, column, query=None, page: int = 4) -> list:
    """The column's first page, then column_page after its last card until nothing more follows."""
    cards, has_more = list(column.cards), column.has_more
    while has_more:
        more = sales.services.board.column_page(actor, query, column.stage_id, cards[-1], page)
        assert len(more.cards) <= page
        cards += more.cards
        has_more = more.has_more
    return cards


def test_first_page_holds_page_cards_and_the_header_sums_the_whole_column(sales) -> None:
    ids = _many(sales, 11)
    _many(sales, 2, stage_id=sales.stage("مذاکره").id)
    board = sales.services.board.load(sales.rep, page=4)
    new, _, _, talks = board.columns
    assert len(new.cards) == 4 and new.has_more
    assert len(talks.cards) == 2 and not talks.has_more
    rows = sales.services.opportunities.search(sales.rep, OpportunityQuery(stage_id=new.stage_id), 0, 100)
    assert {r.id for r in rows} == set(ids)
    assert (new.count, new.total) == (11, sum(r.amount for r in rows))
    assert new.weighted_total == weighted_amount(sum(r.amount * r.probability for r in rows), 1)
    assert board.count == 13


def test_pages_follow_the_boards_order_without_gaps_or_duplicates(sales) -> None:
    ids = _many(sales, 10)
    _plan(sales, ids[7], -2)  # overdue: first
    _plan(sales, ids[3], 3)  # planned: last
    whole = sales.services.board.load(sales.rep, page=100).columns[0].cards
    paged = _all_pages(sales, sales.rep, sales.services.board.load(sales.rep, page=4).columns[0])
    assert [c.id for c in paged] == [c.id for c in whole]
    assert paged[0].id == ids[7] and paged[0].health is Health.OVERDUE
    assert paged[-1].id == ids[3] and paged[-1].health is Health.PLANNED
    amounts = [c.amount for c in paged[1:-1]]
    assert amounts == sorted(amounts, reverse=True)


def test_an_insert_between_pages_neither_repeats_nor_hides_a_card(sales) -> None:
    ids = _many(sales, 9)
    column = sales.services.board.load(sales.rep, page=4).columns[0]
    before = sales.new(title="بزرگ‌ترین", amount=90 * M)  # sorts before the loaded page's last card
    after = sales.new(title="کوچک‌ترین", amount=1)  # sorts after it
    paged = _all_pages(sales, sales.rep, column)
    assert len(paged) == len({c.id for c in paged})
    assert {c.id for c in paged} == set(ids) | {after}
    assert before not in {c.id for c in paged} and paged[-1].id == after


def test_column_page_applies_the_filters_and_the_access_of_the_board(sales) -> None:
    _many(sales, 6)
    mate_customer = identity(sales.services, sales.mate, "شرکت بتا")
    theirs = set(_many(sales, 6, actor=sales.mate, identity_id=mate_customer))
    stage = sales.stage("جدید").id
    rep_cards = _all_pages(sales, sales.rep, sales.services.board.load(sales.rep, page=2).columns[0])
    assert len(rep_cards) == 6 and not theirs & {c.id for c in rep_cards}
    assert not theirs & {c.id for c in sales.services.board.column_page(sales.rep, None, stage, None, 50).cards}
    leader_cards = _all_pages(sales, sales.leader, sales.services.board.load(sales.leader, page=5).columns[0])
    assert len(leader_cards) == 12 and theirs < {c.id for c in leader_cards}
    query = OpportunityQuery(text="بتا")
    found = sales.services.board.load(sales.leader, query, page=2).columns[0]
    assert found.count == 6 and {c.id for c in _all_pages(sales, sales.leader, found, query, page=3)} == theirs


def test_a_reps_card_on_a_colleagues_customer_shows_with_its_customer(sales) -> None:
    """The board reads a restricted user's cards without joining the customers: the policy's customers rule
    shows them the customer of every opportunity they see, so the card and its header count it."""
    mate_customer = identity(sales.services, sales.mate, "شرکت گاما")
    mine = set(_many(sales, 3, actor=sales.admin, identity_id=mate_customer, owner_id=sales.rep.user_id))
    column = sales.services.board.load(sales.rep, page=2).columns[0]
    cards = _all_pages(sales, sales.rep, column, page=2)
    assert mine <= {c.id for c in cards} and column.count == len(cards)
    assert {c.identity_name for c in cards if c.id in mine} == {"شرکت گاما"}

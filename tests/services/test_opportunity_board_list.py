"""The board's columns and totals, and the filters, groups and favourites of both views."""

from __future__ import annotations

import datetime as dt

import pytest

from app.models import Activity, ActivityKind, OpportunityStatus
from app.persian import this_month
from app.services.core.actor import SYSTEM
from app.services.opportunities.data import LossData, WinData
from app.services.opportunities.health import Health
from app.services.opportunities.queries import OpportunityQuery
from tests.services.sales_helpers import Sales, build, identity


@pytest.fixture
def sales(services) -> Sales:
    return build(services)


def _titles(rows) -> set[str]:
    return {r.title for r in rows}


def test_board_has_one_column_per_stage_with_counts_and_totals(sales) -> None:
    sales.new(title="الف", amount=10_000_000)
    sales.new(title="ب", amount=30_000_000, stage_id=sales.stage("مذاکره").id)
    sales.new(title="پ", amount=20_000_000, stage_id=sales.stage("مذاکره").id, tags=("عمده", "تهران"))
    won = sales.new(title="برده", amount=99)
    sales.services.pipeline_moves.win(sales.rep, won, WinData())
    board = sales.services.board.load(sales.rep)
    assert [c.name for c in board.columns] == ["جدید", "واجد شرایط", "ارسال پیشنهاد", "مذاکره"]
    new, _, _, talks = board.columns
    assert (new.count, new.total, new.weighted_total) == (1, 10_000_000, 1_000_000)
    assert (talks.count, talks.total, talks.weighted_total) == (2, 50_000_000, 40_000_000)
    assert [c.title for c in talks.cards] == ["ب", "پ"]  # same health: by amount, largest first
    card = talks.cards[1]
    assert card.tags == ("تهران", "عمده") and card.owner_initials == "r.o" and card.identity_name == "شرکت آلفا"
    assert card.health is Health.WARNING  # nothing planned
    assert board.count == 3  # the won one left the board


def test_cards_sort_by_urgency_then_amount(sales) -> None:
    calm = sales.new(title="آرام", amount=90_000_000)
    late = sales.new(title="عقب", amount=1_000_000)
    with sales.services.db.write(SYSTEM) as s:
        for opp, days in ((calm, 5), (late, -3)):
            due = dt.datetime.now(dt.UTC) + dt.timedelta(days=days)
            s.add(Activity(identity_id=sales.customer, opportunity_id=opp, kind=ActivityKind.CALL, summary="تماس",
                           due_at=due, assignee_id=sales.rep.user_id))  # fmt: skip
    sales.new(title="بی‌برنامه", amount=5_000_000)
    cards = sales.services.board.load(sales.rep).columns[0].cards
    assert [c.title for c in cards] == ["عقب", "بی‌برنامه", "آرام"]
    assert [c.health for c in cards] == [Health.OVERDUE, Health.WARNING, Health.PLANNED]


def test_scope_mine_team_and_all_stay_within_access(sales) -> None:
    sales.new(title="مال من")
    mate_customer = identity(sales.services, sales.mate, "شرکت بتا")
    sales.new(actor=sales.mate, identity_id=mate_customer, title="مال هم‌تیمی")
    other_customer = identity(sales.services, sales.other, "شرکت گاما")
    sales.new(actor=sales.other, identity_id=other_customer, title="مال دیگری")
    search = sales.services.opportunities.search
    assert _titles(search(sales.leader, OpportunityQuery(scope="all"))) == {"مال من", "مال هم‌تیمی"}
    assert _titles(search(sales.leader, OpportunityQuery(scope="mine"))) == set()
    assert _titles(search(sales.rep, OpportunityQuery(scope="team"))) == {"مال من"}  # the policy still applies
    assert _titles(search(sales.admin, OpportunityQuery(scope="all"))) == {"مال من", "مال هم‌تیمی", "مال دیگری"}
    admin_team = search(sales.admin, OpportunityQuery(scope="team"))
    assert _titles(admin_team) == set()  # the admin is in no team and has none of their own
    board = sales.services.board.load(sales.leader, OpportunityQuery(scope="team"))
    assert {c.title for col in board.columns for c in col.cards} == {"مال من", "مال هم‌تیمی"}


def test_filters_by_stage_owner_tag_source_text_and_status(sales) -> None:
    source = sales.services.sales_lists.save_item(sales.admin, "sources", "نمایشگاه")
    sales.new(title="پرینتر برای بانک", tags=("بانک",), source_id=source)
    sales.new(title="لپ‌تاپ", stage_id=sales.stage("مذاکره").id)
    lost = sales.new(title="کپی")
    sales.services.pipeline_moves.lose(sales.rep, lost, LossData(sales.reason("loss_reasons")))
    search, admin = sales.services.opportunities.search, sales.admin
    assert _titles(search(admin, OpportunityQuery(stage_id=sales.stage("مذاکره").id))) == {"لپ‌تاپ"}
    assert _titles(search(admin, OpportunityQuery(owner_id=sales.rep.user_id))) == {"پرینتر برای بانک", "لپ‌تاپ"}
    assert _titles(search(admin, OpportunityQuery(source_id=source))) == {"پرینتر برای بانک"}
    assert _titles(search(admin, OpportunityQuery(text="پرينتر"))) == {"پرینتر برای بانک"}  # Arabic ي
    assert _titles(search(admin, OpportunityQuery(text="آلفا"))) == {"پرینتر برای بانک", "لپ‌تاپ"}
    assert _titles(search(admin, OpportunityQuery(status=OpportunityStatus.LOST))) == {"کپی"}
    assert _titles(search(admin, OpportunityQuery(status=None))) == {"پرینتر برای بانک", "لپ‌تاپ", "کپی"}
    lost_row = search(admin, OpportunityQuery(status=OpportunityStatus.LOST))[0]
    assert lost_row.closed_on == dt.date.today() and lost_row.close_reason


def test_tag_filter(sales) -> None:
    sales.new(title="با برچسب", tags=("وی‌آی‌پی",))
    sales.new(title="بی برچسب")
    with sales.services.db.read(SYSTEM) as s:
        from sqlalchemy import select

        from app.models import Tag

        tag_id = s.scalar(select(Tag.id).where(Tag.name == "وی‌آی‌پی"))
    rows = sales.services.opportunities.search(sales.admin, OpportunityQuery(tag_id=tag_id))
    assert _titles(rows) == {"با برچسب"}


def test_expected_close_periods_in_the_jalali_calendar(sales) -> None:
    today = dt.date.today()
    start, end = this_month(today)
    sales.new(title="این ماه", expected_close=end)
    sales.new(title="ماه بعد", expected_close=end + dt.timedelta(days=1))
    sales.new(title="گذشته", expected_close=today - dt.timedelta(days=1))
    sales.new(title="بی‌تاریخ")
    q = sales.services.opportunities.search
    this = _titles(q(sales.admin, OpportunityQuery(period="this_month")))
    assert "این ماه" in this and "ماه بعد" not in this
    assert _titles(q(sales.admin, OpportunityQuery(period="next_month"))) == {"ماه بعد"}
    assert _titles(q(sales.admin, OpportunityQuery(period="overdue"))) == {"گذشته"}
    assert "بی‌تاریخ" not in _titles(q(sales.admin, OpportunityQuery(period="fiscal_year")))


def test_groups_with_counts_sums_and_their_rows(sales) -> None:
    sales.new(title="الف", amount=100, stage_id=sales.stage("مذاکره").id)
    sales.new(title="ب", amount=300, stage_id=sales.stage("مذاکره").id)
    sales.new(title="پ", amount=50)
    service = sales.services.opportunities
    groups = service.groups(sales.admin, OpportunityQuery(), "stage")
    assert [(g.label, g.count, g.amount, g.weighted_amount) for g in groups] == [
        ("جدید", 1, 50, 5),
        ("مذاکره", 2, 400, 320),
    ]
    rows = service.search(sales.admin, OpportunityQuery(group=("stage", groups[1].key), sort="amount"))
    assert [r.title for r in rows] == ["الف", "ب"]
    months = service.groups(sales.admin, OpportunityQuery(), "month")
    assert [(g.label, g.count) for g in months] == [("بدون تاریخ", 3)]
    owners = service.groups(sales.admin, OpportunityQuery(), "owner")
    assert [(g.label, g.count) for g in owners] == [("rep one", 3)]
    for key in ("source", "status", "priority"):
        assert sum(g.count for g in service.groups(sales.admin, OpportunityQuery(), key)) == 3


def test_favourites_of_the_opportunities_views_are_personal(sales) -> None:
    saved = sales.services.saved_searches
    saved.save(sales.rep, "بزرگ‌های من", {"scope": "mine", "text": "پرینتر"}, entity="opportunities")
    saved.save(sales.rep, "بزرگ‌های من", {"scope": "team"}, entity="opportunities")  # same name: replaced
    rows = saved.list(sales.rep, "opportunities")
    assert [(f.name, f.definition) for f in rows] == [("بزرگ‌های من", {"scope": "team"})]
    assert saved.list(sales.mate, "opportunities") == [] and saved.list(sales.rep, "identities") == []

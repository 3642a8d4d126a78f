"""Recurring revenue (seed 004): plans, an opportunity's recurring pair, MRR on the board, the list and the
pivot, with figures worked out here.

The rep's customer has, all created today (MRR = recurring ÷ months, half up to a whole Rial, per opportunity):
  «پشتیبانی»  first stage,  1,000,000 monthly (1)              → 1,000,000
  «میزبانی»   first stage,  1,000,000 quarterly (3)            →   333,333   (333,333.33…)
  «قرارداد»   second stage, 10,000,000 yearly (12)             →   833,333   (833,333.33…)
  «دوره‌ای»   second stage, 1,000,001 on the admin's «دوماهه» (2) → 500,001  (500,000.5 rounds up)
  «یک‌باره»   first stage,  one-off 20,000,000, no recurring    →         0
First stage 1,333,333, second 1,333,334, all 2,666,667. The mate's «همکار» (3,000,000 monthly) is not the rep's.
"""

from __future__ import annotations

import pytest

from app.services.core.errors import AccessDenied, ValidationFailed
from app.services.core.labels import field_label
from app.services.opportunities.queries import OpportunityQuery
from app.services.opportunities.recurring import monthly
from app.services.reports.periods import PeriodKind, ReportFilter
from app.services.reports.pivot import PivotService
from tests.services.sales_helpers import build, identity

M = 1_000_000


def _plan(sales, name: str):
    return next(p.id for p in sales.services.recurring_plans.plans(sales.admin) if p.name == name)


@pytest.fixture
def sales(services):
    sales = build(services)
    sales.services.recurring_plans.save_plan(sales.admin, "دوماهه", 2)
    first, second = sales.stages[0].id, sales.stages[1].id
    sales.ids = {
        "support": sales.new(
            title="پشتیبانی", stage_id=first, recurring_amount=M, recurring_plan_id=_plan(sales, "ماهانه")
        ),
        "hosting": sales.new(
            title="میزبانی", stage_id=first, recurring_amount=M, recurring_plan_id=_plan(sales, "فصلی")
        ),
        "contract": sales.new(
            title="قرارداد", stage_id=second, recurring_amount=10 * M, recurring_plan_id=_plan(sales, "سالانه")
        ),
        "periodic": sales.new(
            title="دوره‌ای", stage_id=second, recurring_amount=M + 1, recurring_plan_id=_plan(sales, "دوماهه")
        ),
        "once": sales.new(title="یک‌باره", stage_id=first, amount=20 * M),
    }
    mates = identity(services, sales.mate, "مشتری همکار")
    sales.new(
        sales.mate, identity_id=mates, title="همکار", recurring_amount=3 * M, recurring_plan_id=_plan(sales, "ماهانه")
    )
    return sales


def test_mrr_is_rounded_half_up_to_a_whole_rial() -> None:
    assert monthly(M, 3) == 333_333 and monthly(M + 1, 2) == 500_001 and monthly(None, None) == 0


def test_plans_are_the_admins(sales) -> None:
    plans = sales.services.recurring_plans.plans(sales.rep)
    assert [(p.name, p.months) for p in plans] == [("ماهانه", 1), ("دوماهه", 2), ("فصلی", 3), ("سالانه", 12)]
    with pytest.raises(AccessDenied):
        sales.services.recurring_plans.save_plan(sales.rep, "هفتگی", 1)
    with pytest.raises(ValidationFailed) as refused:
        sales.services.recurring_plans.save_plan(sales.admin, "بی‌دوره", 0)
    assert set(refused.value.errors) == {"months"}
    with pytest.raises(ValidationFailed):
        sales.services.recurring_plans.save_plan(sales.admin, "فصلی", 4)
    yearly = _plan(sales, "سالانه")
    sales.services.recurring_plans.save_plan(sales.admin, "سالانه", 12, yearly, is_active=False)
    assert "سالانه" not in [p.name for p in sales.services.recurring_plans.plans(sales.rep)]
    # Deactivated, the plan still gives its opportunities their MRR.
    assert sales.services.opportunity_records.get(sales.rep, sales.ids["contract"]).monthly_recurring == 833_333


def test_the_recurring_pair_is_checked(sales) -> None:
    monthly_plan = _plan(sales, "ماهانه")
    for values, field in (
        ({"recurring_amount": M}, "recurring_plan_id"),
        ({"recurring_plan_id": monthly_plan}, "recurring_amount"),
        ({"recurring_amount": -1, "recurring_plan_id": monthly_plan}, "recurring_amount"),
    ):
        with pytest.raises(ValidationFailed) as refused:
            sales.new(title="نادرست", **values)
        assert field in refused.value.errors
    detail = sales.services.opportunity_records.get(sales.rep, sales.ids["hosting"])
    assert (detail.recurring_amount, detail.monthly_recurring, detail.amount) == (M, 333_333, 0)
    assert detail.to_data().recurring_plan_id == _plan(sales, "فصلی")
    assert field_label("recurring_plan_id", "opportunities") == "طرح تکرارشونده"
    assert field_label("recurring_amount", "opportunities") == "مبلغ تکرارشونده"


def test_mrr_in_the_board_headers(sales) -> None:
    board = sales.services.board.load(sales.rep)
    by_name = {c.name: c for c in board.columns}
    first, second = sales.stages[0].name, sales.stages[1].name
    assert (by_name[first].count, by_name[first].monthly_recurring) == (3, 1_333_333)
    assert (by_name[second].count, by_name[second].monthly_recurring) == (2, 1_333_334)
    admin_board = sales.services.board.load(sales.admin)
    assert sum(c.monthly_recurring for c in admin_board.columns) == 2_666_667 + 3 * M


def test_mrr_in_the_list_and_its_group_totals(sales) -> None:
    opportunities = sales.services.opportunities
    rows = opportunities.search(sales.rep, OpportunityQuery(sort="monthly_recurring", descending=True))
    assert [(r.title, r.monthly_recurring) for r in rows] == [
        ("پشتیبانی", M), ("قرارداد", 833_333), ("دوره‌ای", 500_001), ("میزبانی", 333_333), ("یک‌باره", 0)
    ]  # fmt: skip
    groups = {g.label: g.monthly_recurring for g in opportunities.groups(sales.rep, OpportunityQuery(), "stage")}
    assert groups == {sales.stages[0].name: 1_333_333, sales.stages[1].name: 1_333_334}
    by_month = opportunities.groups(sales.rep, OpportunityQuery(), "month")
    assert [(g.label, g.monthly_recurring) for g in by_month] == [("بدون تاریخ", 2_666_667)]


def test_mrr_measure_in_the_pivot(sales) -> None:
    pivots = PivotService(sales.services.db)
    period = ReportFilter.of(PeriodKind.THIS_MONTH)
    pivot = pivots.pivot(sales.admin, period, ["rep"], [], "mrr_sum")
    assert pivot.grand_total == 2_666_667 + 3 * M
    assert [(pivot.row_label(k), pivot.row_totals[k]) for k in pivot.row_keys] == [
        ("rep one", 2_666_667), ("rep two", 3 * M)
    ]  # fmt: skip
    assert pivots.pivot(sales.rep, period, [], [], "mrr_sum").grand_total == 2_666_667


def test_a_merge_fills_the_recurring_pair_and_undo_empties_it(sales) -> None:
    merges = sales.services.opportunity_merge
    result = merges.merge(sales.rep, sales.ids["once"], sales.ids["hosting"])
    survivor = sales.services.opportunity_records.get(sales.rep, sales.ids["once"])
    assert (survivor.amount, survivor.recurring_amount, survivor.monthly_recurring) == (20 * M, M, 333_333)
    merges.undo(sales.rep, result.merge_id)
    survivor = sales.services.opportunity_records.get(sales.rep, sales.ids["once"])
    assert (survivor.recurring_amount, survivor.recurring_plan_id, survivor.monthly_recurring) == (None, None, 0)

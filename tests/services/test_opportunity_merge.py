"""Merging two opportunities moves products, activities and documents; undo puts everything back."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from app.models import Activity, ActivityKind, OpportunityLine, Quote
from app.services.core.actor import SYSTEM
from app.services.core.errors import AccessDenied, ServiceError
from app.services.opportunities.data import LineData
from app.services.opportunities.queries import OpportunityQuery
from tests.services.sales_helpers import Sales, build


@pytest.fixture
def sales(services) -> Sales:
    return build(services)


def _owned_rows(sales: Sales, opp_id) -> dict:
    with sales.services.db.read(SYSTEM) as s:
        return {
            "lines": s.scalars(select(OpportunityLine.id).where(OpportunityLine.opportunity_id == opp_id)).all(),
            "activities": s.scalars(select(Activity.id).where(Activity.opportunity_id == opp_id)).all(),
            "quotes": s.scalars(select(Quote.id).where(Quote.opportunity_id == opp_id)).all(),
        }


def test_merge_moves_everything_to_the_survivor_and_undo_restores_it(sales) -> None:
    printer, cable = sales.products["P-1"], sales.products["C-2"]
    survivor = sales.new(title="اصلی", lines=(LineData(printer, 1, unit_price=1_000),), tags=("الف",))
    merged = sales.new(
        title="تکراری",
        lines=(LineData(cable, 2, unit_price=500),),
        tags=("ب",),
        expected_close=dt.date(2026, 5, 1),
        description="از نمایشگاه",
    )
    with sales.services.db.write(SYSTEM) as s:
        s.add(Activity(identity_id=sales.customer, opportunity_id=merged, kind=ActivityKind.CALL, summary="تماس",
                       due_at=dt.datetime.now(dt.UTC), assignee_id=sales.rep.user_id))  # fmt: skip
        s.add(Quote(identity_id=sales.customer, opportunity_id=merged, owner_id=sales.rep.user_id,
                    issue_date=dt.date.today()))  # fmt: skip
    before = sales.services.opportunity_records.get(sales.rep, survivor)
    moved_rows = _owned_rows(sales, merged)

    result = sales.services.opportunity_merge.merge(sales.rep, survivor, merged)
    assert result.moved == 3
    after = sales.services.opportunity_records.get(sales.rep, survivor)
    assert [line.total for line in after.lines] == [1_000, 1_000] and after.amount == 2_000
    assert after.tags == ("الف", "ب") and after.expected_close == dt.date(2026, 5, 1)
    assert after.description == "از نمایشگاه"
    assert _owned_rows(sales, merged) == {"lines": [], "activities": [], "quotes": []}
    titles = {r.title for r in sales.services.opportunities.search(sales.rep, OpportunityQuery())}
    assert titles == {"اصلی"}  # the merged one leaves the lists and the board
    assert [m.merge_id for m in sales.services.opportunity_merge.merges(sales.rep, survivor)] == [result.merge_id]

    sales.services.opportunity_merge.undo(sales.rep, result.merge_id)
    restored = sales.services.opportunity_records.get(sales.rep, survivor)
    assert (restored.amount, restored.tags, restored.expected_close, restored.description) == (
        before.amount,
        before.tags,
        before.expected_close,
        before.description,
    )
    assert len(restored.lines) == 1
    assert {k: set(v) for k, v in _owned_rows(sales, merged).items()} == {k: set(v) for k, v in moved_rows.items()}
    titles = {r.title for r in sales.services.opportunities.search(sales.rep, OpportunityQuery())}
    assert titles == {"اصلی", "تکراری"}
    with pytest.raises(ServiceError):
        sales.services.opportunity_merge.undo(sales.rep, result.merge_id)
    assert sales.services.opportunity_merge.merges(sales.rep, survivor) == []


def test_merge_refuses_itself_twice_merged_and_others_records(sales) -> None:
    merge = sales.services.opportunity_merge
    a, b, c = sales.new(title="a"), sales.new(title="b"), sales.new(title="c")
    with pytest.raises(ServiceError):
        merge.merge(sales.rep, a, a)
    merge.merge(sales.rep, a, b)
    with pytest.raises(ServiceError):
        merge.merge(sales.rep, c, b)
    with pytest.raises(AccessDenied):
        merge.merge(sales.other, a, c)

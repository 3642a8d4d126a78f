"""Stage moves, won / lost with reasons, restore; and the transitions that are refused."""

from __future__ import annotations

import datetime as dt

import pytest

from app.models import Opportunity, OpportunityStatus, utcnow
from app.services.core.errors import AccessDenied, ConcurrentChange, ServiceError, ValidationFailed
from app.services.opportunities.data import LossData, WinData
from tests.services.sales_helpers import Sales, build


@pytest.fixture
def sales(services) -> Sales:
    return build(services)


def test_moving_to_another_stage_takes_its_probability(sales) -> None:
    opp_id = sales.new(amount=10_000_000)
    card = sales.services.pipeline_moves.move(sales.rep, opp_id, sales.stage("ارسال پیشنهاد").id)
    assert card.stage_id == sales.stage("ارسال پیشنهاد").id
    assert card.probability == 60 and card.weighted_amount == 6_000_000
    history = sales.services.history.record_history(sales.rep, "opportunities", opp_id)
    assert any(c.field == "stage_id" for row in history for c in row.changes)


def test_a_stale_card_cannot_be_moved(sales) -> None:
    opp_id = sales.new()
    card = sales.services.pipeline_moves.move(sales.rep, opp_id, sales.stage("مذاکره").id)
    with pytest.raises(ConcurrentChange):
        sales.services.pipeline_moves.move(sales.rep, opp_id, sales.stage("جدید").id, version=card.version - 1)


def test_won_sets_the_date_final_amount_and_reason(sales) -> None:
    opp_id = sales.new(amount=10_000_000)
    reason = sales.reason("win_reasons", "تحویل سریع")
    sales.services.pipeline_moves.win(sales.rep, opp_id, WinData(final_amount=9_500_000, reason_id=reason))
    opp = sales.services.opportunity_records.get(sales.rep, opp_id)
    assert opp.status is OpportunityStatus.WON and opp.closed_on == dt.date.today()
    assert opp.won_amount == 9_500_000 and opp.close_reason == "تحویل سریع" and opp.days_to_close == 0
    with pytest.raises(ServiceError):  # closed: no more moves, no second result
        sales.services.pipeline_moves.move(sales.rep, opp_id, sales.stage("مذاکره").id)
    with pytest.raises(ServiceError):
        sales.services.pipeline_moves.lose(sales.rep, opp_id, LossData(sales.reason("loss_reasons")))
    with pytest.raises(ServiceError):  # only lost ones are restored
        sales.services.pipeline_moves.restore(sales.rep, opp_id, sales.stage("جدید").id)


def test_won_without_a_final_amount_keeps_the_estimate(sales) -> None:
    opp_id = sales.new(amount=4_000_000)
    sales.services.pipeline_moves.win(sales.rep, opp_id, WinData())
    assert sales.services.opportunity_records.get(sales.rep, opp_id).won_amount == 4_000_000


def test_lost_needs_a_loss_reason_from_the_list(sales) -> None:
    moves, opp_id = sales.services.pipeline_moves, sales.new()
    with pytest.raises(ValidationFailed) as caught:
        moves.lose(sales.rep, opp_id, LossData(reason_id=None))
    assert caught.value.errors == {"reason_id": "دلیل شکست را انتخاب کنید."}
    with pytest.raises(ValidationFailed):  # a win reason is not a loss reason
        moves.lose(sales.rep, opp_id, LossData(reason_id=sales.reason("win_reasons")))
    competitor = sales.services.sales_lists.save_item(sales.admin, "competitors", "شرکت رقیب")
    moves.lose(sales.rep, opp_id, LossData(sales.reason("loss_reasons", "قیمت بالا"), competitor, "  گران بود "))
    opp = sales.services.opportunity_records.get(sales.rep, opp_id)
    assert opp.status is OpportunityStatus.LOST and opp.closed_on == dt.date.today()
    assert (opp.close_reason, opp.lost_to_id, opp.close_note) == ("قیمت بالا", competitor, "گران بود")


def test_a_lost_opportunity_is_restored_to_a_chosen_stage(sales) -> None:
    moves, opp_id = sales.services.pipeline_moves, sales.new()
    moves.lose(sales.rep, opp_id, LossData(sales.reason("loss_reasons")))
    card = moves.restore(sales.rep, opp_id, sales.stage("مذاکره").id)
    opp = sales.services.opportunity_records.get(sales.rep, opp_id)
    assert opp.status is OpportunityStatus.OPEN and opp.stage_name == "مذاکره" and card.probability == 80
    assert opp.closed_on is None and opp.close_reason is None and opp.lost_to_id is None


def test_the_stage_of_a_closed_opportunity_cannot_change_through_the_form(sales) -> None:
    from tests.services.test_opportunity_records import _data

    opp_id = sales.new()
    sales.services.pipeline_moves.lose(sales.rep, opp_id, LossData(sales.reason("loss_reasons")))
    data = _data(sales, opp_id)
    version = sales.services.opportunity_records.get(sales.rep, opp_id).version
    moved = type(data)(**{**data.__dict__, "stage_id": sales.stage("مذاکره").id})
    with pytest.raises(ValidationFailed) as caught:
        sales.services.opportunity_records.update(sales.rep, opp_id, moved, version)
    assert "stage_id" in caught.value.errors


def test_another_reps_opportunity_cannot_be_moved_or_closed(sales) -> None:
    moves, opp_id = sales.services.pipeline_moves, sales.new()
    for call in (
        lambda: moves.move(sales.other, opp_id, sales.stage("مذاکره").id),
        lambda: moves.win(sales.other, opp_id, WinData()),
        lambda: moves.lose(sales.other, opp_id, LossData(sales.reason("loss_reasons"))),
    ):
        with pytest.raises(AccessDenied):
            call()
    # the team leader may
    assert moves.move(sales.leader, opp_id, sales.stage("مذاکره").id).probability == 80


def test_the_result_date_is_the_day_it_happened_never_after_today_nor_before_the_opportunity(sales) -> None:
    moves, opp_id = sales.services.pipeline_moves, sales.new()
    with sales.services.db.write(sales.admin) as s:  # the opportunity was opened three weeks ago
        s.get(Opportunity, opp_id).created_at = utcnow() - dt.timedelta(days=21)
    today, loss = dt.date.today(), sales.reason("loss_reasons")
    for day, refusal in (
        (today + dt.timedelta(days=1), "تاریخ بستن نمی‌تواند بعد از امروز باشد."),
        (today - dt.timedelta(days=30), "تاریخ بستن نمی‌تواند پیش از ایجاد فرصت باشد."),
    ):
        with pytest.raises(ValidationFailed) as caught:
            moves.lose(sales.rep, opp_id, LossData(loss, closed_on=day))
        assert caught.value.errors == {"closed_on": refusal}
    moves.lose(sales.rep, opp_id, LossData(loss, closed_on=today - dt.timedelta(days=5)))
    opp = sales.services.opportunity_records.get(sales.rep, opp_id)
    assert opp.closed_on == today - dt.timedelta(days=5) and opp.days_to_close in (16, 17)  # the UTC day it was opened
    won_id = sales.new()
    with pytest.raises(ValidationFailed):
        moves.win(sales.rep, won_id, WinData(closed_on=today + dt.timedelta(days=1)))
    moves.win(sales.rep, won_id, WinData(closed_on=today))
    assert sales.services.opportunity_records.get(sales.rep, won_id).closed_on == today

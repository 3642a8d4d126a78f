"""Batch actions on opportunities: move, assign, tag and close as lost, all or nothing in one transaction,
each record checked as the single path checks it, refusals naming each refused record."""

from __future__ import annotations

import datetime as dt

import pytest

from app.models import OpportunityStatus
from app.services.core.changes import collecting
from app.services.core.errors import BatchRefused, NotFound, ValidationFailed
from app.services.opportunities.data import LossData, WinData
from tests.services.sales_helpers import Sales, build, identity


@pytest.fixture
def sales(services) -> Sales:
    return build(services)


def _stages(sales: Sales, ids) -> list[str]:
    return [sales.services.opportunity_records.get(sales.admin, i).stage_name for i in ids]


def _tag(sales: Sales, name: str):
    sales.new(title="برچسب‌دار", tags=(name,))
    return next(t.id for t in sales.services.tags.tags(sales.admin) if t.name == name)


def test_a_batch_moves_every_opportunity_in_one_commit_with_history_and_changes(sales) -> None:
    ids = [sales.new(title=f"فروش {n}", amount=1_000_000) for n in range(3)]
    target = sales.stage("ارسال پیشنهاد")
    with collecting() as builder:
        moved = sales.services.opportunity_batch.move(sales.rep, ids, target.id)
    assert moved == 3
    assert _stages(sales, ids) == [target.name] * 3
    assert {sales.services.opportunity_records.get(sales.rep, i).probability for i in ids} == {60}
    assert builder.build().ids("opportunities") == frozenset(ids)  # the views hear every moved card
    for opp_id in ids:
        history = sales.services.history.record_history(sales.rep, "opportunities", opp_id)
        assert any(c.field == "stage_id" for row in history for c in row.changes)


def test_one_closed_opportunity_refuses_the_whole_batch_and_is_named(sales) -> None:
    first, closed, last = (sales.new(title=t) for t in ("فروش یک", "فروش برده", "فروش سه"))
    sales.services.pipeline_moves.win(sales.rep, closed, WinData())
    before = _stages(sales, [first, last])
    with pytest.raises(BatchRefused) as caught:
        sales.services.opportunity_batch.move(sales.rep, [first, closed, last], sales.stage("مذاکره").id)
    assert [(r.record_id, r.label) for r in caught.value.refusals] == [(closed, "فروش برده")]
    assert "هیچ تغییری ذخیره نشد" in caught.value.message
    assert "«فروش برده»: این فرصت بسته شده است" in caught.value.message
    assert _stages(sales, [first, last]) == before


def test_a_rep_cannot_batch_a_colleagues_opportunity_and_its_title_stays_hidden(sales) -> None:
    mine = sales.new(title="فروش من")
    customer = identity(sales.services, sales.other, "شرکت بتا")
    theirs = sales.new(actor=sales.other, identity_id=customer, title="فروش دیگری")
    with pytest.raises(BatchRefused) as caught:
        sales.services.opportunity_batch.move(sales.rep, [mine, theirs], sales.stage("مذاکره").id)
    assert [(r.record_id, r.label) for r in caught.value.refusals] == [(theirs, None)]
    assert "۱ مورد: شما اجازه دسترسی به این رکورد را ندارید." in caught.value.message
    assert "فروش دیگری" not in caught.value.message
    assert _stages(sales, [mine]) == ["جدید"]


def test_a_leader_moves_the_teams_opportunities(sales) -> None:
    ids = [sales.new(title="فروش تیم"), sales.new(actor=sales.admin, title="فروش هم‌تیمی", owner_id=sales.mate.user_id)]
    assert sales.services.opportunity_batch.move(sales.leader, ids, sales.stage("مذاکره").id) == 2


def test_an_unknown_stage_or_opportunity_is_refused(sales) -> None:
    opp_id = sales.new()
    with pytest.raises(NotFound):
        sales.services.opportunity_batch.move(sales.rep, [opp_id], sales.products["P-1"])  # not a stage
    sales.services.opportunity_records.soft_delete(sales.rep, opp_id)
    with pytest.raises(BatchRefused) as caught:
        sales.services.opportunity_batch.move(sales.rep, [opp_id], sales.stage("مذاکره").id)
    assert caught.value.refusals[0].reason == "فرصت پیدا نشد یا حذف شده است."


def test_assigning_sets_the_owner_and_the_hand_over_day(sales) -> None:
    ids = [sales.new(title="فروش الف"), sales.new(actor=sales.admin, title="فروش ب", owner_id=sales.mate.user_id)]
    assert sales.services.opportunity_batch.assign(sales.admin, ids, sales.mate.user_id) == 1
    details = [sales.services.opportunity_records.get(sales.admin, i) for i in ids]
    assert {d.owner_id for d in details} == {sales.mate.user_id}
    assert details[0].assigned_at is not None


def test_a_rep_may_not_give_opportunities_away_but_a_leader_may_hand_them_within_the_team(sales) -> None:
    ids = [sales.new(title="فروش الف"), sales.new(title="فروش ب")]
    with pytest.raises(BatchRefused) as caught:
        sales.services.opportunity_batch.assign(sales.rep, ids, sales.other.user_id)
    assert {r.label for r in caught.value.refusals} == {"فروش الف", "فروش ب"}
    assert {sales.services.opportunity_records.get(sales.admin, i).owner_id for i in ids} == {sales.rep.user_id}
    assert sales.services.opportunity_batch.assign(sales.leader, ids, sales.mate.user_id) == 2
    with pytest.raises(ValidationFailed):
        sales.services.opportunity_batch.assign(sales.admin, ids, sales.products["P-1"])  # not a user


def test_adding_a_tag_links_it_once_and_moves_the_version(sales) -> None:
    tag = _tag(sales, "نمایشگاه")
    tagged = sales.new(title="فروش برچسب‌دار", tags=("نمایشگاه",))
    plain = sales.new(title="فروش ساده")
    version = sales.services.opportunity_records.get(sales.rep, plain).version
    assert sales.services.opportunity_batch.add_tag(sales.rep, [tagged, plain, plain], tag) == 1
    assert sales.services.opportunity_records.get(sales.rep, tagged).tags == ("نمایشگاه",)
    after = sales.services.opportunity_records.get(sales.rep, plain)
    assert after.tags == ("نمایشگاه",) and after.version > version


def test_losing_needs_a_reason_and_closes_them_all(sales) -> None:
    ids = [sales.new(title="فروش یک"), sales.new(title="فروش دو")]
    batch = sales.services.opportunity_batch
    with pytest.raises(ValidationFailed):
        batch.lose(sales.rep, ids, LossData(reason_id=None))
    with pytest.raises(ValidationFailed):  # a win reason is not a loss reason
        batch.lose(sales.rep, ids, LossData(sales.reason("win_reasons")))
    reason = sales.reason("loss_reasons")
    assert batch.lose(sales.rep, ids, LossData(reason, note="بودجه حذف شد")) == 2
    for opp_id in ids:
        opp = sales.services.opportunity_records.get(sales.rep, opp_id)
        assert opp.status is OpportunityStatus.LOST and opp.closed_on == dt.date.today()
        assert opp.close_reason_id == reason and opp.close_note == "بودجه حذف شد"


def test_a_day_before_one_was_created_refuses_the_loss_of_all(sales) -> None:
    ids = [sales.new(title="فروش یک"), sales.new(title="فروش دو")]
    day = dt.date.today() - dt.timedelta(days=30)
    with pytest.raises(BatchRefused) as caught:
        sales.services.opportunity_batch.lose(sales.rep, ids, LossData(sales.reason("loss_reasons"), closed_on=day))
    assert {r.label for r in caught.value.refusals} == {"فروش یک", "فروش دو"}
    assert "تاریخ بستن نمی‌تواند پیش از ایجاد فرصت باشد." in caught.value.message
    statuses = {sales.services.opportunity_records.get(sales.rep, i).status for i in ids}
    assert statuses == {OpportunityStatus.OPEN}


def test_a_long_refusal_names_the_first_twenty_and_counts_the_rest(sales) -> None:
    ids = [sales.new(title=f"فروش {n}") for n in range(23)]
    sales.services.opportunity_batch.lose(sales.rep, ids, LossData(sales.reason("loss_reasons")))
    with pytest.raises(BatchRefused) as caught:
        sales.services.opportunity_batch.move(sales.rep, ids, sales.stage("مذاکره").id)
    assert len(caught.value.refusals) == 23
    assert caught.value.message.count("«فروش") == 20
    assert caught.value.message.endswith("… و ۳ مورد دیگر")


def test_an_abandoned_batch_writes_nothing(sales) -> None:
    ids = [sales.new(title=f"فروش {n}") for n in range(3)]

    def give_up(done: int, total: int) -> None:
        if done == 2:
            raise RuntimeError("انصراف")

    loss = LossData(sales.reason("loss_reasons"))
    with pytest.raises(RuntimeError):  # the first two were closed in the session, then rolled back
        sales.services.opportunity_batch.lose(sales.rep, ids, loss, progress=give_up)
    statuses = {sales.services.opportunity_records.get(sales.rep, i).status for i in ids}
    assert statuses == {OpportunityStatus.OPEN}

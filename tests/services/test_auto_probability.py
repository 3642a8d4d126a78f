"""Automatic probability (seed 004): the figures and factors on a hand-made history, worked out here.

Smoothing adds 10 imaginary deals at the base rate to each value; the base is (won + 1) / (closed + 2).
"""

from __future__ import annotations

import datetime as dt
import math
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from app.services.core.errors import AccessDenied, ValidationFailed
from app.services.opportunities import auto_probability
from app.services.opportunities.auto_probability import AutoProbabilityConfig
from app.services.opportunities.data import LossData, WinData
from tests.services.sales_helpers import Sales, build, identity


@pytest.fixture
def sales(services) -> Sales:
    return build(services)


def _source(sales: Sales, name: str):
    return sales.services.sales_lists.save_item(sales.admin, "sources", name)


def _closed(sales: Sales, won: int, lost: int, actor=None, **values) -> None:
    moves, loss = sales.services.pipeline_moves, sales.reason("loss_reasons")
    for i in range(won + lost):
        actor_ = actor or sales.rep
        opp = sales.new(actor_, **values)
        if i < won:
            moves.win(actor_, opp, WinData())
        else:
            moves.lose(actor_, opp, LossData(loss))


def _configure(sales: Sales, *fields: str, start: dt.date | None = None) -> None:
    sales.services.auto_probability.save_config(sales.admin, AutoProbabilityConfig(fields, start))


def test_a_source_won_more_often_raises_the_estimate_by_its_smoothed_rate(sales) -> None:
    fair, cold = _source(sales, "نمایشگاه"), _source(sales, "تماس سرد")
    _configure(sales, "source")
    _closed(sales, won=6, lost=2, source_id=fair)
    _closed(sales, won=2, lost=6, source_id=cold)
    # base (8 + 1) / (16 + 2) = 50%; نمایشگاه (6 + 10 × 0.5) / (8 + 10) = 11/18 = 61.1%
    estimate = sales.services.auto_probability.estimate(sales.rep, sales.new(source_id=fair))
    assert (estimate.percent, estimate.base_percent, estimate.closes) == (61, 50, 16)
    assert [f.text for f in estimate.factors] == ["منبع: نمایشگاه +۱۱٪"]
    low = sales.services.auto_probability.estimate(sales.rep, sales.new(source_id=cold))
    assert (low.percent, [f.text for f in low.factors]) == (39, ["منبع: تماس سرد −۱۱٪"])


def test_factors_add_up_in_log_odds_and_a_value_at_the_base_rate_shows_none(sales) -> None:
    fair, cold = _source(sales, "نمایشگاه"), _source(sales, "تماس سرد")
    spring = sales.services.sales_lists.save_item(sales.admin, "campaigns", "نوروز")
    _configure(sales, "source", "campaign", "tags")
    _closed(sales, won=4, lost=0, source_id=fair, campaign_id=spring, tags=("فوری",))
    _closed(sales, won=2, lost=2, source_id=fair)
    _closed(sales, won=2, lost=2, source_id=cold)
    _closed(sales, won=0, lost=4, source_id=cold, campaign_id=spring)
    opp = sales.new(source_id=fair, campaign_id=spring, tags=("فوری",))
    estimate = sales.services.auto_probability.estimate(sales.rep, opp)
    # base 9/18 = 0.5; نمایشگاه (6 + 5) / 18; نوروز (4 + 5) / 18 = the base; فوری (4 + 5) / 14
    logit = lambda p: math.log(p / (1 - p))  # noqa: E731
    expected = 1 / (1 + math.exp(-(logit(11 / 18) + logit(9 / 14))))
    assert estimate.percent == round(100 * expected) == 74
    assert [f.text for f in estimate.factors] == ["برچسب: فوری +۱۴٪", "منبع: نمایشگاه +۱۱٪"]


def test_a_stage_counts_every_deal_that_reached_it(sales) -> None:
    _configure(sales, "stage")
    last, first = sales.stage("مذاکره").id, sales.stage("جدید").id
    _closed(sales, won=2, lost=0, stage_id=last)
    _closed(sales, won=0, lost=2, stage_id=first)
    # Both won deals passed «واجد شرایط»: (2 + 10 × 0.5) / (2 + 10) = 58%; all four reached «جدید».
    qualified = sales.services.auto_probability.estimate(sales.rep, sales.new(stage_id=sales.stage("واجد شرایط").id))
    assert (qualified.percent, [f.text for f in qualified.factors]) == (58, ["مرحله: واجد شرایط +۸٪"])
    new = sales.services.auto_probability.estimate(sales.rep, sales.new(stage_id=first))
    assert (new.percent, new.factors) == (50, ())


def test_a_close_is_learned_from_at_the_next_estimate_and_the_start_date_leaves_older_deals_out(sales) -> None:
    fair = _source(sales, "نمایشگاه")
    _configure(sales, "source")
    _closed(sales, won=1, lost=1, source_id=fair)
    opp = sales.new(source_id=fair)
    assert sales.services.auto_probability.estimate(sales.rep, opp).closes == 2
    _closed(sales, won=1, lost=0, source_id=fair)
    assert sales.services.auto_probability.estimate(sales.rep, opp).closes == 3
    _configure(sales, "source", start=dt.date.today() + dt.timedelta(days=1))
    assert sales.services.auto_probability.estimate(sales.rep, opp) is None  # nothing closed since


def test_an_own_documents_rep_learns_from_the_closes_they_may_see(sales) -> None:
    fair = _source(sales, "نمایشگاه")
    _configure(sales, "source")
    _closed(sales, won=2, lost=0, source_id=fair)  # the rep's
    theirs = identity(sales.services, sales.other, "شرکت بتا")
    _closed(sales, won=0, lost=6, actor=sales.other, source_id=fair, identity_id=theirs)  # a rep of no team
    opp = sales.new(source_id=fair)
    mine = sales.services.auto_probability.estimate(sales.rep, opp)
    office = sales.services.auto_probability.estimate(sales.admin, opp)
    # The rep: base 3/4, نمایشگاه (2 + 7.5) / 12. The office: base 3/10, نمایشگاه (2 + 3) / 18.
    assert (mine.closes, mine.base_percent, mine.percent) == (2, 75, 79)
    assert (office.closes, office.base_percent, office.percent) == (8, 30, 28)
    with pytest.raises(AccessDenied):
        sales.services.auto_probability.estimate(sales.rep, sales.new(sales.other, identity_id=theirs))


def test_closed_deals_have_no_automatic_probability_and_only_the_admin_configures_or_retrains(sales) -> None:
    _configure(sales, "source")
    _closed(sales, won=1, lost=1)
    won = sales.new()
    sales.services.pipeline_moves.win(sales.rep, won, WinData())
    assert sales.services.auto_probability.estimate(sales.rep, won) is None
    with pytest.raises(AccessDenied):
        sales.services.auto_probability.save_config(sales.rep, AutoProbabilityConfig(("city",)))
    with pytest.raises(AccessDenied):
        sales.services.auto_probability.retrain(sales.rep)
    with pytest.raises(ValidationFailed):
        sales.services.auto_probability.save_config(sales.admin, AutoProbabilityConfig(()))
    summary = sales.services.auto_probability.retrain(sales.admin)
    assert (summary.closes, summary.won, summary.base_percent) == (3, 2, 60)
    assert sales.services.auto_probability.config(sales.rep) == AutoProbabilityConfig(("source",), None)


def test_calls_at_once_train_the_model_once(sales, monkeypatch) -> None:
    """The opportunity list's first pages ask for their estimates together when the window opens."""
    _configure(sales, "source")
    _closed(sales, won=2, lost=2)
    opps = [sales.new() for _ in range(2)]
    trained, real_train = [], auto_probability.train

    def slow_train(*args):
        trained.append(1)
        time.sleep(0.3)  # long enough for the other call to arrive while this one trains
        return real_train(*args)

    monkeypatch.setattr(auto_probability, "train", slow_train)
    service = sales.services.auto_probability
    with ThreadPoolExecutor(2) as pool:
        found = list(pool.map(lambda opp: service.estimate(sales.rep, opp), opps))
    assert len(trained) == 1 and all(estimate is not None for estimate in found)

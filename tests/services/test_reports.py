"""Reports on a hand-made world whose answers are written here (after Tryton's reporting scenario).

Five identities and five opportunities, all made today through the services:
  alpha (rep):   won 100M → final 120M (reason «قیمت مناسب»), lost 50M («قیمت بالا», to «رقیب یک»)
  beta (rep):    open 30M in the first stage, expected to close this month
  gamma (mate):  won 80M
  delta (mate):  open 40M in the second stage
  epsilon (rep): a lead with no opportunity
Funnel 5 → 4 → 4 → 2; win rate 2/3 overall, 1/2 for rep, 1/1 for mate. The team's target is 200M;
rep issues one invoice of 10 × 1,000,000 and takes 2 back: net 8,000,000, gap 192,000,000.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.models import Activity, ActivityKind, ActivityState, Opportunity, OpportunityLine, SalesTeam
from app.services.core.actor import SYSTEM
from app.services.documents.invoice_views import InvoiceDraft
from app.services.documents.lines import LineDraft
from app.services.documents.returns import ReturnDraft, ReturnLineDraft
from app.services.opportunities.data import LossData, WinData
from app.services.reports.periods import PeriodKind, ReportFilter, months_of
from app.services.reports.pivot import PivotService
from app.services.reports.service import ReportService
from tests.services.sales_helpers import build, identity

M = 1_000_000


@pytest.fixture
def world(services):
    sales = build(services)
    moves = services.pipeline_moves
    first, second = sales.stages[0], sales.stages[1]
    competitor = services.sales_lists.save_item(sales.admin, "competitors", "رقیب یک")
    beta = identity(services, sales.rep, "بتا")
    gamma = identity(services, sales.mate, "گاما")
    delta = identity(services, sales.mate, "دلتا")
    identity(services, sales.rep, "اپسیلون")
    won = sales.new(title="برد آلفا", amount=100 * M)
    moves.win(sales.rep, won, WinData(final_amount=120 * M, reason_id=sales.reason("win_reasons", "قیمت مناسب")))
    lost = sales.new(title="باخت آلفا", amount=50 * M)
    moves.lose(sales.rep, lost, LossData(sales.reason("loss_reasons", "قیمت بالا"), competitor))
    sales.new(identity_id=beta, title="باز بتا", amount=30 * M, stage_id=first.id, expected_close=dt.date.today())
    mate_won = sales.new(sales.mate, identity_id=gamma, title="برد گاما", amount=80 * M)
    moves.win(sales.mate, mate_won, WinData(reason_id=sales.reason("win_reasons", "قیمت مناسب")))
    sales.new(sales.mate, identity_id=delta, title="باز دلتا", amount=40 * M, stage_id=second.id)
    now = dt.datetime.now(dt.UTC)
    with services.db.write(SYSTEM) as s:
        s.scalars(select(SalesTeam)).one().monthly_target = 200 * M
        for state, due, done in (
            (ActivityState.DONE, now, now),
            (ActivityState.PLANNED, now - dt.timedelta(days=2), None),
        ):
            s.add(Activity(identity_id=beta, kind=ActivityKind.CALL, summary="تماس", due_at=due, state=state,
                           done_at=done, assignee_id=sales.rep.user_id))  # fmt: skip
    line = LineDraft("", Decimal(10), 1 * M, 0, 0, sales.products["C-2"])
    draft = services.invoices.create(sales.rep, InvoiceDraft(sales.customer, dt.date.today(), [line]))
    invoice = services.invoices.issue(sales.rep, draft.id)
    back = ReturnDraft(invoice.id, dt.date.today(), [ReturnLineDraft(invoice.lines[0].id, Decimal(2))])
    services.returns.issue(sales.rep, services.returns.create(sales.rep, back).id)
    return sales


def month() -> ReportFilter:
    return ReportFilter.of(PeriodKind.THIS_MONTH)


def test_pipeline_by_stage(world) -> None:
    report = ReportService(world.services.db).pipeline(world.admin, month())
    first, second = world.stages[0], world.stages[1]
    assert [r.label for r in report.rows] == [first.name, second.name]
    assert report.rows[0].values == (1, 30 * M, 30 * M * first.probability // 100)
    assert report.rows[1].values == (1, 40 * M, 40 * M * second.probability // 100)
    assert report.total.values[:2] == (2, 70 * M)


def test_funnel_and_conversion(world) -> None:
    report = ReportService(world.services.db).funnel(world.admin, month())
    assert [r.values for r in report.rows] == [(5, 100.0, 100.0), (4, 80.0, 80.0), (4, 100.0, 80.0), (2, 50.0, 40.0)]


def test_win_loss_by_reason_and_competitor(world) -> None:
    service = ReportService(world.services.db)
    reasons = service.win_loss_by_reason(world.admin, month())
    assert reasons.row("قیمت مناسب").values == (2, 200 * M, 0, 0)
    assert reasons.row("قیمت بالا").values == (0, 0, 1, 50 * M)
    assert service.losses_by_competitor(world.admin, month()).row("رقیب یک").values == (1, 50 * M)


def test_performance_by_rep_and_team(world) -> None:
    service = ReportService(world.services.db)
    by_rep = service.performance(world.admin, month(), "rep")
    assert by_rep.row("rep one").values == (1, 1, 50.0, 120 * M, 0)
    assert by_rep.row("rep two").values == (1, 0, 100.0, 80 * M, 0)
    assert by_rep.total.values == (2, 1, 66.7, 100 * M, 0)
    by_team = service.performance(world.admin, month(), "team")
    assert by_team.row("تیم فروش تهران").values == (2, 1, 66.7, 100 * M, 0)


def test_forecast_activities_and_targets(world) -> None:
    service = ReportService(world.services.db)
    forecast = service.forecast(world.admin, month())
    assert [r.values[:2] for r in forecast.rows] == [(1, 30 * M)]
    activities = service.activities(world.admin, month())
    assert activities.row("rep one").values == (1, 1)
    (row,) = service.targets(world.admin, month()).rows
    assert row.label.startswith("تیم فروش تهران")
    assert row.values == (200 * M, 10 * M, 2 * M, 8 * M, 192 * M)


def test_every_drill_down_lists_as_many_records_as_its_figure(world) -> None:
    service = ReportService(world.services.db)
    reports = [
        service.pipeline(world.admin, month()),
        service.funnel(world.admin, month()),
        service.win_loss_by_reason(world.admin, month()),
        service.losses_by_competitor(world.admin, month()),
        service.performance(world.admin, month(), "rep"),
        service.forecast(world.admin, month()),
        service.activities(world.admin, month()),
    ]
    checked = 0
    for report in reports:
        for row in [*report.rows, *([report.total] if report.total else [])]:
            for column, value, drill in zip(report.columns, row.values, row.drills, strict=True):
                if column.kind == "count" and drill is not None:
                    assert len(service.drill(world.admin, drill)) == value, (report.key, row.label, column.label)
                    checked += 1
    assert checked > 20
    (target,) = service.targets(world.admin, month()).rows
    invoices = service.drill(world.admin, target.drills[1])
    assert [r.amount for r in invoices] == [10 * M]


def test_an_own_documents_rep_sees_only_their_figures(world) -> None:
    service = ReportService(world.services.db)
    assert service.performance(world.rep, month(), "rep").total.values == (1, 1, 50.0, 120 * M, 0)
    assert [r.values[0] for r in service.funnel(world.rep, month()).rows] == [3, 2, 2, 1]
    assert service.pipeline(world.rep, month()).total.values[:2] == (1, 30 * M)
    drill = service.pipeline(world.rep, month()).total.drills[0]
    assert [r.title for r in service.drill(world.rep, drill)] == ["باز بتا"]
    assert service.pipeline(world.mate, month()).total.values[:2] == (1, 40 * M)


def test_pivot_with_totals(world) -> None:
    pivots = PivotService(world.services.db)
    pivot = pivots.pivot(world.admin, month(), ["rep"], ["status"], "amount_sum")
    assert [pivot.row_label(k) for k in pivot.row_keys] == ["rep one", "rep two"]
    assert [pivot.column_label(k) for k in pivot.column_keys] == ["باز", "برنده", "بازنده"]
    rep_one = pivot.row_keys[0]
    assert pivot.cells[(rep_one, ("won",))] == 120 * M
    assert pivot.row_totals[rep_one] == 200 * M
    assert pivot.column_totals[("open",)] == 70 * M
    assert pivot.grand_total == 320 * M
    counts = pivots.pivot(world.admin, month(), ["rep", "month"], [], "count")
    assert counts.grand_total == 5 and sum(counts.row_totals.values()) == 5
    drill = PivotService.drill_of(counts, month(), counts.row_keys[0])
    assert len(ReportService(world.services.db).drill(world.admin, drill)) == counts.row_totals[counts.row_keys[0]]
    assert pivots.pivot(world.rep, month(), [], [], "days_avg").grand_total == 0


def test_jalali_periods() -> None:
    day = dt.date(2026, 12, 3)  # 12 Azar 1405
    last = ReportFilter.of(PeriodKind.LAST_MONTH, day)
    assert (last.start, last.end) == (dt.date(2026, 10, 23), dt.date(2026, 11, 21))  # Aban 1405
    year = ReportFilter.of(PeriodKind.FISCAL_YEAR, day)
    assert (year.start, year.end) == (dt.date(2026, 3, 21), dt.date(2027, 3, 20))
    assert [m.key for m in months_of(year.start, year.end)][::11] == ["1405/01", "1405/12"]


def test_pivot_subtotals_of_two_row_levels(world) -> None:
    pivot = PivotService(world.services.db).pivot(world.admin, month(), ["team", "rep"], ["status"], "count")
    (team,) = pivot.group_totals
    assert pivot.group_totals[team] == 5 and pivot.group_cells[(team, ("won",))] == 2
    assert {pivot.row_label(k) for k in pivot.row_keys} == {"تیم فروش تهران / rep one", "تیم فروش تهران / rep two"}


def test_by_product_an_opportunity_counts_once_under_each_of_its_products(world) -> None:
    with world.services.db.write(SYSTEM) as s:
        won = s.scalar(select(Opportunity.id).where(Opportunity.title == "برد آلفا"))
        for code in ("P-1", "P-1", "C-2"):  # two lines of one product count once
            s.add(OpportunityLine(opportunity_id=won, product_id=world.products[code], unit_price=M))
    service = ReportService(world.services.db)
    by_product = service.performance(world.admin, month(), "product")
    assert by_product.row("پرینتر لیزری").values[:2] == (1, 0)
    assert by_product.row("کابل شبکه").values[:2] == (1, 0)
    assert by_product.row("نامشخص").values[:2] == (1, 1)  # the closed deals without lines
    assert by_product.total.values[:2] == (2, 1)
    for row in by_product.rows:
        assert len(service.drill(world.admin, row.drills[0])) == row.values[0]
    pivot = PivotService(world.services.db).pivot(world.admin, month(), ["product"], [], "amount_sum")
    assert pivot.row_totals[(world.products["P-1"],)] == 120 * M and pivot.grand_total == 320 * M

"""The pivot over activities and documents, on a hand-made world whose answers are written here.

All dated this month:
  activities: rep one — a call done, a call overdue, a meeting planned, a task cancelled;
              rep two — a call done.                                          (5; rep one 4)
  documents:  rep one (customer «شرکت آلفا», Tehran) — a quote of 5M, an invoice of 10M issued, a draft
              invoice of 3M, a return of 2M off the issued invoice, a receipt of 4M;
              rep two (customer «گاما», Shiraz) — an invoice of 7M issued.       (6; rep one 5)
  Net sales: rep one 10M − 2M = 8M, rep two 7M, together 15M (drafts and quotes do not count).
Amounts are before VAT, as the targets report reads them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from app.models import Activity, ActivityKind, ActivityState, Identity
from app.models.enums import PaymentMethod
from app.services.core.actor import SYSTEM
from app.services.documents.invoice_views import InvoiceDraft
from app.services.documents.lines import LineDraft
from app.services.documents.quotes import QuoteDraft
from app.services.documents.receipts import ReceiptDraft
from app.services.documents.returns import ReturnDraft, ReturnLineDraft
from app.services.reports.periods import PeriodKind, ReportFilter
from app.services.reports.pivot import PivotError, PivotService
from app.services.reports.service import ReportService
from tests.services.sales_helpers import build, identity

M = 1_000_000


def month() -> ReportFilter:
    return ReportFilter.of(PeriodKind.THIS_MONTH)


@pytest.fixture
def world(services):
    sales = build(services)
    gamma = identity(services, sales.mate, "گاما")
    now = dt.datetime.now(dt.UTC)
    minute = dt.timedelta(minutes=1)
    with services.db.write(SYSTEM) as s:
        s.get(Identity, sales.customer).primary_city = "تهران"
        s.get(Identity, gamma).primary_city = "شیراز"
        for who, kind, state, due in (
            (sales.rep, ActivityKind.CALL, ActivityState.DONE, now - minute),
            (sales.rep, ActivityKind.CALL, ActivityState.PLANNED, now - minute),
            (sales.rep, ActivityKind.MEETING, ActivityState.PLANNED, now + minute),
            (sales.rep, ActivityKind.TASK, ActivityState.CANCELLED, now),
            (sales.mate, ActivityKind.CALL, ActivityState.DONE, now - minute),
        ):
            s.add(Activity(identity_id=sales.customer if who is sales.rep else gamma, kind=kind, summary="کار",
                           due_at=due, state=state, done_at=due if state is ActivityState.DONE else None,
                           assignee_id=who.user_id))  # fmt: skip
    today = dt.date.today()

    def line(count: int) -> LineDraft:
        return LineDraft("", Decimal(count), 1 * M, 0, 0, sales.products["C-2"])

    invoices, quotes = services.invoices, services.quotes
    quotes.create(sales.rep, QuoteDraft(sales.customer, today, [line(5)]))
    invoice = invoices.issue(sales.rep, invoices.create(sales.rep, InvoiceDraft(sales.customer, today, [line(10)])).id)
    invoices.create(sales.rep, InvoiceDraft(sales.customer, today, [line(3)]))
    back = ReturnDraft(invoice.id, today, [ReturnLineDraft(invoice.lines[0].id, Decimal(2))])
    services.returns.issue(sales.rep, services.returns.create(sales.rep, back).id)
    services.receipts.create(sales.rep, ReceiptDraft(sales.customer, 4 * M, today, PaymentMethod.CASH))
    invoices.issue(sales.mate, invoices.create(sales.mate, InvoiceDraft(gamma, today, [line(7)])).id)
    return sales


def labelled(pivot, cells: dict) -> dict:
    return {(pivot.row_label(r), pivot.column_label(c)): v for (r, c), v in cells.items()}


def test_activities_by_rep_state_and_kind(world) -> None:
    pivot = PivotService(world.services.db).pivot(
        world.admin, month(), ["rep", "activity_state"], ["activity_kind"], "count", "activities"
    )
    assert labelled(pivot, pivot.cells) == {
        ("rep one / برنامه‌ریزی‌شده", "جلسه"): 1,
        ("rep one / معوق", "تماس"): 1,
        ("rep one / انجام‌شده", "تماس"): 1,
        ("rep one / لغوشده", "وظیفه"): 1,
        ("rep two / انجام‌شده", "تماس"): 1,
    }
    assert [pivot.row_label(k) for k in pivot.row_keys][:4] == [
        "rep one / برنامه‌ریزی‌شده", "rep one / معوق", "rep one / انجام‌شده", "rep one / لغوشده",
    ]  # fmt: skip
    assert {pivot.column_label(k): v for k, v in pivot.column_totals.items()} == {"تماس": 3, "جلسه": 1, "وظیفه": 1}
    assert pivot.grand_total == 5
    assert {pivot.row_label(k): v for k, v in pivot.group_totals.items()} == {"rep one": 4, "rep two": 1}


def test_three_row_levels_have_subtotals_at_each_level(world) -> None:
    pivot = PivotService(world.services.db).pivot(
        world.admin, month(), ["team", "rep", "activity_state"], ["activity_kind"], "count", "activities"
    )
    assert {pivot.row_label(k): v for k, v in pivot.group_totals.items()} == {
        "تیم فروش تهران": 5,
        "تیم فروش تهران / rep one": 4,
        "تیم فروش تهران / rep two": 1,
    }
    assert labelled(pivot, pivot.group_cells)[("تیم فروش تهران", "تماس")] == 3
    assert labelled(pivot, pivot.group_cells)[("تیم فروش تهران / rep one", "تماس")] == 2
    assert len(pivot.row_keys) == 5 and pivot.grand_total == 5


def test_documents_by_kind_and_state(world) -> None:
    pivots = PivotService(world.services.db)
    counts = pivots.pivot(world.admin, month(), ["document_kind"], ["document_state"], "count", "documents")
    assert {counts.row_label(k): v for k, v in counts.row_totals.items()} == {
        "پیش‌فاکتور": 1, "صورتحساب": 3, "برگشت از فروش": 1, "دریافت": 1,
    }  # fmt: skip
    assert labelled(counts, counts.cells)[("صورتحساب", "صادرشده")] == 2
    assert labelled(counts, counts.cells)[("صورتحساب", "پیش‌نویس")] == 1
    amounts = pivots.pivot(world.admin, month(), ["document_kind"], [], "amount_sum", "documents")
    assert [amounts.row_totals[k] for k in amounts.row_keys] == [5 * M, 20 * M, 2 * M, 4 * M]
    average = pivots.pivot(world.admin, month(), ["document_kind"], [], "amount_avg", "documents")
    assert average.row_totals[("invoice",)] == 6_666_667  # 20M / 3, rounded


def test_net_sales_by_rep_and_city(world) -> None:
    pivots = PivotService(world.services.db)
    net = pivots.pivot(world.admin, month(), ["rep"], ["city"], "net_sum", "documents")
    assert {net.row_label(k): v for k, v in net.row_totals.items()} == {"rep one": 8 * M, "rep two": 7 * M}
    assert labelled(net, net.cells) == {("rep one", "تهران"): 8 * M, ("rep two", "شیراز"): 7 * M}
    assert net.grand_total == 15 * M
    records = ReportService(world.services.db).drill(world.admin, PivotService.drill_of(net, month()))
    assert sorted((r.kind, r.amount) for r in records) == [("invoice", 7 * M), ("invoice", 10 * M), ("return", 2 * M)]


def test_every_cell_drills_down_to_as_many_records_as_it_counts(world) -> None:
    pivots, reports = PivotService(world.services.db), ReportService(world.services.db)
    checked = 0
    for source, rows, columns in (
        ("activities", ["team", "rep", "activity_state"], ["activity_kind"]),
        ("documents", ["document_kind", "document_state", "city"], ["rep"]),
        ("documents", ["category", "month"], ["quarter"]),
    ):
        pivot = pivots.pivot(world.admin, month(), rows, columns, "count", source)
        figures = [
            *((r, c, v) for (r, c), v in pivot.cells.items()),
            *((r, c, v) for (r, c), v in pivot.group_cells.items()),
            *((r, (), v) for r, v in pivot.row_totals.items()),
            *((r, (), v) for r, v in pivot.group_totals.items()),
            *(((), c, v) for c, v in pivot.column_totals.items()),
            ((), (), pivot.grand_total),
        ]
        for row_key, column_key, value in figures:
            drill = PivotService.drill_of(pivot, month(), row_key, column_key)
            assert len(reports.drill(world.admin, drill)) == value, (source, row_key, column_key)
            checked += 1
    assert checked > 30


def test_an_own_documents_rep_sees_only_their_own(world) -> None:
    pivots, reports = PivotService(world.services.db), ReportService(world.services.db)
    activities = pivots.pivot(world.rep, month(), ["rep"], [], "count", "activities")
    assert {activities.row_label(k): v for k, v in activities.row_totals.items()} == {"rep one": 4}
    documents = pivots.pivot(world.rep, month(), ["document_kind"], [], "count", "documents")
    assert documents.grand_total == 5
    net = pivots.pivot(world.mate, month(), [], [], "net_sum", "documents")
    assert net.grand_total == 7 * M
    records = reports.drill(world.mate, PivotService.drill_of(documents, month()))
    assert [(r.kind, r.amount) for r in records] == [("invoice", 7 * M)]


def test_a_source_offers_only_its_own_dimensions_and_measures(world) -> None:
    pivots = PivotService(world.services.db)
    with pytest.raises(PivotError):
        pivots.pivot(world.admin, month(), ["stage"], [], "count", "activities")
    with pytest.raises(PivotError):
        pivots.pivot(world.admin, month(), ["rep"], [], "amount_sum", "activities")
    with pytest.raises(PivotError):
        pivots.pivot(world.admin, month(), ["rep", "team", "month", "year"], [], "count", "documents")
    assert pivots.pivot(world.admin, month(), ["rep"], [], "count", "opportunities").grand_total == 0

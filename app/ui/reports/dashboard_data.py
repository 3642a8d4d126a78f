"""What the manager's dashboard shows: the headline figures and one small chart and table per report,
all computed by one call (`compute`, run in a worker thread) through the report service."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.services.core.actor import Actor
from app.services.reports.data import DAYS, MONEY, PERCENT
from app.services.reports.periods import ReportFilter
from app.services.reports.scopes import Drill
from app.services.reports.service import ReportService
from app.ui.reports.grid import Grid, from_report, shown


@dataclass(frozen=True)
class Card:
    key: str  # the report (ReportService.REPORTS)
    title: str
    chart: str  # chart kind (chart.KINDS)
    columns: tuple[int, ...]  # the grid columns charted (0 is the row label)


CARDS = (
    Card("pipeline", "کاریز باز بر اساس مرحله", "bar", (2, 3)),  # amount, weighted
    Card("funnel", "قیف فروش و نرخ تبدیل", "funnel", (1,)),
    Card("performance_rep", "برد و باخت فروشندگان", "stacked", (1, 2)),
    Card("forecast", "پیش‌بینی فروش بر اساس ماه بستن", "line", (2, 3)),
    Card("activities", "فعالیت‌های انجام‌شده و معوق", "stacked", (1, 2)),
    Card("targets", "هدف تیم‌ها و فروش خالص", "bar", (1, 4)),  # target, net of returns
)


@dataclass(frozen=True)
class Figure:
    label: str
    text: str  # as shown: Persian digits
    value: Any
    drill: Drill | None


@dataclass(frozen=True)
class DashboardData:
    filter: ReportFilter
    figures: tuple[Figure, ...]
    grids: dict[str, Grid]  # by card key


def _figure(label: str, kind: str, row, column: int) -> Figure:
    """A figure from a report row: its value and the records behind it (column counts from 0)."""
    return Figure(label, shown(kind, row.values[column]), row.values[column], row.drills[column])


def compute(service: ReportService, actor: Actor, f: ReportFilter) -> DashboardData:
    """Every card's report and the headline figures, under the same filter. Reads; worker thread."""
    reports = {card.key: service.report(actor, card.key, f) for card in CARDS}
    pipeline, closed = reports["pipeline"].total, reports["performance_rep"].total
    won = reports["funnel"].rows[-1]
    figures = (
        _figure("کاریز باز (ریال)", MONEY, pipeline, 1),
        _figure("کاریز وزنی (ریال)", MONEY, pipeline, 2),
        _figure("نرخ برد", PERCENT, closed, 2),
        _figure("میانگین مبلغ برد (ریال)", MONEY, closed, 3),
        _figure("میانگین روز تا بستن", DAYS, closed, 4),
        Figure("تبدیل سرنخ به برد", shown(PERCENT, won.values[2]), won.values[2], won.drills[0]),
    )
    return DashboardData(f, figures, {key: from_report(report) for key, report in reports.items()})

"""A report or a pivot as one grid of cells: the text shown (Persian digits), the raw value exported
to XLSX, and the drill-down behind the cell."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.persian import format_number, to_persian_digits
from app.services.reports.data import COUNT, DAYS, MONEY, PERCENT, Report
from app.services.reports.periods import ReportFilter
from app.services.reports.pivot import DIMENSIONS, MEASURES, Pivot, PivotService
from app.services.reports.scopes import Drill

MEASURE_KINDS = {
    "count": COUNT,
    "amount_sum": MONEY,
    "amount_avg": MONEY,
    "weighted_sum": MONEY,
    "days_avg": DAYS,
    "net_sum": MONEY,
    "mrr_sum": MONEY,
}
TOTAL = "جمع"
INDENT = "    "  # a pivot row's depth under its groups


@dataclass(frozen=True)
class Cell:
    text: str
    value: Any = None  # what the spreadsheet gets: a number where there is one
    drill: Drill | None = None
    kind: str = "text"
    group: tuple | None = None  # a pivot group's header: double-click expands or collapses it


@dataclass(frozen=True)
class Grid:
    title: str
    headers: list[str]
    rows: list[list[Cell]]


def shown(kind: str, value) -> str:
    if value is None:
        return "—"
    if kind == PERCENT:
        return to_persian_digits(f"{value:.1f}".replace(".", "٫")) + "٪"
    if kind in (COUNT, MONEY, DAYS):
        return format_number(int(value))
    return str(value)


def _cell(kind: str, value, drill: Drill | None = None) -> Cell:
    return Cell(shown(kind, value), value, drill, kind)


def _header(label: str, kind: str) -> str:
    return f"{label} (ریال)" if kind == MONEY else label


def from_report(report: Report) -> Grid:
    headers = [report.row_header, *(_header(c.label, c.kind) for c in report.columns)]
    rows = []
    for row in [*report.rows, *([report.total] if report.total else [])]:
        cells = [Cell(row.label, row.label)]
        cells += [_cell(c.kind, v, d) for c, v, d in zip(report.columns, row.values, row.drills, strict=True)]
        rows.append(cells)
    return Grid(report.title, headers, rows)


def from_pivot(pivot: Pivot, f: ReportFilter, collapsed: frozenset = frozenset()) -> Grid:
    """The pivot's rows; with several row dimensions each value of a level but the last heads its group
    with subtotals, and the groups in `collapsed` show that line alone."""
    label, _ = MEASURES[pivot.measure]
    kind = MEASURE_KINDS[pivot.measure]
    row_header = " / ".join(DIMENSIONS[d] for d in pivot.rows) or label
    headers = [row_header, *(pivot.column_label(k) for k in pivot.column_keys), TOTAL]
    drill = PivotService.drill_of

    def line(text: str, key: tuple, cells: dict, total, group: tuple | None = None) -> list[Cell]:
        first = Cell(text, text, group=group)
        values = [_cell(kind, cells.get((key, c)), drill(pivot, f, key, c)) for c in pivot.column_keys]
        return [first, *values, _cell(kind, total, drill(pivot, f, key))]

    rows, shown_groups, levels = [], set(), len(pivot.rows)
    for key in pivot.row_keys:
        hidden = False
        for level in range(1, levels):  # the groups heading this row, outermost first
            group = key[:level]
            if group not in shown_groups:
                shown_groups.add(group)
                name = pivot.labels[pivot.rows[level - 1]][group[-1]]
                sign = "◂" if group in collapsed else "▾"
                text = f"{INDENT * (level - 1)}{sign} {name}"
                rows.append(line(text, group, pivot.group_cells, pivot.group_totals[group], group))
            if group in collapsed:
                hidden = True
                break
        if hidden:
            continue
        text = INDENT * (levels - 1) + pivot.labels[pivot.rows[-1]][key[-1]] if levels > 1 else pivot.row_label(key)
        rows.append(line(text or label, key, pivot.cells, pivot.row_totals.get(key)))
    totals = [Cell(TOTAL, TOTAL)]
    totals += [_cell(kind, pivot.column_totals.get(c), drill(pivot, f, (), c)) for c in pivot.column_keys]
    totals.append(_cell(kind, pivot.grand_total, drill(pivot, f)))
    rows.append(totals)
    return Grid(f"جدول محوری: {_header(label, kind)}", headers, rows)

"""A free pivot over opportunities created in the period: rows and columns chosen from the dimensions,
one measure, with totals (and, with two row dimensions, subtotals per first-level value, which the
UI expands and collapses). Every cell and every total is its own SQL group (an average of averages
would be wrong), so a pivot is four grouped queries, six with subtotals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.services.core.actor import Actor
from app.services.core.database import Database
from app.services.reports import engine
from app.services.reports.periods import ReportFilter
from app.services.reports.scopes import Drill

PIVOT_SCOPE = "created"
DIMENSIONS = {
    "stage": "مرحله",
    "rep": "فروشنده",
    "team": "تیم",
    "source": "منبع",
    "campaign": "کمپین",
    "product": "کالا",
    "status": "وضعیت",
    "month": "ماه",
    "quarter": "فصل",
    "year": "سال",
}
MEASURES = {
    "count": ("تعداد", engine.COUNT),
    "amount_sum": ("جمع مبلغ", engine.SUM["amount"]),
    "amount_avg": ("میانگین مبلغ", engine.AVG["amount"]),
    "weighted_sum": ("جمع مبلغ وزنی", engine.SUM["weighted"]),
    "days_avg": ("میانگین روز تا بستن", engine.AVG["days"]),
    "mrr_sum": ("درآمد تکرارشونده ماهانه", engine.SUM["mrr"]),
}


@dataclass(frozen=True)
class Pivot:
    rows: list[str]
    columns: list[str]
    measure: str
    row_keys: list[tuple]  # in reading order
    column_keys: list[tuple]
    labels: dict[str, dict[Any, str]]  # dimension -> value -> Persian name
    cells: dict[tuple[tuple, tuple], Any] = field(default_factory=dict)  # (row key, column key) -> value
    row_totals: dict[tuple, Any] = field(default_factory=dict)
    column_totals: dict[tuple, Any] = field(default_factory=dict)
    grand_total: Any = None
    # With two row dimensions, the subtotals of each first-level value (what a collapsed group shows).
    group_cells: dict[tuple[tuple, tuple], Any] = field(default_factory=dict)
    group_totals: dict[tuple, Any] = field(default_factory=dict)

    def row_label(self, key: tuple) -> str:
        return " / ".join(self.labels[d][v] for d, v in zip(self.rows, key, strict=True))

    def column_label(self, key: tuple) -> str:
        return " / ".join(self.labels[d][v] for d, v in zip(self.columns, key, strict=True))


def _value(measure: str, raw) -> Any:
    value = engine.whole(raw)
    return value // 100 if measure == "weighted_sum" and value is not None else value


class PivotService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def pivot(self, actor: Actor, f: ReportFilter, rows: list[str], columns: list[str], measure: str) -> Pivot:
        label, aggregate = MEASURES[measure]
        measures = {measure: aggregate}
        base = Drill(PIVOT_SCOPE, f)
        with self._db.read(actor) as s:

            def groups(dims):
                return {k: _value(measure, v[measure]) for k, v in engine.grouped(s, base, dims, measures)}

            cells = groups(rows + columns)
            row_totals, column_totals, grand = groups(rows), groups(columns), groups([])
            nested = len(rows) > 1
            group_cells = groups(rows[:1] + columns) if nested else {}
            group_totals = groups(rows[:1]) if nested else {}
            labels, ordered = {}, {}
            for i, dim in enumerate(rows + columns):
                values = list({key[i] for key in cells})
                labels[dim] = engine.labels(s, dim, values)
                ordered[dim] = engine.order(s, dim, values, labels[dim])
        split = len(rows)

        def in_order(keys, dims):
            return sorted(keys, key=lambda k: tuple(ordered[d].index(v) for d, v in zip(dims, k, strict=True)))

        return Pivot(
            rows,
            columns,
            measure,
            in_order({k[:split] for k in cells}, rows),
            in_order({k[split:] for k in cells}, columns),
            labels,
            {(k[:split], k[split:]): v for k, v in cells.items()},
            row_totals,
            column_totals,
            grand.get((), None),
            {(k[:1], k[1:]): v for k, v in group_cells.items()},
            group_totals,
        )

    @staticmethod
    def drill_of(pivot: Pivot, f: ReportFilter, row_key: tuple = (), column_key: tuple = ()) -> Drill:
        """The drill-down of a cell (or of a total, with the other key left empty)."""
        # an empty key (a total) names none of its dimensions: zip stops at the shorter on purpose
        keys = (*zip(pivot.rows, row_key, strict=False), *zip(pivot.columns, column_key, strict=False))
        return Drill(PIVOT_SCOPE, f, tuple(keys))

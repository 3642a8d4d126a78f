"""A free pivot over opportunities (created in the period), activities (due in it) or documents (dated
in it): up to three row dimensions and a column dimension chosen from the source's, one measure, with
totals and the subtotals of each row level (what the UI shows when a group is collapsed).

One SQL query groups the source's rows by every chosen dimension and returns, per group, its count
and the sum and count of the measure's input; each total and subtotal adds those groups up (exact for
averages too: sum over count). Only an opportunity counted under several products cannot be added up
across products: a total that leaves the product out is then its own SQL group.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from app.services.core.actor import Actor
from app.services.core.database import Database
from app.services.reports import engine, sources
from app.services.reports.periods import ReportFilter
from app.services.reports.scopes import Drill

PIVOT_SCOPE = "created"
MAX_ROWS = 3
DIMENSIONS = {  # every source's dimensions and their Persian names
    "stage": "مرحله",
    "rep": "فروشنده",
    "team": "تیم",
    "source": "منبع",
    "campaign": "کمپین",
    "product": "کالا",
    "status": "وضعیت",
    "activity_kind": "نوع فعالیت",
    "activity_state": "وضعیت فعالیت",
    "document_kind": "نوع سند",
    "document_state": "وضعیت سند",
    "city": "شهر",
    "category": "دسته‌بندی",
    "month": "ماه",
    "quarter": "فصل",
    "year": "سال",
}
# measure -> (its Persian name, (the input it aggregates or None for the rows, "count" | "sum" | "avg"))
MEASURES = {
    "count": ("تعداد", (None, "count")),
    "amount_sum": ("جمع مبلغ", ("amount", "sum")),
    "amount_avg": ("میانگین مبلغ", ("amount", "avg")),
    "weighted_sum": ("جمع مبلغ وزنی", ("weighted", "sum")),
    "days_avg": ("میانگین روز تا بستن", ("days", "avg")),
    "net_sum": ("فروش خالص (صورتحساب منهای برگشت)", ("net", "sum")),
    "mrr_sum": ("درآمد تکرارشونده ماهانه", ("mrr", "sum")),
}
OPPORTUNITY_DIMENSIONS = ("stage", "rep", "team", "source", "campaign", "product", "status", "month", "quarter", "year")


@dataclass(frozen=True)
class PivotSource:
    label: str
    scope: str  # the drill-down's scope
    dimensions: tuple[str, ...]
    measures: tuple[str, ...]


SOURCES = {
    "opportunities": PivotSource(
        "فرصت‌ها",
        PIVOT_SCOPE,
        OPPORTUNITY_DIMENSIONS,
        ("count", "amount_sum", "amount_avg", "weighted_sum", "days_avg", "mrr_sum"),
    ),
    "activities": PivotSource("فعالیت‌ها", sources.ACTIVITY_SCOPE, sources.ACTIVITY_DIMENSIONS, ("count",)),
    "documents": PivotSource(
        "اسناد", sources.DOCUMENT_SCOPE, sources.DOCUMENT_DIMENSIONS, ("count", "amount_sum", "amount_avg", "net_sum")
    ),
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
    # With several row dimensions, the subtotals of each shorter prefix of a row key (a collapsed group).
    group_cells: dict[tuple[tuple, tuple], Any] = field(default_factory=dict)
    group_totals: dict[tuple, Any] = field(default_factory=dict)
    source: str = "opportunities"

    def row_label(self, key: tuple) -> str:
        return " / ".join(self.labels[d][v] for d, v in zip(self.rows, key, strict=False))

    def column_label(self, key: tuple) -> str:
        return " / ".join(self.labels[d][v] for d, v in zip(self.columns, key, strict=True))


class PivotError(ValueError):
    """A pivot asked for what its source does not have (the UI offers only what it has)."""


def _final(measure: str, count: int, total, present: int) -> Any:
    """A group's figure from its row count and its input's sum and count of non-empty values."""
    how = MEASURES[measure][1][1]
    if how == "count":
        return count
    if how == "avg":
        return engine.average(total, present)
    value = int(total or 0)
    return value // 100 if measure == "weighted_sum" else value  # probability is a percentage


class PivotService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def pivot(
        self,
        actor: Actor,
        f: ReportFilter,
        rows: list[str],
        columns: list[str],
        measure: str,
        source: str = "opportunities",
    ) -> Pivot:
        spec = SOURCES[source]
        dims = rows + columns
        if measure not in spec.measures or not set(dims) <= set(spec.dimensions) or len(rows) > MAX_ROWS:
            raise PivotError(f"{source}: {dims} / {measure}")
        with self._db.read(actor) as s:
            finest = self._groups(s, spec, f, dims, measure)

            def groups(kept: list[str]) -> dict[tuple, Any]:
                if "product" in dims and "product" not in kept:  # an opportunity under two products counts once
                    partial = self._groups(s, spec, f, kept, measure)
                else:
                    partial = {}
                    at = [dims.index(d) for d in kept]
                    for key, figures in finest.items():
                        sub = tuple(key[i] for i in at)
                        partial[sub] = tuple(a + b for a, b in zip(partial.get(sub, (0, 0, 0)), figures, strict=True))
                return {k: _final(measure, *v) for k, v in partial.items()}

            cells = groups(dims)
            group_cells, group_totals = {}, {}
            for level in range(1, len(rows)):
                group_cells.update({(k[:level], k[level:]): v for k, v in groups(rows[:level] + columns).items()})
                group_totals.update(groups(rows[:level]))
            labels, ordered = {}, {}
            for i, dim in enumerate(dims):
                values = list({key[i] for key in cells})
                labels[dim] = sources.names(s, dim, values)
                ordered[dim] = sources.order(s, dim, values, labels[dim])
            row_totals, column_totals, grand = groups(rows), groups(columns), groups([])
        split = len(rows)

        def in_order(keys, names):
            return sorted(keys, key=lambda k: tuple(ordered[d].index(v) for d, v in zip(names, k, strict=True)))

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
            grand.get((), _final(measure, 0, 0, 0)),
            group_cells,
            group_totals,
            source,
        )

    @staticmethod
    def _groups(s, spec: PivotSource, f: ReportFilter, dims: list[str], measure: str) -> dict[tuple, tuple]:
        """{dimension values: (rows, sum of the input, non-empty inputs)} in one grouped query."""
        name = MEASURES[measure][1][0]
        if spec.scope == PIVOT_SCOPE:
            inner = engine.rows_of(s, Drill(spec.scope, f), dims)
            keys = [inner.c[f"d_{d}"] for d in dims]
            figures = [func.count()]
            if name is not None:
                figures += [func.coalesce(func.sum(inner.c[name]), 0), func.count(inner.c[name])]
            statement = select(*keys, *figures).select_from(inner).group_by(*keys)
        else:
            statement = sources.grouped(Drill(spec.scope, f), dims, name)
        found = {}
        for row in s.execute(statement):
            count, total, present = (*row[len(dims) :], 0, 0)[:3]
            count, total, present = int(count), total or 0, int(present)  # PostgreSQL sums counts as numeric
            found[tuple(row[: len(dims)])] = (count, total, present)
        return found

    @staticmethod
    def drill_of(pivot: Pivot, f: ReportFilter, row_key: tuple = (), column_key: tuple = ()) -> Drill:
        """The drill-down of a cell (or of a total or subtotal, with a key left empty or shorter): net
        sales list only the issued invoices and returns they add up."""
        # a total names none of its dimensions, a subtotal its first ones: zip stops at the shorter on purpose
        keys = (*zip(pivot.rows, row_key, strict=False), *zip(pivot.columns, column_key, strict=False))
        if pivot.measure == "net_sum":
            keys = (*keys, (sources.IN_NET, 1))
        return Drill(SOURCES[pivot.source].scope, f, tuple(keys))

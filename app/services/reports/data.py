"""What the reports hand to the UI: plain tables whose cells know their drill-down."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from app.services.reports.scopes import Drill

# How a column's values read: a count, Rials, a percentage (one decimal), whole days, or text.
COUNT, MONEY, PERCENT, DAYS, TEXT = "count", "money", "percent", "days", "text"


@dataclass(frozen=True)
class Column:
    label: str
    kind: str


@dataclass(frozen=True)
class ReportRow:
    label: str
    values: tuple[Any, ...]  # aligned with Report.columns
    drills: tuple[Drill | None, ...]  # the records behind each value, None where a value has none


@dataclass(frozen=True)
class Report:
    key: str
    title: str
    row_header: str
    columns: tuple[Column, ...]
    rows: tuple[ReportRow, ...]
    total: ReportRow | None = None

    def row(self, label: str) -> ReportRow:
        return next(r for r in self.rows if r.label == label)


@dataclass(frozen=True)
class DrillRecord:
    """One record behind a figure: what the list shows and what opens it."""

    kind: str  # opportunity, identity, activity, invoice, return
    id: uuid.UUID
    title: str
    amount: int | None


def rate(part: int, whole: int) -> float | None:
    """A percentage with one decimal; None when there is nothing to divide by."""
    return None if not whole else round(100 * part / whole, 1)

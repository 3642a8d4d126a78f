"""Report filters over the app's Jalali periods (app/services/core/periods.py) and the month buckets
used to group by Jalali month in SQL.

The database stores Gregorian dates and UTC instants; a Jalali month is a range of them. The months of
a period are computed here in Python and become one CASE expression, which both SQLite and PostgreSQL
run without a calendar table.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

import jdatetime
from sqlalchemy import ColumnElement, case, literal

from app.persian import jalali
from app.persian.text import to_persian_digits
from app.services.core.periods import PERIOD_LABELS as SHARED_LABELS
from app.services.core.periods import PeriodKind, period_bounds

# The reports open on their first period, «این ماه»; the shared periods follow in their usual order.
PERIOD_LABELS = {PeriodKind.THIS_MONTH: SHARED_LABELS[PeriodKind.THIS_MONTH]} | SHARED_LABELS


@dataclass(frozen=True)
class ReportFilter:
    """What every report is limited to: a Jalali period (inclusive days), a rep, a team, a pipeline."""

    start: dt.date
    end: dt.date
    rep_id: uuid.UUID | None = None
    team_id: uuid.UUID | None = None
    pipeline_id: uuid.UUID | None = None

    @classmethod
    def of(cls, kind: PeriodKind, today: dt.date | None = None, **limits) -> ReportFilter:
        start, end = period_bounds(kind, today)
        return cls(start, end, **limits)

    @property
    def first_instant(self) -> dt.datetime:
        return local_midnight(self.start)

    @property
    def after_instant(self) -> dt.datetime:
        """The instant the period ends (exclusive): the local midnight after its last day."""
        return local_midnight(self.end + dt.timedelta(days=1))


def local_midnight(day: dt.date) -> dt.datetime:
    """The UTC instant a local day starts (stored datetimes are UTC; the user's days are local)."""
    return dt.datetime.combine(day, dt.time()).astimezone().astimezone(dt.UTC)


@dataclass(frozen=True)
class Month:
    year: int
    month: int
    first: dt.date
    last: dt.date

    @property
    def key(self) -> str:
        return f"{self.year:04d}/{self.month:02d}"  # sorts in calendar order

    @property
    def label(self) -> str:
        return to_persian_digits(f"{jalali.month_name(self.month)} {self.year}")


def months_of(start: dt.date, end: dt.date) -> list[Month]:
    """The Jalali months that overlap [start, end], in order."""
    j = jdatetime.date.fromgregorian(date=start)
    year, month = j.year, j.month
    months = []
    while True:
        first, last = jalali.month_bounds(year, month)
        if first > end:
            return months
        months.append(Month(year, month, first, last))
        year, month = year + month // 12, month % 12 + 1


def grain_key(m: Month, grain: str) -> str:
    """A month's key at a grain: «1405/09», the quarter «1405/Q3» or the year «1405»."""
    if grain == "quarter":
        return f"{m.year:04d}/Q{(m.month - 1) // 3 + 1}"
    return f"{m.year:04d}" if grain == "year" else m.key


def month_bucket(column, months: list[Month], instants: bool, grain: str = "month") -> ColumnElement:
    """CASE mapping a date (or a UTC instant when `instants`) to its Jalali month key «1405/09» (or the
    quarter's or year's key at that grain)."""
    if not months:
        return literal(None)
    whens = []
    for m in months:
        if instants:
            condition = (column >= local_midnight(m.first)) & (column < local_midnight(m.last + dt.timedelta(days=1)))
        else:
            condition = (column >= m.first) & (column <= m.last)
        whens.append((condition, grain_key(m, grain)))
    return case(*whens, else_=None)


def month_key_label(key: str | None) -> str:
    """«1405/09» → «آذر ۱۴۰۵»; a quarter «1405/Q3» → «فصل ۳ ۱۴۰۵»; a year «1405» → «۱۴۰۵»."""
    if key is None:
        return "بدون تاریخ"
    if "/Q" in key:
        year, quarter = key.split("/Q")
        return to_persian_digits(f"فصل {quarter} {year}")
    if "/" in key:
        year, month = key.split("/")
        return to_persian_digits(f"{jalali.month_name(int(month))} {year}")
    return to_persian_digits(key)

"""The app's one set of Jalali periods: «امروز»، «این هفته»، «این ماه» … for every date filter, every
favourite and the reports.

A date filter is either a relative period, kept by its name and turned into days each time it runs
(a favourite «ثبت‌شده در این ماه» shows next month's rows next month), or a fixed range of days.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from app.persian import jalali


class PeriodKind(str, enum.Enum):
    TODAY = "today"
    THIS_WEEK = "this_week"  # Saturday to Friday
    THIS_MONTH = "this_month"
    LAST_MONTH = "last_month"
    THIS_QUARTER = "this_quarter"
    FISCAL_YEAR = "fiscal_year"  # the Iranian fiscal year is the Jalali year
    CUSTOM = "custom"


PERIOD_LABELS = {
    PeriodKind.TODAY: "امروز",
    PeriodKind.THIS_WEEK: "این هفته",
    PeriodKind.THIS_MONTH: "این ماه",
    PeriodKind.LAST_MONTH: "ماه گذشته",
    PeriodKind.THIS_QUARTER: "این فصل",
    PeriodKind.FISCAL_YEAR: "سال مالی جاری",
    PeriodKind.CUSTOM: "بازه دلخواه",
}


def today() -> dt.date:
    """The user's today; the one clock periods read, so a test can freeze it."""
    return dt.date.today()


def period_bounds(kind: PeriodKind, day: dt.date | None = None) -> jalali.Period:
    """First and last Gregorian day of a preset period around `day` (default: today). CUSTOM has none:
    the caller gives its range."""
    day = day or today()
    if kind is PeriodKind.TODAY:
        return day, day
    if kind is PeriodKind.THIS_WEEK:
        return jalali.this_week(day)
    if kind is PeriodKind.THIS_MONTH:
        return jalali.this_month(day)
    if kind is PeriodKind.LAST_MONTH:
        return jalali.last_month(day)
    if kind is PeriodKind.THIS_QUARTER:
        return jalali.this_quarter(day)
    if kind is PeriodKind.FISCAL_YEAR:
        return jalali.fiscal_year_bounds(jalali.fiscal_year(day))
    raise ValueError("a custom period has no preset bounds")


@dataclass(frozen=True)
class DateFilter:
    """A relative period (`kind`), or CUSTOM with fixed days `first`..`last` (either may be open)."""

    kind: PeriodKind = PeriodKind.CUSTOM
    first: dt.date | None = None
    last: dt.date | None = None

    @classmethod
    def fixed(cls, first: dt.date | None, last: dt.date | None) -> DateFilter:
        return cls(PeriodKind.CUSTOM, first, last)

    @property
    def relative(self) -> bool:
        return self.kind is not PeriodKind.CUSTOM

    def bounds(self, day: dt.date | None = None) -> tuple[dt.date | None, dt.date | None]:
        """The days it covers now (or around `day`)."""
        return period_bounds(self.kind, day) if self.relative else (self.first, self.last)

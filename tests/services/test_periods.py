"""The shared Jalali periods: the Iranian week from Saturday, months and years across their boundaries,
and a date filter that keeps a relative period by name."""

from __future__ import annotations

import datetime as dt

import pytest

from app.persian import parse_date
from app.services.core.periods import DateFilter, PeriodKind, period_bounds


def j(text: str) -> dt.date:
    return parse_date(text)


@pytest.mark.parametrize(
    ("kind", "day", "first", "last"),
    [
        (PeriodKind.TODAY, "1404/12/29", "1404/12/29", "1404/12/29"),
        # 1405/01/05 is a Wednesday: its week began on Saturday 1405/01/01 and ends Friday 1405/01/07
        (PeriodKind.THIS_WEEK, "1405/01/05", "1405/01/01", "1405/01/07"),
        (PeriodKind.THIS_WEEK, "1405/01/01", "1405/01/01", "1405/01/07"),  # a Saturday starts its own week
        (PeriodKind.THIS_WEEK, "1404/12/29", "1404/12/23", "1404/12/29"),  # a Friday ends it
        (PeriodKind.THIS_MONTH, "1405/07/30", "1405/07/01", "1405/07/30"),  # Mehr has 30 days
        (PeriodKind.LAST_MONTH, "1405/01/10", "1404/12/01", "1404/12/29"),  # across the year
        (PeriodKind.LAST_MONTH, "1404/01/10", "1403/12/01", "1403/12/30"),  # 1403 is leap
        (PeriodKind.THIS_QUARTER, "1405/06/31", "1405/04/01", "1405/06/31"),
        (PeriodKind.FISCAL_YEAR, "1405/12/29", "1405/01/01", "1405/12/29"),
    ],
)
def test_period_bounds(kind, day, first, last) -> None:
    assert period_bounds(kind, j(day)) == (j(first), j(last))


def test_custom_has_no_preset_bounds() -> None:
    with pytest.raises(ValueError):
        period_bounds(PeriodKind.CUSTOM, j("1405/01/01"))


def test_a_relative_filter_is_resolved_each_time(monkeypatch) -> None:
    this_month = DateFilter(PeriodKind.THIS_MONTH)
    assert this_month.bounds(j("1404/12/15")) == (j("1404/12/01"), j("1404/12/29"))
    assert this_month.bounds(j("1405/01/02")) == (j("1405/01/01"), j("1405/01/31"))
    monkeypatch.setattr("app.services.core.periods.today", lambda: j("1405/02/02"))
    assert this_month.bounds() == (j("1405/02/01"), j("1405/02/31"))


def test_a_fixed_filter_keeps_its_days() -> None:
    fixed = DateFilter.fixed(j("1405/01/01"), None)
    assert not fixed.relative and fixed.bounds(j("1406/05/05")) == (j("1405/01/01"), None)

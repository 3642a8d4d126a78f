"""Advanced search with relative Jalali periods: a favourite «متولدان این ماه» keeps the period by name and
shows next month's identities next month, across Esfand → Farvardin too (a frozen today)."""

from __future__ import annotations

import pytest

from app.persian import parse_date
from app.services.core.periods import PeriodKind
from app.services.identities.advanced_search import AdvancedQuery, Condition
from app.services.identities.records import IdentityData
from app.services.identities.service import IdentityQuery

BIRTHDAYS = {
    "اسفندی": "1404/12/29",  # the last day of 1404 (not a leap year)
    "فروردینی": "1405/01/01",
    "فروردینی دوم": "1405/01/31",
    "اردیبهشتی": "1405/02/01",
}


@pytest.fixture
def born(services, admin):
    for name, day in BIRTHDAYS.items():
        data = IdentityData(last_name=name, birth_date=parse_date(day))
        services.identities.create(admin, data, allow_duplicates=True)


def freeze(monkeypatch, day: str) -> None:
    monkeypatch.setattr("app.services.core.periods.today", lambda: parse_date(day))


def run_favourite(services, admin, name: str) -> set[str]:
    (row,) = [r for r in services.saved_searches.list(admin) if r.name == name]
    query = IdentityQuery(advanced=AdvancedQuery.from_dict(row.definition))
    return {r.display_name for r in services.identities.search(admin, query)}


def test_a_favourite_this_month_follows_the_calendar(services, admin, born, monkeypatch) -> None:
    query = AdvancedQuery((Condition("birth_date", "between", PeriodKind.THIS_MONTH),))
    services.saved_searches.save(admin, "متولدان این ماه", query.to_dict())
    assert services.saved_searches.list(admin)[0].definition["conditions"][0]["value"] == {"period": "this_month"}

    freeze(monkeypatch, "1404/12/10")
    assert run_favourite(services, admin, "متولدان این ماه") == {"اسفندی"}
    freeze(monkeypatch, "1405/01/15")  # the next month is in the next Jalali year
    assert run_favourite(services, admin, "متولدان این ماه") == {"فروردینی", "فروردینی دوم"}
    freeze(monkeypatch, "1405/02/01")
    assert run_favourite(services, admin, "متولدان این ماه") == {"اردیبهشتی"}


@pytest.mark.parametrize(
    ("kind", "today", "names"),
    [
        (PeriodKind.TODAY, "1405/01/01", {"فروردینی"}),
        # 1404/12/29 is a Friday: its week is Saturday 1404/12/23 to that Friday
        (PeriodKind.THIS_WEEK, "1404/12/29", {"اسفندی"}),
        (PeriodKind.LAST_MONTH, "1405/01/20", {"اسفندی"}),
        (PeriodKind.THIS_QUARTER, "1405/03/31", {"فروردینی", "فروردینی دوم", "اردیبهشتی"}),
        (PeriodKind.FISCAL_YEAR, "1404/06/01", {"اسفندی"}),
        (PeriodKind.FISCAL_YEAR, "1405/12/01", {"فروردینی", "فروردینی دوم", "اردیبهشتی"}),
    ],
)
def test_each_period(services, admin, born, monkeypatch, kind, today, names) -> None:
    freeze(monkeypatch, today)
    query = IdentityQuery(advanced=AdvancedQuery((Condition("birth_date", "between", kind),)))
    assert {r.display_name for r in services.identities.search(admin, query)} == names


def test_created_this_week_counts_what_was_made_today(services, admin, born) -> None:
    query = IdentityQuery(advanced=AdvancedQuery((Condition("created_at", "between", PeriodKind.THIS_WEEK),)))
    assert services.identities.count(admin, query) == len(BIRTHDAYS)


def test_a_custom_period_without_days_limits_nothing(services, admin, born) -> None:
    query = IdentityQuery(advanced=AdvancedQuery((Condition("birth_date", "between", PeriodKind.CUSTOM),)))
    assert services.identities.count(admin, query) == len(BIRTHDAYS)

"""Jalali formatting, parsing and periods (iran-rules.md §7)."""

import datetime as dt
import time

import pytest

from app.persian import (
    MONTH_NAMES,
    WEEKDAY_NAMES,
    ValidationError,
    fiscal_year,
    fiscal_year_bounds,
    format_date,
    format_datetime,
    format_long,
    is_weekend,
    month_bounds,
    month_name,
    next_month,
    parse_date,
    this_month,
    this_quarter,
    week_start,
)

D = dt.date
TEHRAN = dt.timezone(dt.timedelta(hours=3, minutes=30))


@pytest.fixture
def tehran_local(monkeypatch):
    """Make the process-local zone Iran Standard Time (POSIX form: needs no tzdata)."""
    monkeypatch.setenv("TZ", "IRST-3:30")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_known_days():
    assert parse_date("1404/01/01") == D(2025, 3, 21)
    assert parse_date("1405/01/01") == D(2026, 3, 21)
    assert parse_date("1404/09/01") == D(2025, 11, 22)
    assert week_start(D(2025, 11, 22)) == D(2025, 11, 22)  # 1404/09/01 is a Saturday


def test_format_date():
    assert format_date(D(2026, 11, 22)) == "۱۴۰۵/۰۹/۰۱"
    assert format_date(D(2025, 3, 21)) == "۱۴۰۴/۰۱/۰۱"
    assert format_date(None) == ""


def test_format_long():
    # jdatetime spells the weekday with a ZWNJ («یک‌شنبه»); Qt's fa locale does not.
    assert format_long(D(2026, 11, 22)) == "یک\u200cشنبه ۱ آذر ۱۴۰۵"
    assert format_long(D(2025, 11, 22)) == "شنبه ۱ آذر ۱۴۰۴"


def test_format_datetime_converts_utc_to_local():
    utc = dt.datetime(2026, 11, 22, 11, 0, tzinfo=dt.UTC)
    assert format_datetime(utc, TEHRAN) == "۱۴۰۵/۰۹/۰۱ ۱۴:۳۰"
    assert format_datetime(utc.replace(tzinfo=None), TEHRAN) == "۱۴۰۵/۰۹/۰۱ ۱۴:۳۰"
    # 21:00 UTC is already the next Jalali day in Tehran.
    assert format_datetime(dt.datetime(2026, 11, 21, 21, 0), TEHRAN) == "۱۴۰۵/۰۹/۰۱ ۰۰:۳۰"


def test_datetime_defaults_to_system_zone(tehran_local):
    late_utc = dt.datetime(2026, 11, 21, 21, 0)
    assert format_datetime(late_utc) == "۱۴۰۵/۰۹/۰۱ ۰۰:۳۰"
    assert format_date(late_utc) == "۱۴۰۵/۰۹/۰۱"  # same day as format_datetime shows
    assert fiscal_year(dt.datetime(2026, 3, 20, 21, 0)) == 1405  # Nowruz already in Tehran


@pytest.mark.parametrize(
    "text",
    [
        "1405/09/01",
        "۱۴۰۵/۰۹/۰۱",
        "۱۴۰۵/۹/۱",
        "1405-09-01",
        "١٤٠٥/٠٩/٠١",
        "1405.9.1",
        " 1405 / 9 / 1 ",
    ],
)
def test_parse_date_forms(text):
    assert parse_date(text) == D(2026, 11, 22)


def test_leap_years():
    assert parse_date("1403/12/30") == D(2025, 3, 20)
    with pytest.raises(ValidationError) as err:
        parse_date("1404/12/30")
    assert err.value.message == "تاریخ نامعتبر است"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "1405/13/01",
        "1405/07/31",
        "1405/00/10",
        "1405/09/00",
        "1405/09",
        "05/09/01",
        "1405/09-01",
        "14050901",
        "فردا",
        "2025/03/21",
    ],
)
def test_parse_date_rejects(text):
    with pytest.raises(ValidationError) as err:
        parse_date(text)
    assert "تاریخ" in err.value.message or "سال" in err.value.message


def test_fiscal_year():
    assert fiscal_year(D(2025, 3, 20)) == 1403
    assert fiscal_year(D(2025, 3, 21)) == 1404
    assert fiscal_year_bounds(1403) == (
        D(2024, 3, 20),
        D(2025, 3, 20),
    )  # leap: 366 days
    assert fiscal_year_bounds(1404) == (D(2025, 3, 21), D(2026, 3, 20))


def test_week():
    saturday = D(2025, 11, 22)
    for offset in range(7):
        assert week_start(saturday + dt.timedelta(days=offset)) == saturday
    assert week_start(saturday - dt.timedelta(days=1)) == saturday - dt.timedelta(days=7)
    assert is_weekend(D(2025, 11, 28))  # Friday
    assert not is_weekend(D(2025, 11, 29))  # Saturday
    assert WEEKDAY_NAMES[0] == "شنبه" and WEEKDAY_NAMES[6] == "جمعه" and len(WEEKDAY_NAMES) == 7


def test_months():
    assert month_name(1) == "فروردین" and month_name(9) == "آذر" and month_name(12) == "اسفند"
    assert len(MONTH_NAMES) == 12
    with pytest.raises(ValueError):
        month_name(13)
    assert month_bounds(1404, 1) == (D(2025, 3, 21), D(2025, 4, 20))  # 31 days
    assert month_bounds(1404, 7) == (D(2025, 9, 23), D(2025, 10, 22))  # 30 days
    assert month_bounds(1404, 12) == (D(2026, 2, 20), D(2026, 3, 20))  # 29 days
    assert month_bounds(1403, 12) == (D(2025, 2, 19), D(2025, 3, 20))  # 30 days (leap)


def test_periods():
    today = D(2025, 11, 22)  # 1404/09/01
    assert this_month(today) == (D(2025, 11, 22), D(2025, 12, 21))
    assert next_month(today) == (D(2025, 12, 22), D(2026, 1, 20))  # Dey
    assert this_quarter(today) == (D(2025, 9, 23), D(2025, 12, 21))  # Mehr..Azar
    esfand = D(2026, 3, 1)  # 1404/12/10
    assert next_month(esfand) == (D(2026, 3, 21), D(2026, 4, 20))  # Farvardin 1405
    assert this_quarter(esfand) == (D(2025, 12, 22), D(2026, 3, 20))  # Dey..Esfand
    assert this_quarter(D(2025, 3, 21)) == (D(2025, 3, 21), D(2025, 6, 21))
    start, end = this_month()
    assert start <= dt.date.today() <= end

"""Whole dates and times as typed into one field (app/persian/typed.py)."""

import datetime as dt

import pytest

from app.persian import ValidationError
from app.persian.typed import parse_typed_date, parse_typed_time

ESFAND_30_1403 = dt.date(2025, 3, 20)
AZAR_1_1405 = dt.date(2026, 11, 22)


@pytest.mark.parametrize("text", ["۱۴۰۳/۱۲/۳۰", "1403/12/30", "14031230", "۱۴۰۳-۱۲-۳۰", "۱۴۰۳٫۱۲٫۳۰", "1403.12.30"])
def test_a_whole_date_in_either_digit_set(text):
    assert parse_typed_date(text, AZAR_1_1405) == ESFAND_30_1403


def test_a_year_alone_keeps_the_month_and_day_shown():
    assert parse_typed_date("۱۴۰۴", AZAR_1_1405) == dt.date(2025, 11, 22)  # ۱۴۰۴/۰۹/۰۱


@pytest.mark.parametrize("text", ["1404/12/30", "14041230", "1403/12", "140312", "1403/13/01", "۱۴۰۳/x/۱", ""])
def test_an_impossible_or_partial_date_is_refused(text):
    with pytest.raises(ValidationError, match="تاریخ نامعتبر است"):
        parse_typed_date(text, AZAR_1_1405)


@pytest.mark.parametrize("text", ["۱۱:۳۰", "1130", "11.30", "۱۱۳۰", "11:30", "۱۱٫۳۰"])
def test_a_time_in_either_digit_set(text):
    assert parse_typed_time(text) == dt.time(11, 30)


@pytest.mark.parametrize(("text", "expected"), [("930", dt.time(9, 30)), ("۹", dt.time(9, 0)), ("0:5", dt.time(0, 5))])
def test_short_times(text, expected):
    assert parse_typed_time(text) == expected


@pytest.mark.parametrize("text", ["2400", "11:60", "11:30:00", "12345", "", "۲۵"])
def test_an_impossible_time_is_refused(text):
    with pytest.raises(ValidationError, match="ساعت نامعتبر است"):
        parse_typed_time(text)

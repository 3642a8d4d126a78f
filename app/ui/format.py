"""Display helpers for the widgets: Persian digits, money and Jalali dates."""

from __future__ import annotations

import datetime as dt

from app.persian import format_date, format_datetime, format_number, format_time, format_weekday_time, to_persian_digits


def digits(value: str | None) -> str:
    return to_persian_digits(value) if value else ""


def number(value: int | None) -> str:
    return "" if value is None else format_number(value)


def date(value: dt.date | None) -> str:
    return format_date(value) if value else ""


def datetime(value: dt.datetime | None) -> str:
    return format_datetime(value) if value else ""


def time(value: dt.datetime | None) -> str:
    return format_time(value) if value else ""


def weekday_time(value: dt.datetime | None) -> str:
    return format_weekday_time(value) if value else ""


def percent(value: int | None) -> str:
    return "" if value is None else f"{format_number(value)}٪"

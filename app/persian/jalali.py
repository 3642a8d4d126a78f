"""Jalali (Solar Hijri) calendar at the UI/print edge.

The database stores Gregorian dates and UTC datetimes; everything here turns
them into what an Iranian user reads (Persian digits, Jalali months, weeks
starting on Saturday) and back.  jdatetime does the calendar arithmetic; it
prints Latin digits, so its output is passed through `to_persian_digits`.
"""

import datetime as dt
import re

import jdatetime

from .errors import ValidationError
from .text import to_ascii_digits, to_persian_digits

WEEKDAY_NAMES: tuple[str, ...] = tuple(jdatetime.date.j_weekdays_fa)  # شنبه … جمعه
MONTH_NAMES: tuple[str, ...] = tuple(jdatetime.date.j_months_fa)  # فروردین … اسفند

# Years outside this window are almost surely a Gregorian year typed into a
# Jalali field (2025/03/21 would otherwise be accepted as Jalali year 2025).
_MIN_YEAR, _MAX_YEAR = 1200, 1699
_DATE_RE = re.compile(r"([0-9]{4})\s*([/\-.])\s*([0-9]{1,2})\s*\2\s*([0-9]{1,2})")

Period = tuple[dt.date, dt.date]


def _local(value: dt.datetime, tz: dt.tzinfo | None = None) -> dt.datetime:
    """UTC (aware, or naive as stored in the DB) → local time (system zone if tz is None)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(tz)


def _jdate(d: dt.date) -> jdatetime.date:
    # A datetime is a UTC instant: its Jalali day is the *local* day, as shown
    # by format_datetime.
    if isinstance(d, dt.datetime):
        d = _local(d).date()
    return jdatetime.date.fromgregorian(date=d)


def format_date(d: dt.date | None) -> str:
    """2026-11-22 → «۱۴۰۵/۰۹/۰۱»; None → "".

    A datetime is taken as a UTC instant and shown as its local day, matching
    `format_datetime`.
    """
    if d is None:
        return ""
    return to_persian_digits(_jdate(d).strftime("%Y/%m/%d"))


def format_long(d: dt.date) -> str:
    """2026-11-22 → «یک‌شنبه ۱ آذر ۱۴۰۵» (jdatetime's weekday names keep the ZWNJ)."""
    j = _jdate(d)
    text = f"{WEEKDAY_NAMES[j.weekday()]} {j.day} {MONTH_NAMES[j.month - 1]} {j.year}"
    return to_persian_digits(text)


def format_datetime(value: dt.datetime, tz: dt.tzinfo | None = None) -> str:
    """UTC datetime → local «۱۴۰۵/۰۹/۰۱ ۱۴:۳۰»; naive input is taken as UTC."""
    local = _local(value, tz)
    j = jdatetime.date.fromgregorian(date=local.date())
    return to_persian_digits(f"{j.strftime('%Y/%m/%d')} {local:%H:%M}")


def format_time(value: dt.datetime, tz: dt.tzinfo | None = None) -> str:
    """UTC datetime → local «۱۴:۳۰»; naive input is taken as UTC."""
    return to_persian_digits(f"{_local(value, tz):%H:%M}")


def format_weekday_time(value: dt.datetime, tz: dt.tzinfo | None = None) -> str:
    """UTC datetime → local «شنبه ۱۴:۳۰»: a moment within the coming week."""
    local = _local(value, tz)
    weekday = WEEKDAY_NAMES[jdatetime.date.fromgregorian(date=local.date()).weekday()]
    return to_persian_digits(f"{weekday} {local:%H:%M}")


def parse_date(s: str) -> dt.date:
    """«۱۴۰۵/۹/۱», «1405-09-01», «١٤٠٥.٠٩.٠١» → the Gregorian date.

    The separator may be / - or . (the same one twice); month and day may be
    unpadded.  Raises ValidationError for bad shape or a day that does not
    exist (1404/12/30; 1403 is leap so 1403/12/30 is fine).
    """
    match = _DATE_RE.fullmatch(to_ascii_digits(s or "").strip())
    if not match:
        raise ValidationError("تاریخ نامعتبر است؛ به شکل ۱۴۰۵/۰۹/۰۱ وارد کنید")
    year, month, day = (int(match.group(i)) for i in (1, 3, 4))
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        raise ValidationError("سال باید شمسی باشد، مثل ۱۴۰۵")
    try:
        return jdatetime.date(year, month, day).togregorian()
    except ValueError:
        raise ValidationError("تاریخ نامعتبر است") from None


def fiscal_year(d: dt.date) -> int:
    """Jalali year: the fiscal year runs from 1 Farvardin to the end of Esfand."""
    return _jdate(d).year


def month_bounds(year: int, month: int) -> Period:
    """First and last Gregorian day of Jalali `year`/`month`."""
    first = jdatetime.date(year, month, 1)
    following = jdatetime.date(year + month // 12, month % 12 + 1, 1)
    return first.togregorian(), following.togregorian() - dt.timedelta(days=1)


def fiscal_year_bounds(year: int) -> Period:
    """Gregorian 1 Farvardin and last day of Esfand of Jalali `year`."""
    return month_bounds(year, 1)[0], month_bounds(year, 12)[1]


def month_name(month: int) -> str:
    """1 → «فروردین» … 12 → «اسفند»."""
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1..12, got {month}")
    return MONTH_NAMES[month - 1]


def week_start(d: dt.date) -> dt.date:
    """The Saturday on or before `d` (the Iranian week starts on Saturday)."""
    return d - dt.timedelta(days=(d.weekday() + 2) % 7)  # Python: Monday=0, Saturday=5


def is_weekend(d: dt.date) -> bool:
    """Friday is the weekend (official holidays are not known here)."""
    return d.weekday() == 4


def this_month(today: dt.date | None = None) -> Period:
    """Bounds of the Jalali month containing `today` (default: the real today)."""
    j = _jdate(today or dt.date.today())
    return month_bounds(j.year, j.month)


def next_month(today: dt.date | None = None) -> Period:
    """Bounds of the Jalali month after the one containing `today`."""
    j = _jdate(today or dt.date.today())
    return month_bounds(j.year + j.month // 12, j.month % 12 + 1)


def this_quarter(today: dt.date | None = None) -> Period:
    """Bounds of the Jalali quarter (months 1-3, 4-6, 7-9, 10-12) containing `today`."""
    j = _jdate(today or dt.date.today())
    first_month = (j.month - 1) // 3 * 3 + 1
    start, _ = month_bounds(j.year, first_month)
    _, end = month_bounds(j.year, first_month + 2)
    return start, end


def this_week(today: dt.date | None = None) -> Period:
    """Saturday to Friday of the Iranian week containing `today`."""
    start = week_start(today or dt.date.today())
    return start, start + dt.timedelta(days=6)


def last_month(today: dt.date | None = None) -> Period:
    """Bounds of the Jalali month before the one containing `today` (Esfand of the year before in Farvardin)."""
    return this_month(this_month(today)[0] - dt.timedelta(days=1))

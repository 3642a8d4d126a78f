"""Dates and times as a person types them into one field, in either digit set.

A date: «۱۴۰۳/۱۲/۳۰», «1403-12-30», «14031230», or a year alone («۱۴۰۳») which keeps the month and
day already in the field. A time: «۱۱:۳۰», «11.30», «1130», «930», or an hour alone («۹»).
"""

from __future__ import annotations

import datetime as dt
import re

import jdatetime

from .errors import ValidationError
from .jalali import parse_date
from .text import to_ascii_digits

INVALID_DATE = "تاریخ نامعتبر است"
INVALID_TIME = "ساعت نامعتبر است"

# Separators a person may type between parts: slash, hyphen, dot, the Persian decimal and
# thousands separators (a Persian keyboard's «/» key gives one of them), colon and space.
SEPARATORS = "/-.٫٬:\\ "
_SPLIT = re.compile(f"[{re.escape(SEPARATORS)}]+")


def _parts(text: str) -> list[str]:
    return [part for part in _SPLIT.split(to_ascii_digits(text).strip()) if part]


def parse_typed_date(text: str, current: dt.date) -> dt.date:
    """The date typed; raises ValidationError («تاریخ نامعتبر است» …) for a shape or day that is not."""
    parts = _parts(text)
    if not all(part.isdigit() for part in parts):
        raise ValidationError(INVALID_DATE)
    if len(parts) == 1 and len(parts[0]) == 8:
        year, month, day = parts[0][:4], parts[0][4:6], parts[0][6:]
    elif len(parts) == 1 and len(parts[0]) == 4:
        shown = jdatetime.date.fromgregorian(date=current)
        year, month, day = parts[0], str(shown.month), str(shown.day)
    elif len(parts) == 3:
        year, month, day = parts
    else:
        raise ValidationError(INVALID_DATE)
    return parse_date(f"{year}/{month}/{day}")


def parse_typed_time(text: str) -> dt.time:
    """The clock time typed; raises ValidationError («ساعت نامعتبر است») for anything else."""
    parts = _parts(text)
    if not parts or not all(part.isdigit() for part in parts):
        raise ValidationError(INVALID_TIME)
    if len(parts) == 1 and len(parts[0]) in (3, 4):
        hour, minute = parts[0][:-2], parts[0][-2:]
    elif len(parts) == 1 and len(parts[0]) <= 2:
        hour, minute = parts[0], "0"
    elif len(parts) == 2 and len(parts[0]) <= 2 and len(parts[1]) <= 2:
        hour, minute = parts
    else:
        raise ValidationError(INVALID_TIME)
    if not (0 <= int(hour) <= 23 and 0 <= int(minute) <= 59):
        raise ValidationError(INVALID_TIME)
    return dt.time(int(hour), int(minute))

"""Persian core of Peyvand: text, numbers/money, Jalali dates and validators.

Pure Python (no Qt, no database) so it can be used by the UI, the PDF
printer, importers and tests alike.  Import from here, e.g.
`from app.persian import format_money, parse_date, national_code`.
"""

from . import validators
from .errors import ValidationError
from .jalali import (
    MONTH_NAMES,
    WEEKDAY_NAMES,
    fiscal_year,
    fiscal_year_bounds,
    format_date,
    format_datetime,
    format_long,
    format_time,
    format_weekday_time,
    is_weekend,
    month_bounds,
    month_name,
    next_month,
    parse_date,
    this_month,
    this_quarter,
    week_start,
)
from .numbers import (
    MAX_RIALS,
    MoneyUnit,
    amount_in_words,
    check_money,
    format_money,
    format_number,
    parse_money,
    parse_number,
)
from .sort import sort_key
from .text import normalize_text, search_key, to_ascii_digits, to_persian_digits

__all__ = [
    "MAX_RIALS",
    "MONTH_NAMES",
    "WEEKDAY_NAMES",
    "MoneyUnit",
    "ValidationError",
    "amount_in_words",
    "check_money",
    "fiscal_year",
    "fiscal_year_bounds",
    "format_date",
    "format_datetime",
    "format_time",
    "format_weekday_time",
    "format_long",
    "format_money",
    "format_number",
    "is_weekend",
    "month_bounds",
    "month_name",
    "next_month",
    "normalize_text",
    "parse_date",
    "parse_money",
    "parse_number",
    "search_key",
    "sort_key",
    "this_month",
    "this_quarter",
    "to_ascii_digits",
    "to_persian_digits",
    "validators",
    "week_start",
]

"""Integer and money formatting/parsing for Persian UI and print.

Money is always an `int` number of Rial (the unit of official invoices); Toman
exists only at the display/input edge.  Floats are refused outright so a
rounding error can never reach an invoice.

Display uses Persian digits and the CLDR `fa` group separator «٬» (U+066C).
Negative numbers get an ASCII hyphen-minus: it is what users type, what
`parse_number` reads back, and it survives copy-paste into spreadsheets.
Inside RTL text the caller should isolate the number (LRI … PDI) so the sign
stays on the left.
"""

import enum
import re

from persiantools.digits import OutOfRangeException, to_word

from .errors import ValidationError
from .text import to_ascii_digits, to_persian_digits

GROUP_SEPARATOR = "\u066c"  # «٬»

# The largest amount anywhere in Peyvand: 10^15 − 1 Rial (just under a thousand trillion), the most
# that `amount_in_words` can write and far below the 64-bit columns (≈9.2×10^18), so no sum of a
# few thousand such amounts overflows the database.  Every field and service refuses beyond it.
MAX_RIALS = 10**15 - 1

# Accepted between digit groups on input: comma, Arabic thousands separator,
# Arabic comma, full stop, and any whitespace (NBSP included).
_SEPARATORS = ",\u066c\u060c. \u00a0\u202f\t"
_DECIMAL_MARK = "\u066b"  # «٫» is only ever a decimal point, never grouping.
_GROUPED = re.compile(rf"[0-9]{{1,3}}(?:[{re.escape(_SEPARATORS)}][0-9]{{3}})+")
_PLAIN = re.compile(r"[0-9]+")
_MINUS_SIGNS = "-\u2212"  # hyphen-minus and «−» MINUS SIGN


class MoneyUnit(enum.Enum):
    RIAL = "ریال"
    TOMAN = "تومان"


# Unit words recognised at the end of money input; «﷼» is the Rial sign.
_UNIT_WORDS = {
    "ریال": MoneyUnit.RIAL,
    "\ufdfc": MoneyUnit.RIAL,
    "تومان": MoneyUnit.TOMAN,
}


def _require_int(n: object) -> int:
    # bool is an int subclass, but True as an amount is always a bug.
    if not isinstance(n, int) or isinstance(n, bool):
        raise TypeError(f"expected int, got {type(n).__name__}")
    return n


def format_number(n: int) -> str:
    """-1200 → «-۱٬۲۰۰»: Persian digits, «٬» every three digits."""
    return to_persian_digits(f"{_require_int(n):,}").replace(",", GROUP_SEPARATOR)


def parse_number(s: str) -> int:
    """Read an integer typed with Persian, Arabic or Latin digits.

    Separators `, ٬ ، .` and spaces are accepted only between correct groups
    of three («۱٬۲۰۰٬۰۰۰», «1.200.000», «1 200»), so a decimal such as
    «12.5» or «۱۲٫۵», or a typo such as «12,34», is rejected instead of being
    silently read as a different number.  A leading sign is allowed.
    """
    text = to_ascii_digits(s).strip()
    sign = 1
    if text and text[0] in "+" + _MINUS_SIGNS:
        sign = -1 if text[0] in _MINUS_SIGNS else 1
        text = text[1:].lstrip()
    if not text:
        raise ValidationError("عددی وارد نشده است")
    if _DECIMAL_MARK in text or (not _GROUPED.fullmatch(text) and "." in text):
        raise ValidationError("عدد باید صحیح و بدون اعشار باشد")
    if not (_PLAIN.fullmatch(text) or _GROUPED.fullmatch(text)):
        raise ValidationError("عدد نامعتبر است")
    return sign * int(re.sub(r"\D", "", text))


def _in_unit(rial: int, unit: MoneyUnit) -> int:
    """Rial amount expressed in `unit`.

    Toman truncates toward zero (not floor): -15 Rial shows as -1 Toman, the
    mirror of 15 → 1, so a refund and its sale show the same magnitude.
    """
    rial = _require_int(rial)
    if unit is MoneyUnit.RIAL:
        return rial
    toman = abs(rial) // 10
    return -toman if rial < 0 else toman


def format_money(rial: int, unit: MoneyUnit = MoneyUnit.RIAL, with_unit: bool = True) -> str:
    """8470000 → «۸٬۴۷۰٬۰۰۰ ریال», or «۸۴۷٬۰۰۰ تومان» for Toman.

    Toman drops the last Rial digit (truncation toward zero), so it is for
    display only; totals must be computed in Rial.
    """
    amount = _in_unit(rial, unit)
    text = format_number(amount)
    return f"{text} {unit.value}" if with_unit else text


def parse_money(s: str, unit: MoneyUnit = MoneyUnit.RIAL) -> int:
    """Read an amount and return Rial.

    `unit` says what a bare number means (Toman input is multiplied by 10).  A
    unit word typed at the end («… تومان», «… ریال», «﷼») is explicit and
    wins over `unit`, so text produced by `format_money` always reads back.
    """
    text = s.strip()
    for word, word_unit in _UNIT_WORDS.items():
        if text.endswith(word):
            text, unit = text[: -len(word)], word_unit
            break
    amount = parse_number(text)
    return amount * 10 if unit is MoneyUnit.TOMAN else amount


def check_money(rial: int) -> int:
    """`rial` itself; raises ValidationError beyond ±MAX_RIALS (for fields: the parser reads any size)."""
    if abs(_require_int(rial)) > MAX_RIALS:
        raise ValidationError(f"مبلغ بیش از سقف مجاز ({format_money(MAX_RIALS)}) است")
    return rial


def amount_in_words(rial: int, unit: MoneyUnit = MoneyUnit.RIAL) -> str:
    """8470000 → «هشت میلیون و چهارصد و هفتاد هزار ریال».

    Uses persiantools' cheque style («یک هزار», «یکصد»); 0 gives «صفر ریال»
    and negatives start with «منفی».  Toman is truncated like `format_money`.
    """
    amount = _in_unit(rial, unit)
    try:
        words = to_word(amount)
    except OutOfRangeException:
        # persiantools stops below 10^15 (a thousand trillion).
        raise ValidationError("مبلغ برای نوشتن به حروف بیش از حد بزرگ است") from None
    return f"{words} {unit.value}"

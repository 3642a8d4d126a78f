"""Validators for Iranian identifiers and contact data.

Each validator takes raw user input (Persian/Arabic/Latin digits, spaces,
dashes, stray direction marks from copy-paste), returns the NORMALISED value
to store, or raises `ValidationError` with a Persian message.  Blank input
raises too: optional fields should skip validation when empty.

Soft problems that must not block saving (the postal-code heuristic) are
reported by separate `*_warning` functions returning a message or None.

The algorithms and vectors are in shared/design/iran-rules.md §3; the small
checksums are written out here rather than taken from persian-tools, which is
unmaintained and too lenient (it accepts 1111111111 and mobiles of any length).
"""

import re

from .errors import ValidationError
from .text import to_ascii_digits

# Spaces, dashes and the invisible marks (ZWNJ, LRM/RLM, bidi embeddings and
# isolates) that come along when a number is copied out of RTL text.
_IGNORED = re.compile(r"[\s\-\u2010-\u2015\u2212\u200c-\u200f\u202a-\u202e\u2066-\u2069]")
_DIGITS = re.compile("[0-9]+")
_LEGAL_ID_COEFFICIENTS = (29, 27, 23, 19, 17, 29, 27, 23, 19, 17)
_POSTAL_HEURISTIC = re.compile(r"(?!(\d)\1{3})[13-9]{4}[1346-9][013-9]{5}")
# Mobile prefixes in use are 090-094 and 099 (persian-tools operator table);
# 095-098 are not assigned, which also rejects 0980… look-alikes.
_MOBILE = re.compile(r"(?:\+98|0098|98|0)?(9[0-49][0-9]{8})")
_EMAIL = re.compile(
    r"(?P<local>[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*)"
    r"@(?P<domain>(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63})"
)


def _clean(s: str | None) -> str:
    return _IGNORED.sub("", to_ascii_digits(s or ""))


def _digits(s: str | None, what: str) -> str:
    """The ASCII digits of `s`; `what` names the field in the messages."""
    text = _clean(s)
    if not text:
        raise ValidationError(f"{what} وارد نشده است")
    if not _DIGITS.fullmatch(text):
        raise ValidationError(f"{what} فقط باید شامل رقم باشد")
    return text


def _repeated(code: str) -> bool:
    # Repdigits pass some checksums (1111111111, 33333333333) but are never issued.
    return len(set(code)) == 1


def national_code(s: str | None) -> str:
    """کد ملی: 10 digits (8-9 digits are zero-padded, as persian-tools does)."""
    code = _digits(s, "کد ملی")
    if len(code) in (8, 9):
        code = code.zfill(10)
    if len(code) != 10:
        raise ValidationError("کد ملی باید ۱۰ رقم باشد")
    remainder = sum(int(code[i]) * (10 - i) for i in range(9)) % 11
    check = remainder if remainder < 2 else 11 - remainder
    if code[3:9] == "000000" or _repeated(code) or int(code[9]) != check:
        raise ValidationError("کد ملی معتبر نیست")
    return code


def _legal_id_ok(code: str) -> bool:
    if code[3:9] == "000000" or _repeated(code):
        return False
    shift = int(code[9]) + 2
    total = sum((int(c) + shift) * k for c, k in zip(code[:10], _LEGAL_ID_COEFFICIENTS, strict=True))
    return total % 11 % 10 == int(code[10])  # a remainder of 10 counts as 0


def legal_id(s: str | None) -> str:
    """شناسه ملی of a legal entity: exactly 11 digits (no padding) with checksum."""
    code = _digits(s, "شناسه ملی")
    if len(code) != 11:
        raise ValidationError("شناسه ملی باید ۱۱ رقم باشد")
    if not _legal_id_ok(code):
        raise ValidationError("شناسه ملی معتبر نیست")
    return code


def economic_code(s: str | None) -> str:
    """کد اقتصادی: 11 digits (a شناسه ملی, checksummed), 12 (old scheme) or 14 digits.

    The 12- and 14-digit forms have no public checksum, so only length is checked.
    """
    code = _digits(s, "کد اقتصادی")
    if len(code) not in (11, 12, 14):
        raise ValidationError("کد اقتصادی باید ۱۱، ۱۲ یا ۱۴ رقم باشد")
    if len(code) == 11 and not _legal_id_ok(code):
        raise ValidationError("کد اقتصادی معتبر نیست")
    return code


def postal_code(s: str | None) -> str:
    """کد پستی: exactly 10 digits (the only hard rule; see postal_code_warning)."""
    code = _digits(s, "کد پستی")
    if len(code) != 10:
        raise ValidationError("کد پستی باید ۱۰ رقم باشد")
    return code


def postal_code_warning(s: str | None) -> str | None:
    """A Persian warning if a valid postal code fails the usual pattern, else None.

    The pattern (no 0 or 2 in the first five digits, no 5 as the fifth, no 2
    in the last five, first four not identical) is folklore, not an official
    checksum, so it must not block saving.  Raises like `postal_code` if the
    hard rule fails: call it after validating.
    """
    if _POSTAL_HEURISTIC.fullmatch(postal_code(s)):
        return None
    return "این کد پستی با الگوی معمول کدهای پستی ایران جور نیست؛ لطفاً دوباره بررسی کنید"


def mobile(s: str | None) -> str:
    """Iranian mobile in any usual form (+98, 0098, 98, 0 or no prefix) → «09xxxxxxxxx»."""
    text = _clean(s)
    if not text:
        raise ValidationError("شماره موبایل وارد نشده است")
    match = _MOBILE.fullmatch(text)
    if not match:
        raise ValidationError("شماره موبایل معتبر نیست")
    return "0" + match.group(1)


def email(s: str | None) -> str:
    """Trimmed address with the domain lower-cased (the local part is case-sensitive by RFC)."""
    text = to_ascii_digits((s or "").strip())
    if not text:
        raise ValidationError("ایمیل وارد نشده است")
    match = _EMAIL.fullmatch(text)
    if not match or len(text) > 254:
        raise ValidationError("ایمیل معتبر نیست")
    return f"{match['local']}@{match['domain'].lower()}"


def iban(s: str | None) -> str:
    """شماره شبا → compact «IR…» (26 characters).

    Lower-case input is accepted (upper-cased first), and the 24 digits alone
    get «IR» prepended, since banking apps often print «IR» apart from the
    digits.  Only Iranian IBANs are accepted: the field is a Sheba number.
    """
    text = _clean(s).upper()
    if not text:
        raise ValidationError("شماره شبا وارد نشده است")
    if _DIGITS.fullmatch(text) and len(text) == 24:
        text = "IR" + text
    if not text.startswith("IR") or len(text) != 26:
        raise ValidationError("شماره شبا باید IR و ۲۴ رقم باشد")
    # schwifty loads its bank registry on import (~70 ms): only when an IBAN is checked.
    from schwifty import IBAN
    from schwifty.exceptions import SchwiftyException

    try:
        return IBAN(text).compact
    except SchwiftyException:
        raise ValidationError("شماره شبا معتبر نیست") from None


def bank_card(s: str | None) -> str:
    """شماره کارت: 16 digits passing the Luhn check."""
    card = _digits(s, "شماره کارت")
    if len(card) != 16:
        raise ValidationError("شماره کارت باید ۱۶ رقم باشد")
    # Luhn: double every second digit from the right, subtract 9 when over 9.
    doubled = [int(c) * 2 for c in card[-2::-2]]
    kept = [int(c) for c in card[-1::-2]]
    total = sum(kept) + sum(d - 9 if d > 9 else d for d in doubled)
    if total % 10:
        raise ValidationError("شماره کارت معتبر نیست")
    return card

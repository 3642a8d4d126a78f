"""Persian alphabetical order as a plain string, so a database sorts it by code point.

SQLite (BINARY) and PostgreSQL (the column's COLLATE "C") compare strings code point by code
point, which puts پ چ ژ ک گ after ی. `sort_key` maps a name to a key whose code point order is
the Persian alphabet's: ا(آ) ب پ ت ث ج چ ح خ د ذ ر ز ژ س ش ص ض ط ظ ع غ ف ق ک گ ل م ن و ه ی.

The key has two levels, «primary + " " + secondary»:
- primary: one code per letter (Arabic ي ى ك fold to ی ک; آ أ إ sort as ا, ؤ as و, ة ۀ as ه,
  ئ as ی), digit runs of any script by value, Latin letters (accents and case ignored) after
  Persian, other scripts after Latin. Spaces, ZWNJ, punctuation, symbols, diacritics and
  tatweel are left out, so «کتاب‌ها», «کتاب ها» and «کتابها» sort together.
- secondary: one variant mark per primary unit, breaking ties: ا before آ, lower before upper
  case, «2» before «02».
The space between the levels is below every primary code, so «اب» sorts before «ابا».
Every code is printable and not a control character, so the key passes the write path's text
guard and never holds a character PostgreSQL refuses.
"""

from __future__ import annotations

import unicodedata

ALPHABET = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"
LEVELS = " "  # between the levels: below every primary code
_DIGITS = "#"  # starts a digit run: digits sort before letters
_FIRST_LETTER = 0x40  # ء is «@», ا «A» … ی «`»; Latin a-z (0x61-0x7a) follow
# letter -> (its primary letter, variant mark): the folds and the tie-breaks between them.
_VARIANTS = {
    "آ": ("ا", "1"),
    "أ": ("ا", "2"),
    "إ": ("ا", "3"),
    "ٱ": ("ا", "4"),
    "ي": ("ی", "0"),
    "ى": ("ی", "0"),
    "ئ": ("ی", "1"),
    "ك": ("ک", "0"),
    "ؤ": ("و", "1"),
    "ة": ("ه", "1"),
    "ۀ": ("ه", "2"),
}
_PRIMARY = {letter: chr(_FIRST_LETTER + 1 + i) for i, letter in enumerate(ALPHABET)} | {"ء": chr(_FIRST_LETTER)}
_TATWEEL = "\u0640"  # a letter to Unicode (Lm), only stretching to a reader


def _run_length(n: int) -> str:
    """The length of a digit run as one increasing code that skips the C0/C1 controls."""
    return chr(0x30 + n) if n < 0x4F else chr(0xA0 + n)


def _letter(ch: str) -> tuple[str, str] | None:
    """(primary code, variant mark) of one letter, or None for what the first level ignores."""
    if ch in _VARIANTS:
        base, mark = _VARIANTS[ch]
        return _PRIMARY[base], mark
    if ch in _PRIMARY:
        return _PRIMARY[ch], "0"
    if ch == _TATWEEL or not unicodedata.category(ch).startswith("L"):
        return None
    lower = ch.lower()
    base = unicodedata.normalize("NFD", lower)[0]
    mark = str((lower != ch) + 2 * (base != lower))  # upper case, then accents, break ties
    if base.isascii():
        return base, mark
    return lower, mark  # another script: after Latin, in its own code point order


def sort_key(text: str | None) -> str:
    """The key to ORDER BY for a name (see the module's docstring); "" for no name."""
    if not text:
        return ""
    primary: list[str] = []
    secondary: list[str] = []
    chars = unicodedata.normalize("NFKC", text)
    i = 0
    while i < len(chars):
        ch = chars[i]
        if unicodedata.decimal(ch, None) is not None:
            j = i
            while j < len(chars) and unicodedata.decimal(chars[j], None) is not None:
                j += 1
            digits = "".join(str(unicodedata.decimal(c)) for c in chars[i:j])
            value = digits.lstrip("0") or "0"
            primary.append(_DIGITS + _run_length(len(value)) + value)
            secondary.append(_run_length(len(digits) - len(value)))
            i = j
            continue
        found = _letter(ch)
        if found is not None:
            primary.append(found[0])
            secondary.append(found[1])
        i += 1
    return "".join(primary) + LEVELS + "".join(secondary)

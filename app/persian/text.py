"""Persian text normalisation: one light form for storage, one folded key for search.

Persian text arrives with Arabic code points (ي ى ك, Arabic-Indic digits) from
Arabic keyboards, Windows layouts and copy-paste.  Stored text is fixed only
lightly, so what the user typed (ZWNJ, diacritics, digits) still displays as
typed.  The search key folds everything that users do not consider a
difference, so «علی‌زاده» finds «علي زاده».

`persiantools.characters.ar_to_fa` is deliberately not used: besides ي/ى/ك it
also deletes the kasra after د ب ز ذ ش س only, which would silently edit
stored text and make diacritic handling depend on the preceding letter.
"""

import re

_AR_DIGITS = "٠١٢٣٤٥٦٧٨٩"
_FA_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
_EN_DIGITS = "0123456789"

_TO_ASCII_DIGITS = str.maketrans(_AR_DIGITS + _FA_DIGITS, _EN_DIGITS * 2)
_TO_PERSIAN_DIGITS = str.maketrans(_AR_DIGITS + _EN_DIGITS, _FA_DIGITS * 2)

# Storage: only letters that are *wrong* in Persian, and Arabic-Indic digits.
_STORAGE_MAP = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک"} | dict(zip(_AR_DIGITS, _FA_DIGITS, strict=True)))

# Search: also the optional folds (آ أ إ ؤ ة ۀ), which are real spelling
# variants of the same word; ۀ is folded because its decomposed spelling
# (ه + hamza above) loses the hamza in the key anyway.
_SEARCH_MAP = str.maketrans(
    {
        "ي": "ی",
        "ى": "ی",
        "ك": "ک",
        "آ": "ا",
        "أ": "ا",
        "إ": "ا",
        "ؤ": "و",
        "ة": "ه",
        "ۀ": "ه",
    }
)
# Diacritics U+064B–U+0652 plus the combining maddah/hamza U+0653–U+0655
# (decomposed آ/أ/إ/ؤ), superscript alef U+0670, tatweel U+0640 and the
# invisible joiners and direction marks U+200C–U+200F.
_SEARCH_DROP = re.compile("[\u064b-\u0655\u0670\u0640\u200c-\u200f]")


def to_ascii_digits(s: str) -> str:
    """Persian and Arabic-Indic digits to 0-9; everything else unchanged."""
    return s.translate(_TO_ASCII_DIGITS)


def to_persian_digits(s: str) -> str:
    """ASCII and Arabic-Indic digits to ۰-۹; everything else unchanged."""
    return s.translate(_TO_PERSIAN_DIGITS)


def normalize_text(s: str | None) -> str:
    """Light clean-up for text that will be stored and displayed.

    ي/ى→ی, ك→ک, Arabic-Indic digits → Persian digits (ASCII and Persian
    digits stay as typed).  Whitespace runs inside a line become one space and
    the whole text is trimmed; line breaks (as \\n) and ZWNJ are kept, so
    multi-line notes and «می‌خواهم» survive.
    """
    if not s:
        return ""
    lines = (" ".join(line.split()) for line in s.translate(_STORAGE_MAP).splitlines())
    return "\n".join(lines).strip()


def search_key(s: str | None) -> str:
    """Folded key for matching: store it in an indexed column, apply it to queries.

    Case, letter variants, digits (→ ASCII), diacritics, tatweel, ZWNJ and all
    whitespace are erased, so «علی زاده», «علیزاده» and «علی‌زاده» share a key.
    Casefolding runs first so that no later step can meet an unfolded letter.
    """
    if not s:
        return ""
    folded = _SEARCH_DROP.sub("", s.casefold().translate(_SEARCH_MAP))
    return "".join(to_ascii_digits(folded).split())

"""Persian text for ReportLab: font registration, shaping, bidi and wrapping.

ReportLab draws glyphs left to right and knows neither Arabic joining nor
bidi, so every Persian string is turned into a *visual* string first:

1. small bidi fixes in logical order (see `_prepare`);
2. `arabic_reshaper.reshape` picks the joined presentation forms;
3. python-bidi's LEGACY `bidi.algorithm.get_display` (base direction RTL)
   reorders and mirrors brackets (the new `bidi.get_display` does not mirror).

Wrapping happens in logical order, measuring reshaped widths, and each line is
reordered on its own; reordering a paragraph first would swap its lines.
Results are cached: documents repeat the same labels and units a lot.
"""

from __future__ import annotations

import re
import threading
from decimal import Decimal
from functools import lru_cache

import arabic_reshaper
from arabic_reshaper.letters import LETTERS_ARABIC
from bidi.algorithm import get_display
from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from app.config import resources_dir
from app.persian import format_number, to_persian_digits

FONT = "Vazirmatn"
FONT_BOLD = "Vazirmatn-Bold"

_lock = threading.Lock()
_registered = False

# Any right-to-left letter (Hebrew, Arabic and their presentation forms).
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
# «۸۵A (۲ عدد)»: by the bidi rules the Persian digit after a Latin letter joins
# the Latin run («۸۵A (۲» would read as one left-to-right chunk).  A right-to-left
# mark after the Latin run (only where a space or an opening bracket is followed
# by a Persian digit) gives the digit back to the Persian text.
_LATIN_THEN_FA_DIGIT = re.compile(r"(?<=[A-Za-z0-9])(?=[ \t(\[{«]+[\u06f0-\u06f9\u0660-\u0669])")
# «۰۲۱-۸۸۷۷۶۶۵۵», «۰۲۱ ۸۸۷۷ ۶۶۵۵» and «-۱٬۲۰۰» inside Persian text: the hyphen or space
# would split the number into right-to-left pieces drawn in reverse order («۶۶۵۵ ۸۸۷۷ ۰۲۱»);
# a left-to-right embedding keeps it whole.
_DASHED_NUMBER = re.compile(
    r"-?[0-9\u06f0-\u06f9\u0660-\u0669]+(?:(?:[-/.\u066b\u066c,]| (?=[0-9\u06f0-\u06f9\u0660-\u0669]))"
    r"[0-9\u06f0-\u06f9\u0660-\u0669]+)*"
)
# A bare number (amounts, quantities): one left-to-right run whatever the context.
_NUMBER = re.compile("-?[0-9\u06f0-\u06f9\u0660-\u0669][0-9\u06f0-\u06f9\u0660-\u0669\u066b\u066c,.]*")
# Legacy python-bidi asserts on isolates (LRI/RLI/FSI/PDI) pasted into user text.
_ISOLATES = re.compile("[\u2066-\u2069]")
_MARKS = re.compile("[\u200e\u200f\u202a-\u202e]")
_LRE, _PDF, _RLM = "\u202a", "\u202c", "\u200f"


class _FrozenConfig(dict):
    """arabic_reshaper re-reads five booleans through configparser on every call,
    which is most of its run time; a plain dict with the same two getters is not."""

    def getboolean(self, key: str) -> bool | None:
        return self.get(key.lower())  # configparser lower-cases names; None if missing


def _make_reshaper() -> arabic_reshaper.ArabicReshaper:
    reshaper = arabic_reshaper.ArabicReshaper()
    _ = reshaper._ligatures_re  # compiled once from the real configuration (cached property)
    config = reshaper.configuration
    frozen = _FrozenConfig()
    for key in config:
        try:
            frozen[key] = config.getboolean(key)
        except ValueError:
            frozen[key] = config.get(key)
    reshaper.configuration = frozen
    return reshaper


_reshaper_call = _make_reshaper().reshape
# Presentation forms Vazirmatn lacks (for Persian only «ۀ» isolated, U+FBA4) → the base
# letter, whose default glyph is that same isolated shape.  Filled by `register_fonts`.
_FALLBACK: dict[int, int] = {}


def _reshape(text: str) -> str:
    register_fonts()
    return _reshaper_call(text).translate(_FALLBACK)


# Strings of Arabic-script letters, spaces and plain punctuation need no bidi
# algorithm: every character resolves right to left, so the visual order is the
# reverse.  Digits, Latin, brackets and quotes («») take the full algorithm.
_PLAIN_RTL = re.compile(
    "[\u0621-\u063a\u0641-\u064a\u067e\u0686\u0698\u06a9\u06af\u06cc\u06c0"
    "\ufb50-\ufdff\ufe70-\ufefc \u200c.:\u060c\u061b\u061f!]*"
)


def register_fonts() -> None:
    """Register Vazirmatn regular and bold with ReportLab (once per process)."""
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        # Binary (Flate-only) streams: ASCII85 on top costs ~10 ms per invoice and 25% in size,
        # and nothing here needs a 7-bit-clean PDF.  A process-wide ReportLab setting.
        rl_config.useA85 = 0
        fonts = resources_dir() / "fonts"
        regular = TTFont(FONT, str(fonts / "Vazirmatn-Regular.ttf"))
        bold = TTFont(FONT_BOLD, str(fonts / "Vazirmatn-Bold.ttf"))
        pdfmetrics.registerFont(regular)
        pdfmetrics.registerFont(bold)
        covered = set(regular.face.charToGlyph) & set(bold.face.charToGlyph)
        for letter, forms in LETTERS_ARABIC.items():
            for form in forms:
                if form and ord(form) not in covered and ord(letter) in covered:
                    _FALLBACK[ord(form)] = ord(letter)
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)
        _registered = True


def is_rtl(text: str) -> bool:
    """True if `text` has a right-to-left letter (and so needs shaping)."""
    return _RTL.search(text) is not None


def _isolate_dashed(match: re.Match[str]) -> str:
    number = match.group()
    # The marks around the embedding stop legacy python-bidi from merging it with a
    # neighbouring number across «، » («۱-۲، ۳-۴» must not read as one run).
    return f"{_RLM}{_LRE}{number}{_PDF}{_RLM}" if "-" in number or " " in number else number


def _prepare(text: str) -> str:
    text = _ISOLATES.sub("", text)
    text = _LATIN_THEN_FA_DIGIT.sub(_RLM, text)
    return _DASHED_NUMBER.sub(_isolate_dashed, text)


class Shaped(str):
    """A visual line (what `shape` returns) that remembers the logical line it was shaped
    from: the drawing code writes that as the line's /ActualText (search and copy)."""

    logical: str

    def __new__(cls, visual: str, logical: str) -> Shaped:
        line = super().__new__(cls, visual)
        line.logical = logical
        return line


@lru_cache(maxsize=8192)
def shape(text: str) -> str:
    """One logical line → the visual string to draw (joined forms, RTL order, mirrored brackets).

    Text without right-to-left letters is returned unchanged, so numbers,
    codes and Latin names are drawn as they are; anything else comes back as a
    `Shaped` string carrying `text` as its `.logical`.
    """
    if not is_rtl(text) or _NUMBER.fullmatch(text):
        return text
    if _PLAIN_RTL.fullmatch(text):
        return Shaped(_reshape(text).replace("\u200c", "")[::-1], text)
    visual = get_display(_reshape(_prepare(text)), base_dir="R")
    return Shaped(_MARKS.sub("", visual), text)


@lru_cache(maxsize=8192)
def _word_width(word: str, font: str, size: float) -> float:
    return pdfmetrics.stringWidth(_reshape(word) if is_rtl(word) else word, font, size)


def text_width(text: str, font: str, size: float) -> float:
    """Drawn width of one logical line."""
    return pdfmetrics.stringWidth(shape(text), font, size)


def _break_word(word: str, font: str, size: float, width: float) -> list[str]:
    """Split a word wider than `width` (a long code or URL) at character boundaries."""
    pieces, current = [], ""
    for ch in word:
        if current and _word_width(current + ch, font, size) > width:
            pieces.append(current)
            current = ch
        else:
            current += ch
    return [*pieces, current]


@lru_cache(maxsize=4096)
def _wrap_logical(text: str, font: str, size: float, width: float) -> tuple[str, ...]:
    space = pdfmetrics.stringWidth(" ", font, size)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current: list[str] = []
        current_width = 0.0
        for word in paragraph.split():
            word_width = _word_width(word, font, size)
            if word_width > width:
                if current:
                    lines.append(" ".join(current))
                *full, last = _break_word(word, font, size, width)
                lines.extend(full)
                current, current_width = [last], _word_width(last, font, size)
                continue
            needed = current_width + space + word_width if current else word_width
            if current and needed > width:
                lines.append(" ".join(current))
                current, current_width = [word], word_width
            else:
                current.append(word)
                current_width = needed
        lines.append(" ".join(current))
    while len(lines) > 1 and not lines[-1]:
        lines.pop()
    return tuple(lines)


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Wrap `text` (logical order, `\\n` = hard break) to `width` points.

    Returns visual lines ready to draw (each passed through `shape`), first
    line first.  An empty text gives `[""]`.
    """
    return [shape(line) for line in _wrap_logical(text or "", font, float(size), float(width))]


def format_quantity(quantity: Decimal | int) -> str:
    """2 → «۲», Decimal("2.50") → «۲٫۵», 1500 → «۱٬۵۰۰» (decimal mark «٫»)."""
    if isinstance(quantity, int):
        return format_number(quantity)
    text = format(quantity.normalize(), "f")
    whole, _, fraction = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    result = sign + format_number(abs(int(whole)))
    return f"{result}\u066b{to_persian_digits(fraction)}" if fraction else result


_LATIN = re.compile("[A-Za-z]")


def persian_id(value: str) -> str:
    """Codes, numbers and phones with Persian digits («۰۲۱-۸۸۷۷۶۶۵۵»).

    A value with Latin letters («TRX-88213», «HP-85A») keeps its digits as typed:
    «TRX-۸۸۲۱۳» would be neither Persian nor Latin.
    """
    value = (value or "").strip()
    return value if _LATIN.search(value) else to_persian_digits(value)

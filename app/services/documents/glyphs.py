"""Which characters the printed documents can draw.

ReportLab silently drops a character its font has no glyph for, so an emoji in a product name
vanished from the PDF without a trace. Document lines refuse such characters when saved
(lines.py), with a message naming them, instead of printing something else than was typed.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from app.config import resources_dir

_FONTS = ("Vazirmatn-Regular.ttf", "Vazirmatn-Bold.ttf")
# Invisible characters the shaping removes or that only steer it (ZWNJ, bidi marks) and whitespace.
_IGNORED = {"Cf", "Cc", "Zs", "Zl", "Zp"}


@lru_cache(maxsize=1)
def _covered() -> frozenset[int]:
    from reportlab.pdfbase.ttfonts import TTFontFile  # ReportLab loads only when a document line is checked

    sets = [set(TTFontFile(str(resources_dir() / "fonts" / name)).charToGlyph) for name in _FONTS]
    return frozenset(set.intersection(*sets))


def unprintable(text: str) -> str:
    """The distinct characters of `text` the document font cannot draw, in order («😀❤»)."""
    covered = _covered()
    found = dict.fromkeys(ch for ch in text if ord(ch) not in covered and unicodedata.category(ch) not in _IGNORED)
    return "".join(found)

"""The /ActualText of a drawn line: what a PDF reader gives back when text is searched or copied.

A shaped line is drawn as presentation forms in visual order, so without help
readers return «ﻟﭗﺗﺎﭖ )ﻣﺪﻝ (۲۰۲۵» and lose every ZWNJ.  Marked content
`/Span <</ActualText (...)>> BDC … EMC` replaces the glyphs' text, but poppler
(pdftotext, Evince, Okular) and pdfium (QtPdf, Chromium) both still treat it as
visual text and run their own, much simplified, bidi over each line.  So the
ActualText is the logical line laid out the way both read it back:

- right-to-left pieces (Persian letters with the spaces and plain punctuation
  between them) reversed; both extractors reverse them back;
- left-to-right pieces (a Latin word, a number such as «۱۲٬۳۴۵» or «۱۴۰۴/۱۰/۰۱»,
  a separator such as «:» or «-» that poppler counts as part of a number, a
  bracket) kept in reading order, each one its own piece: pdfium reverses the
  order of the pieces of a left-to-right run while poppler keeps it;
- invisible marks (RLM, LRM) where either extractor would otherwise glue two
  pieces into one run: a bracket is followed by an LRM (pdfium mirrors brackets
  only in a right-to-left run, poppler never does), two left-to-right pieces
  get an RLM between them, and so does a left-to-right piece and following
  spaces.  Readers copy the marks too; pdfium's exact search does not skip them.

A single number or Latin word needs none of this: its glyphs already read right.

pdfium gets a text of its own without marks (`pdfium_text`, in a /P inside the /Span,
which poppler ignores), so copy and search in QtPdf and Chromium give the exact line.
poppler cannot do without them: it puts a neutral that follows a left-to-right run
(«(مدل ۲۰۲۵)», «T-001 در») before that run unless a right-to-left mark comes after it.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

LRM, RLM = "\u200e", "\u200f"
_RTL, _LATIN, _DIGITS, _SEPARATOR, _MIRRORED, _NEUTRAL = "R", "L", "D", "S", "M", "N"
# Bidi classes poppler reads as part of a number (a left-to-right run); pdfium as neutral.
_SEPARATORS = {"CS", "ES", "ET"}
_HYPHENS = "-\u00ad\u2010\u2011"


def _kind(ch: str) -> str:
    bidi = unicodedata.bidirectional(ch)
    if bidi in ("R", "AL"):
        return _RTL
    if bidi == "L":
        return _LATIN
    if bidi in ("EN", "AN"):
        return _DIGITS
    if unicodedata.mirrored(ch):
        return _MIRRORED
    return _SEPARATOR if bidi in _SEPARATORS else _NEUTRAL


def _kinds(text: str) -> list[str]:
    kinds = [_kind(ch) for ch in text]
    for i in range(1, len(text)):
        if unicodedata.bidirectional(text[i]) == "NSM":  # a vowel mark goes with its letter
            kinds[i] = kinds[i - 1]
        # «۱۴۰۴/۱۰/۰۱», «۰۲۱-۸۸۷۷», «2.0»: one number for both extractors.
        elif kinds[i] == _SEPARATOR and kinds[i - 1] == _DIGITS and text[i + 1 : i + 2].isdigit():
            kinds[i] = _DIGITS
    return kinds


def _pieces(text: str) -> list[tuple[bool, str]]:
    """(right_to_left, chars) in reading order."""
    pieces: list[tuple[bool, str]] = []
    previous = ""
    for ch, kind in zip(text, _kinds(text), strict=True):
        rtl = kind in (_RTL, _NEUTRAL)
        # Letters and plain neutrals join a right-to-left piece; a left-to-right piece is one kind.
        if pieces and (pieces[-1][0] if rtl else kind == previous and kind != _MIRRORED):
            pieces[-1] = (rtl, pieces[-1][1] + ch)
        else:
            pieces.append((rtl, ch + LRM if kind == _MIRRORED else ch))
        previous = kind
    return pieces


@lru_cache(maxsize=8192)
def actual_text(logical: str) -> str:
    """The ActualText for one drawn line `logical`; equal to it when no reader reorders it."""
    pieces = _pieces(logical)
    if len(pieces) < 2 and not (pieces and pieces[0][0]):
        return logical  # one number or one Latin word
    laid: list[tuple[bool, str]] = []
    for rtl, chars in pieces:
        if rtl:
            # Leading spaces after a left-to-right piece would join it (poppler).
            if _kind(chars[0]) != _RTL and laid:
                chars = RLM + chars
            laid.append((True, chars))
            continue
        if laid and not laid[-1][0]:
            laid.append((True, RLM))
        laid.append((False, chars))
    if not laid[-1][0]:
        laid.append((True, RLM))  # the next drawn piece on the row must not join this one
    if not pieces[0][0] and pieces[0][1][-1] in _HYPHENS:
        # A row whose rightmost character is «-» reads as a hyphenated line end to both.
        laid.insert(0, (True, RLM))
    return "".join(chars[::-1] if rtl else chars for rtl, chars in reversed(laid))


# pdfium honours /ActualText on any marked content and takes the innermost; poppler only on
# /Span.  So a /P inside the /Span can carry text laid out for pdfium alone, without marks.
_MIRROR = str.maketrans("()[]{}«»<>", ")(][}{»«><")


def _pdfium_class(text: str, i: int) -> str:
    bidi = unicodedata.bidirectional(text[i])
    if bidi == "L":
        return "L"
    if bidi in ("R", "AL"):
        return "R"
    if bidi in ("EN", "AN"):
        return "W"
    # «-001», «2.0», «۱۴۰۴/۰۹/۰۱»: pdfium reads a separator touching a digit as part of the number.
    near = (text[j] for j in (i - 1, i + 1) if 0 <= j < len(text))
    if bidi in _SEPARATORS and any(unicodedata.bidirectional(c) in ("EN", "AN") for c in near):
        return "W"
    return "N"


@lru_cache(maxsize=8192)
def pdfium_text(logical: str) -> str | None:
    """The ActualText pdfium reads back as `logical` in a right-to-left row, or None if that is `logical`.

    pdfium splits a line into segments (left, number, right-to-left, neutral), reads the
    segments of a right-to-left line from the right and reverses (and mirrors) right-to-left
    segments and neutrals that follow one; left-to-right and number segments keep their order."""
    segments: list[list[str]] = []
    for i, ch in enumerate(logical):
        kind = _pdfium_class(logical, i)
        if segments and segments[-1][0] == kind:
            segments[-1][1] += ch
        else:
            segments.append([kind, ch])
    kinds = [kind for kind, _ in segments]
    if kinds.count("L") > max(kinds.count("R"), 1):
        # pdfium sets a row's direction by counting segments: a row of mostly Latin words would
        # read left to right, unless the RLMs of the /Span text (read instead) tip it back.
        return None
    direction, laid = "R", []
    for kind, chars in segments:
        if kind == "R" or (kind == "N" and direction == "R"):
            direction = "R"
            laid.append(chars[::-1].translate(_MIRROR))
        else:
            direction = "L" if kind == "L" else direction
            laid.append(chars)
    laid_out = "".join(reversed(laid))
    return None if laid_out == logical else laid_out

"""Page geometry and a small pen over the ReportLab canvas.

Layout code works top-down (y grows towards the bottom of the page, as one
reads) and right-to-left; `Pen` converts to ReportLab's bottom-left origin and
shapes Persian text on the way.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from .actual_text import actual_text, pdfium_text
from .pdf_text import FONT, FONT_BOLD, Shaped, shape

log = logging.getLogger(__name__)

PAGE_W, PAGE_H = A4
MARGIN_X = 22.0
MARGIN_TOP = 24.0
FOOTER_H = 26.0  # reserved at the bottom of every page for «صفحه ۱ از ۲»
X_LEFT = MARGIN_X
X_RIGHT = PAGE_W - MARGIN_X
CONTENT_W = X_RIGHT - X_LEFT
CONTENT_BOTTOM = PAGE_H - FOOTER_H

LEADING = 1.5  # line height as a multiple of the font size
PAD = 3.0

INK = HexColor("#1a1a1a")
MUTED = HexColor("#555555")
GRID = HexColor("#4d4d4d")
HEAD_FILL = HexColor("#e6e6e6")
BAND_FILL = HexColor("#d4d4d4")
TOTAL_FILL = HexColor("#f0f0f0")


def line_height(size: float) -> float:
    return size * LEADING


def lines_height(count: int, size: float) -> float:
    return max(count, 1) * line_height(size)


@lru_cache(maxsize=8)
def _image(path: str, mtime: float) -> ImageReader | None:  # mtime: re-read a replaced logo
    try:
        return ImageReader(path)
    except Exception:  # a broken logo must not stop printing
        log.warning("logo %s could not be read; printing without it", path, exc_info=True)
        return None


@contextmanager
def actual_text_span(code: list[str], drawn: str) -> Iterator[None]:
    """Wrap what is drawn inside in marked content whose /ActualText readers give back for
    `drawn` (a `shape` result): search and copy get the logical line.  `code` is the operator
    list of a canvas or a text object; ReportLab has no marked-content call of its own."""
    extract = actual_text(drawn.logical if isinstance(drawn, Shaped) else drawn)
    if extract == drawn:  # a number or a Latin code: the glyphs already read right
        yield
        return
    code.append(f"/Span <</ActualText {_utf16(extract)}>> BDC")
    for_pdfium = pdfium_text(drawn.logical if isinstance(drawn, Shaped) else drawn)
    if for_pdfium is not None:
        code.append(f"/P <</ActualText {_utf16(for_pdfium)}>> BDC")  # read by pdfium only
    yield
    code.append("EMC" if for_pdfium is None else "EMC EMC")


def _utf16(text: str) -> str:
    return f"<FEFF{text.encode('utf-16-be').hex().upper()}>"


@lru_cache(maxsize=16384)
def _width(drawn: str, font: str, size: float) -> float:
    return stringWidth(drawn, font, size)


def _merge(segments: list[tuple[float, float, float, float]]) -> list[tuple[float, float, float, float]]:
    """Join collinear touching segments: a table's column rules become one line per page."""
    vertical: dict[float, list[tuple[float, float]]] = defaultdict(list)
    horizontal: dict[float, list[tuple[float, float]]] = defaultdict(list)
    other = []
    for x1, y1, x2, y2 in segments:
        if x1 == x2:
            vertical[round(x1, 3)].append((min(y1, y2), max(y1, y2)))
        elif y1 == y2:
            horizontal[round(y1, 3)].append((min(x1, x2), max(x1, x2)))
        else:
            other.append((x1, y1, x2, y2))
    result = other
    for fixed, spans, is_vertical in [(k, v, True) for k, v in vertical.items()] + [
        (k, v, False) for k, v in horizontal.items()
    ]:
        spans.sort()
        start, end = spans[0]
        for a, b in spans[1:]:
            if a <= end + 0.01:
                end = max(end, b)
                continue
            result.append((fixed, start, fixed, end) if is_vertical else (start, fixed, end, fixed))
            start, end = a, b
        result.append((fixed, start, fixed, end) if is_vertical else (start, fixed, end, fixed))
    return result


class Pen:
    """Top-down drawing helpers; `text*` take logical text and shape it, and mark each
    line with its /ActualText (actual_text.py) so that search and copy read it logically.

    Speed: ReportLab's per-call overhead dominates a long invoice, so strokes
    and text are collected and written once per page by `finish_page`: fills
    first (as drawn), then all rules (collinear pieces merged), then one text
    object with all the strings.  That is also the right stacking order.
    """

    def __init__(self, canvas: Canvas) -> None:
        self.c = canvas
        self._segments: dict[float, list[tuple[float, float, float, float]]] = defaultdict(list)
        self._text = None
        self._font: tuple[str, float] | None = None
        self._color: Color | None = None

    @staticmethod
    def font(bold: bool) -> str:
        return FONT_BOLD if bold else FONT

    def text(
        self,
        x: float,
        baseline: float,
        text: str,
        size: float = 8,
        *,
        bold: bool = False,
        align: str = "right",
        color: Color = INK,
        visual: bool = False,
    ) -> None:
        """Draw one line; `x` is the right edge, the left edge or the centre per `align`."""
        if not text:
            return
        if self._text is None:
            self._text = self.c.beginText()
            self._font = self._color = None
        t = self._text
        font = FONT_BOLD if bold else FONT
        if self._font != (font, size):
            t.setFont(font, size)
            self._font = (font, size)
        if self._color is not color:
            t.setFillColor(color)
            self._color = color
        drawn = text if visual else shape(text)
        if align == "right":
            x -= _width(drawn, font, size)
        elif align != "left":
            x -= _width(drawn, font, size) / 2
        t.setTextOrigin(x, PAGE_H - baseline)
        with actual_text_span(t._code, drawn):
            t.textOut(drawn)

    def lines(
        self,
        left: float,
        top: float,
        width: float,
        height: float,
        lines: list[str],
        size: float,
        *,
        bold: bool = False,
        align: str = "right",
        color: Color = INK,
        pad: float = PAD,
    ) -> None:
        """Visual `lines` (from `wrap`) centred vertically in a box."""
        step = line_height(size)
        first = top + (height - step * len(lines)) / 2 + step / 2 + size * 0.3
        x = {"right": left + width - pad, "left": left + pad}.get(align, left + width / 2)
        for i, line in enumerate(lines):
            self.text(x, first + i * step, line, size, bold=bold, align=align, color=color, visual=True)

    def rect(
        self,
        left: float,
        top: float,
        width: float,
        height: float,
        *,
        fill: Color | None = None,
        stroke: bool = True,
        line_width: float = 0.5,
    ) -> None:
        if fill is not None:
            self.c.setFillColor(fill)
            self.c.rect(left, PAGE_H - top - height, width, height, stroke=0, fill=1)
        if stroke:
            right, bottom = left + width, top + height
            self.hline(left, right, top, line_width)
            self.hline(left, right, bottom, line_width)
            self.vline(left, top, bottom, line_width)
            self.vline(right, top, bottom, line_width)

    def hline(self, left: float, right: float, y: float, line_width: float = 0.5) -> None:
        self._segments[line_width].append((left, PAGE_H - y, right, PAGE_H - y))

    def vline(self, x: float, top: float, bottom: float, line_width: float = 0.5) -> None:
        self._segments[line_width].append((x, PAGE_H - top, x, PAGE_H - bottom))

    def checkbox(self, left: float, top: float, size: float, checked: bool) -> None:
        """A square drawn with lines (Vazirmatn has no ☐/☑ glyphs), ticked if `checked`."""
        self.rect(left, top, size, size, line_width=0.7)
        if checked:
            c = self.c
            c.setLineWidth(1.1)
            c.setStrokeColor(INK)
            path = c.beginPath()
            path.moveTo(left + size * 0.2, PAGE_H - top - size * 0.55)
            path.lineTo(left + size * 0.42, PAGE_H - top - size * 0.8)
            path.lineTo(left + size * 0.82, PAGE_H - top - size * 0.2)
            c.drawPath(path, stroke=1, fill=0)

    def image(self, path: str | Path, left: float, top: float, width: float, height: float) -> bool:
        """Draw an image fitted (aspect kept) and right-aligned in the box; False if unreadable."""
        try:
            mtime = Path(path).stat().st_mtime
        except OSError:
            log.warning("logo %s not found; printing without it", path)
            return False
        reader = _image(str(path), mtime)
        if reader is None:
            return False
        iw, ih = reader.getSize()
        scale = min(width / iw, height / ih)
        w, h = iw * scale, ih * scale
        self.c.drawImage(reader, left + width - w, PAGE_H - top - (height + h) / 2, w, h, mask="auto")
        return True

    def finish_page(self) -> None:
        """Write the page's collected rules and text; call before `showPage`."""
        c = self.c
        c.setStrokeColor(GRID)
        for line_width, segments in sorted(self._segments.items()):
            c.setLineWidth(line_width)
            path = c.beginPath()
            for x1, y1, x2, y2 in _merge(segments):
                path.moveTo(x1, y1)
                path.lineTo(x2, y2)
            c.drawPath(path, stroke=1, fill=0)
        self._segments.clear()
        if self._text is not None:
            c.drawText(self._text)
            self._text = None

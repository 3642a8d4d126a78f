"""Full-width blocks of a printed document, each measured once and drawn at a given top.

A block knows its `height` before it is drawn, so the renderer can paginate
first and then draw pages knowing their count («صفحه ۱ از ۲»).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.colors import Color
from reportlab.pdfgen.canvas import Canvas

from .drawing import (
    BAND_FILL,
    CONTENT_W,
    MUTED,
    PAD,
    PAGE_H,
    PAGE_W,
    X_LEFT,
    X_RIGHT,
    Pen,
    actual_text_span,
    line_height,
)
from .pdf_text import FONT, FONT_BOLD, shape, text_width, wrap

WATERMARK_SIZE = 150.0
WATERMARK_INK = Color(0.55, 0.55, 0.55, alpha=0.22)


def watermark(canvas: Canvas, text: str) -> None:
    """`text` large and diagonal across the page, over everything and see-through (fills and table
    bands would hide it if it were drawn first); call after the page's content."""
    drawn = shape(text)
    # A longer text («فاقد شماره قطعی») is made smaller so that it stays on the page's diagonal.
    size = min(WATERMARK_SIZE, WATERMARK_SIZE * PAGE_H * 0.85 / canvas.stringWidth(drawn, FONT_BOLD, WATERMARK_SIZE))
    canvas.saveState()
    canvas.setFillColor(WATERMARK_INK)
    canvas.setFont(FONT_BOLD, size)
    canvas.translate(PAGE_W / 2, PAGE_H / 2)
    canvas.rotate(52)
    with actual_text_span(canvas._code, drawn):
        canvas.drawCentredString(0, -size * 0.3, drawn)
    canvas.restoreState()


class Block:
    height: float = 0.0

    def draw(self, pen: Pen, top: float) -> None:
        raise NotImplementedError


class Spacer(Block):
    def __init__(self, height: float) -> None:
        self.height = height

    def draw(self, pen: Pen, top: float) -> None:
        pass


class TitleBar(Block):
    """A grey band with a bold centred heading («مشخصات فروشنده»)."""

    SIZE = 8.5

    def __init__(self, title: str) -> None:
        self.title = title
        self.height = line_height(self.SIZE) + 3

    def draw(self, pen: Pen, top: float) -> None:
        pen.rect(X_LEFT, top, CONTENT_W, self.height, fill=BAND_FILL)
        pen.lines(
            X_LEFT,
            top,
            CONTENT_W,
            self.height,
            wrap(self.title, FONT_BOLD, self.SIZE, CONTENT_W),
            self.SIZE,
            bold=True,
            align="center",
        )


@dataclass(frozen=True)
class Field:
    """«label: value» in a grid cell; `weight` is its share of the row width."""

    label: str
    value: str
    weight: float = 1.0
    min_lines: int = 1


class Grid(Block):
    """Rows of label/value cells, optionally under a `TitleBar`, inside a frame."""

    SIZE = 8.0
    GAP = 3.0

    def __init__(self, rows: list[list[Field]], title: str | None = None, *, value_bold: bool = False) -> None:
        self.bar = TitleBar(title) if title else None
        self.value_font = FONT_BOLD if value_bold else FONT
        self.rows: list[tuple[float, list[tuple[float, float, Field, list[str]]]]] = []
        step = line_height(self.SIZE)
        for row in rows:
            total = sum(f.weight for f in row)
            right, cells, row_height = X_RIGHT, [], 0.0
            for f in row:
                width = CONTENT_W * f.weight / total
                label_w = text_width(f"{f.label}:", FONT_BOLD, self.SIZE) if f.label else 0.0
                room = max(width - 2 * PAD - label_w - self.GAP, 20.0)
                lines = wrap(f.value, self.value_font, self.SIZE, room)
                row_height = max(row_height, max(len(lines), f.min_lines) * step + 2 * PAD)
                cells.append((right, width, f, lines))
                right -= width
            self.rows.append((row_height, cells))
        self.height = (self.bar.height if self.bar else 0) + sum(h for h, _ in self.rows)

    def draw(self, pen: Pen, top: float) -> None:
        if self.bar:
            self.bar.draw(pen, top)
            top += self.bar.height
        step = line_height(self.SIZE)
        pen.rect(X_LEFT, top, CONTENT_W, self.height - (self.bar.height if self.bar else 0))
        for n, (row_height, cells) in enumerate(self.rows):
            if n:
                pen.hline(X_LEFT, X_RIGHT, top, 0.3)
            for i, (right, _width, f, lines) in enumerate(cells):
                if i:
                    pen.vline(right, top, top + row_height, 0.3)
                baseline = top + PAD + step / 2 + self.SIZE * 0.3
                x = right - PAD
                if f.label:
                    pen.text(x, baseline, f"{f.label}:", self.SIZE, bold=True)
                    x -= text_width(f"{f.label}:", FONT_BOLD, self.SIZE) + self.GAP
                for k, line in enumerate(lines):
                    pen.text(x, baseline + k * step, line, self.SIZE, bold=self.value_font == FONT_BOLD, visual=True)
            top += row_height


class DocumentHeader(Block):
    """First-page header: logo (right corner), title (centre), number/date box (left corner)."""

    TITLE_SIZE = 15.0
    INFO_SIZE = 8.0
    INFO_W = 165.0
    LOGO_W, LOGO_H = 80.0, 58.0

    def __init__(self, title: str, info: list[tuple[str, str]], logo: str | Path | None) -> None:
        self.title, self.info, self.logo = title, info, logo
        self.row_h = line_height(self.INFO_SIZE) + 3
        self.height = max(self.LOGO_H, self.row_h * len(info)) + 8

    def draw(self, pen: Pen, top: float) -> None:
        if self.logo:
            pen.image(self.logo, X_RIGHT - self.LOGO_W, top, self.LOGO_W, self.LOGO_H)
        body = self.height - 8
        # Centred on the page between the number box and the logo: a long title (a draft's) is set smaller.
        room = 2 * (PAGE_W / 2 - X_LEFT - self.INFO_W - 8)
        size = self.TITLE_SIZE
        while size > 10 and text_width(self.title, FONT_BOLD, size) > room:
            size -= 0.5
        pen.text(PAGE_W / 2, top + body / 2 + size * 0.35, self.title, size, bold=True, align="center")
        box_top = top + (body - self.row_h * len(self.info)) / 2
        pen.rect(X_LEFT, box_top, self.INFO_W, self.row_h * len(self.info))
        for i, (label, value) in enumerate(self.info):
            row_top = box_top + i * self.row_h
            if i:
                pen.hline(X_LEFT, X_LEFT + self.INFO_W, row_top, 0.3)
            baseline = row_top + self.row_h / 2 + self.INFO_SIZE * 0.3
            pen.text(X_LEFT + self.INFO_W - PAD - 1, baseline, f"{label}:", self.INFO_SIZE, bold=True)
            pen.text(X_LEFT + PAD + 1, baseline, value, self.INFO_SIZE, align="left")


class ContinuationHeader(Block):
    """Pages 2+: the title and number on one line, so a loose page is still identified."""

    SIZE = 9.0

    def __init__(self, title: str, summary: str) -> None:
        self.title, self.summary = title, summary
        self.height = line_height(self.SIZE) + 8

    def draw(self, pen: Pen, top: float) -> None:
        baseline = top + line_height(self.SIZE) / 2 + self.SIZE * 0.3
        pen.text(X_RIGHT, baseline, f"{self.title} (ادامه)", self.SIZE, bold=True)
        pen.text(X_LEFT, baseline, self.summary, self.SIZE - 1, align="left", color=MUTED)
        pen.hline(X_LEFT, X_RIGHT, top + line_height(self.SIZE) + 2, 0.6)


class SettlementRow(Block):
    """«شرایط و نحوه فروش: نقدی ☐ غیر نقدی ☐» on the right, «جمع کل (ریال): …» on the left."""

    SIZE = 8.5
    BOX = 7.5

    def __init__(self, cash: bool | None, credit: bool | None, total_label: str, total: str) -> None:
        self.cash, self.credit = cash, credit
        self.total_label, self.total = total_label, total
        self.height = line_height(self.SIZE) + 2 * PAD + 2

    def draw(self, pen: Pen, top: float) -> None:
        pen.rect(X_LEFT, top, CONTENT_W, self.height)
        baseline = top + self.height / 2 + self.SIZE * 0.3
        box_top = top + (self.height - self.BOX) / 2
        x = X_RIGHT - PAD - 1
        if self.cash is not None:
            label = "شرایط و نحوه فروش:"
            pen.text(x, baseline, label, self.SIZE, bold=True)
            x -= text_width(label, FONT_BOLD, self.SIZE) + 10
            for word, checked in (("نقدی", self.cash), ("غیر نقدی", self.credit)):
                pen.text(x, baseline, word, self.SIZE)
                x -= text_width(word, FONT, self.SIZE) + 3 + self.BOX
                pen.checkbox(x, box_top, self.BOX, bool(checked))
                x -= 14
        middle = X_LEFT + CONTENT_W * 0.38
        pen.vline(middle, top, top + self.height, 0.3)
        label = f"{self.total_label}:"
        x = middle - PAD - 2
        pen.text(x, baseline, label, self.SIZE, bold=True)
        x -= text_width(label, FONT_BOLD, self.SIZE) + 6
        pen.text(x, baseline, self.total, self.SIZE + 1.5, bold=True)


class Signatures(Block):
    """Two stamp-and-signature boxes; the first label goes on the right."""

    SIZE = 8.5
    GAP = 12.0

    def __init__(self, right_label: str, left_label: str, height: float = 72.0) -> None:
        self.labels = (right_label, left_label)
        self.height = height

    def draw(self, pen: Pen, top: float) -> None:
        width = (CONTENT_W - self.GAP) / 2
        for i, label in enumerate(self.labels):
            left = X_RIGHT - width - i * (width + self.GAP)
            pen.rect(left, top, width, self.height)
            pen.text(
                left + width / 2,
                top + line_height(self.SIZE) / 2 + self.SIZE * 0.3 + PAD,
                label,
                self.SIZE,
                bold=True,
                align="center",
            )

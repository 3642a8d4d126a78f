"""The 11-column line table of the official form, right to left (ردیف at the right edge).

`LineTable` measures every row once; the renderer places the header block on
each page the table reaches, then the rows, then the totals row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.pdfbase.pdfmetrics import stringWidth

from app.persian import MoneyUnit, format_money, format_number, to_persian_digits

from .arithmetic import LineAmounts, Totals
from .blocks import Block, TitleBar
from .drawing import CONTENT_W, HEAD_FILL, MUTED, TOTAL_FILL, X_LEFT, X_RIGHT, Pen, line_height
from .model import DocumentLine
from .pdf_text import FONT, FONT_BOLD, format_quantity, persian_id, shape, wrap

HEAD_SIZE = 6.8
BODY_SIZE = 7.6
DESC_SIZE = 8.0
CODE_SIZE = 6.5
MIN_SIZE = 5.0
CELL_PAD = 2.5

# (key, title, width, align); the description takes what the others leave.
_COLUMNS: tuple[tuple[str, str, float, str], ...] = (
    ("row", "ردیف", 22, "center"),
    ("code", "کد کالا", 50, "center"),
    ("desc", "شرح کالا یا خدمات", 0, "right"),
    ("qty", "تعداد / مقدار", 30, "center"),
    ("unit", "واحد اندازه‌گیری", 34, "center"),
    ("fee", "مبلغ واحد ({u})", 48, "center"),
    ("prdis", "مبلغ کل ({u})", 50, "center"),
    ("dis", "مبلغ تخفیف ({u})", 44, "center"),
    ("adis", "مبلغ کل پس از تخفیف ({u})", 50, "center"),
    ("vam", "جمع مالیات و عوارض ({u})", 46, "center"),
    ("tsstam", "جمع مبلغ کل بعلاوه جمع مالیات و عوارض ({u})", 54, "center"),
)
_DESC_W = CONTENT_W - sum(c[2] for c in _COLUMNS)
WIDTHS = tuple(c[2] or _DESC_W for c in _COLUMNS)
ALIGNS = tuple(c[3] for c in _COLUMNS)
# Right edge of each column, column 1 at the page's right margin.
RIGHTS = tuple(X_RIGHT - sum(WIDTHS[:i]) for i in range(len(WIDTHS)))
TOTALS_FROM = 6  # columns 7-11 are summed


@dataclass(frozen=True)
class Cell:
    lines: tuple[str, ...]  # visual lines
    size: float
    bold: bool = False
    note: str = ""  # a small second line (the VAT rate when rates differ)


def _fit(text: str, width: float, size: float, bold: bool) -> Cell:
    """One-line cell, shrinking the font until `text` fits (amounts never wrap)."""
    font = FONT_BOLD if bold else FONT
    drawn = shape(text)
    room = width - 2 * CELL_PAD
    while size > MIN_SIZE and stringWidth(drawn, font, size) > room:
        size -= 0.25
    return Cell((drawn,), size, bold)


def _rate(percent: int) -> str:
    # «درصد» rather than «٪»: the sign's side flips with the bidi context.
    return shape(f"نرخ {to_persian_digits(str(percent))} درصد")


def _note_size(cell: Cell) -> float:
    return max(cell.size - 1.2, 6.0)


def _cell_height(cell: Cell) -> float:
    height = len(cell.lines) * line_height(cell.size)
    if cell.note:
        height += line_height(_note_size(cell))
    return height


class Row(Block):
    def __init__(self, cells: Sequence[Cell], fill=None, merge_first: int = 1, centred: bool = False) -> None:
        self.cells, self.fill, self.merge_first, self.centred = list(cells), fill, merge_first, centred
        self.height = max(_cell_height(c) for c in self.cells) + 2 * CELL_PAD

    def draw(self, pen: Pen, top: float) -> None:
        pen.rect(X_LEFT, top, CONTENT_W, self.height, fill=self.fill)
        # The first `merge_first` columns form one cell (the totals row's label).
        edges = [RIGHTS[0], *RIGHTS[self.merge_first :]]
        widths = [sum(WIDTHS[: self.merge_first]), *WIDTHS[self.merge_first :]]
        aligns = ["center" if self.merge_first > 1 else ALIGNS[0], *ALIGNS[self.merge_first :]]
        if self.centred:
            aligns = ["center"] * len(aligns)
        for i, (right, width, cell, align) in enumerate(zip(edges, widths, self.cells, aligns, strict=True)):
            left = right - width
            if i:
                pen.vline(right, top, top + self.height, 0.4)
            if not cell.note:
                pen.lines(
                    left,
                    top,
                    width,
                    self.height,
                    list(cell.lines),
                    cell.size,
                    bold=cell.bold,
                    align=align,
                    pad=CELL_PAD,
                )
                continue
            main_h = len(cell.lines) * line_height(cell.size)
            note_size = _note_size(cell)
            inner = main_h + line_height(note_size)
            start = top + (self.height - inner) / 2
            pen.lines(
                left, start, width, main_h, list(cell.lines), cell.size, bold=cell.bold, align=align, pad=CELL_PAD
            )
            pen.lines(
                left,
                start + main_h,
                width,
                line_height(note_size),
                [cell.note],
                note_size,
                align=align,
                color=MUTED,
                pad=CELL_PAD,
            )


class LineTable:
    """Header, body rows and totals row of the line table, all measured."""

    def __init__(
        self,
        lines: Sequence[DocumentLine],
        amounts: Sequence[LineAmounts],
        totals: Totals,
        unit: MoneyUnit,
        title: str = "مشخصات کالا یا خدمات مورد معامله",
    ) -> None:
        self.unit = unit
        rates = {a.vra for a in amounts}
        uniform = len(rates) == 1
        self.title = TitleBar(title)
        heads = [
            Cell(tuple(wrap(t.format(u=unit.value), FONT_BOLD, HEAD_SIZE, w - 2 * CELL_PAD)), HEAD_SIZE, bold=True)
            for (_, t, _, _), w in zip(_COLUMNS, WIDTHS, strict=True)
        ]
        if uniform:  # one rate for the whole document: say it once, under the VAT heading
            heads[9] = Cell(heads[9].lines, HEAD_SIZE, bold=True, note=_rate(next(iter(rates))))
        self.header = Row(heads, fill=HEAD_FILL, centred=True)
        self.rows = [
            self._row(i, line, a, show_rate=not uniform)
            for i, (line, a) in enumerate(zip(lines, amounts, strict=True), start=1)
        ]
        self.totals = self._totals_row(totals)

    def money(self, rial: int) -> str:
        return format_money(rial, self.unit, with_unit=False)

    def _row(self, n: int, line: DocumentLine, a: LineAmounts, show_rate: bool) -> Row:
        desc_w = WIDTHS[2] - 2 * CELL_PAD
        code_w = WIDTHS[1] - 2 * CELL_PAD
        values = [self.money(v) for v in (line.unit_price, a.prdis, a.dis, a.adis, a.vam, a.tsstam)]
        cells = [
            _fit(format_number(n), WIDTHS[0], BODY_SIZE, False),
            Cell(tuple(wrap(persian_id(line.product_code), FONT, CODE_SIZE, code_w)), CODE_SIZE),
            Cell(tuple(wrap(line.description, FONT, DESC_SIZE, desc_w)), DESC_SIZE),
            _fit(format_quantity(line.quantity), WIDTHS[3], BODY_SIZE, False),
            Cell(tuple(wrap(line.unit, FONT, BODY_SIZE, WIDTHS[4] - 2 * CELL_PAD)), BODY_SIZE),
            *(_fit(v, w, BODY_SIZE, False) for v, w in zip(values, WIDTHS[5:], strict=True)),
        ]
        if show_rate:
            vat = cells[9]
            cells[9] = Cell(vat.lines, vat.size, note=_rate(a.vra))
        return Row(cells)

    def _totals_row(self, t: Totals) -> Row:
        label = Cell((shape("جمع"),), BODY_SIZE + 0.6, bold=True)
        sums = [
            _fit(self.money(v), w, BODY_SIZE, True)
            for v, w in zip((t.tprdis, t.tdis, t.tadis, t.tvam, t.tbill), WIDTHS[TOTALS_FROM:], strict=True)
        ]
        return Row([label, *sums], fill=TOTAL_FILL, merge_first=TOTALS_FROM)

"""The 11-column line table of the official form, right to left (ردیف at the right edge).

`LineTable` measures every row once; the renderer places the header block on
each page the table reaches, then the rows, then the totals row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.pdfbase.pdfmetrics import stringWidth

from app.persian import MoneyUnit, amount_in_words, format_money, format_number, to_persian_digits

from .arithmetic import LineAmounts, Totals
from .blocks import Block, TitleBar
from .drawing import CONTENT_W, HEAD_FILL, MUTED, TOTAL_FILL, X_LEFT, X_RIGHT, Pen, line_height
from .model import DocumentLine
from .pdf_text import FONT, FONT_BOLD, format_quantity, shape, wrap

HEAD_SIZE = 6.8
BODY_SIZE = 7.6
DESC_SIZE = 8.0
CODE_SIZE = 6.5
MIN_SIZE = 6.0  # amounts never shrink below this: a wider figure wraps at its digit groups instead
CELL_PAD = 2.5
_GROUP = "\u066c"  # «٬», the Persian thousands separator

# (key, title, width, align); the description takes what the others leave.
_COLUMNS: tuple[tuple[str, str, float, str], ...] = (
    ("row", "ردیف", 22, "center"),
    ("code", "کد کالا", 58, "center"),  # a 13-digit شناسه کالا as typed, on one line
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


def money_text(rial: int, unit: MoneyUnit) -> str:
    """An amount in `unit`, exact: Toman keeps the last Rial digit as a tenth («۶۱۱٫۵»), so printed
    columns add up to their printed totals (truncating each figure would not)."""
    if unit is MoneyUnit.RIAL:
        return format_money(rial, unit, with_unit=False)
    toman, tenth = divmod(abs(rial), 10)
    text = format_number(toman) + (f"\u066b{to_persian_digits(str(tenth))}" if tenth else "")
    return f"-{text}" if rial < 0 else text


def money_words(rial: int, unit: MoneyUnit) -> str:
    """`money_text` in words: «… تومان و پنج ریال» when a Toman amount has a Rial remainder."""
    tenth = abs(rial) % 10 if unit is MoneyUnit.TOMAN else 0
    words = amount_in_words(rial, unit)
    return f"{words} و {amount_in_words(tenth)}" if tenth else words


def _split_groups(text: str, font: str, size: float, room: float) -> list[str]:
    """Break a grouped number after its «٬» separators into lines that fit `room`."""
    groups = [g + _GROUP for g in text.split(_GROUP)]
    groups[-1] = groups[-1][:-1]
    lines = [""]
    for group in groups:
        if lines[-1] and stringWidth(lines[-1] + group, font, size) > room:
            lines.append("")
        lines[-1] += group
    return lines


def _fit(text: str, width: float, size: float, bold: bool) -> Cell:
    """An amount cell: the font shrinks a little (down to MIN_SIZE) to keep it on one line, then the
    figure wraps at its digit groups; it is never drawn too small to read or over the rules."""
    font = FONT_BOLD if bold else FONT
    drawn = shape(text)
    room = width - 2 * CELL_PAD
    while size - 0.25 >= MIN_SIZE and stringWidth(drawn, font, size) > room:
        size -= 0.25
    if stringWidth(drawn, font, size) > room:
        return Cell(tuple(_split_groups(drawn, font, size, room)), size, bold)
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
        self.amounts = list(amounts)

    def sums(self, start: int, end: int) -> tuple[int, ...]:
        """Columns 7-11 summed over rows `start` to `end` (0-based, end excluded)."""
        part = self.amounts[start:end]
        return tuple(sum(getattr(a, k) for a in part) for k in ("prdis", "dis", "adis", "vam", "tsstam"))

    def money(self, rial: int) -> str:
        return money_text(rial, self.unit)

    def _row(self, n: int, line: DocumentLine, a: LineAmounts, show_rate: bool) -> Row:
        desc_w = WIDTHS[2] - 2 * CELL_PAD
        code_w = WIDTHS[1] - 2 * CELL_PAD
        values = [self.money(v) for v in (line.unit_price, a.prdis, a.dis, a.adis, a.vam, a.tsstam)]
        cells = [
            _fit(format_number(n), WIDTHS[0], BODY_SIZE, False),
            # The code as typed («T-001», «2710000138624»): it is matched against the catalogue.
            Cell(tuple(wrap(line.product_code, FONT, CODE_SIZE, code_w)), CODE_SIZE),
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
        return self.sum_row("جمع", (t.tprdis, t.tdis, t.tadis, t.tvam, t.tbill), TOTAL_FILL)

    def sum_row(self, label: str, sums: Sequence[int], fill=HEAD_FILL) -> Row:
        """A row summing columns 7-11 under `label`: the totals row, or a page's carried-forward sums."""
        cells = [_fit(self.money(v), w, BODY_SIZE, True) for v, w in zip(sums, WIDTHS[TOTALS_FROM:], strict=True)]
        return Row([Cell((shape(label),), BODY_SIZE + 0.6, bold=True), *cells], fill=fill, merge_first=TOTALS_FROM)

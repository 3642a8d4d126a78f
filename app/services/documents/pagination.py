"""Pagination of a printed document: blocks placed top-down onto pages, and the line table's rows
with their sums carried from page to page."""

from __future__ import annotations

from .blocks import Block, Spacer
from .drawing import CONTENT_BOTTOM, MARGIN_TOP
from .table import LineTable

Placed = list[tuple[Block, float]]


class Pages:
    """Places blocks top-down, opening a new page (with a short header) when one is full."""

    def __init__(self, continuation: Block) -> None:
        self.continuation = continuation
        self.pages: list[Placed] = [[]]
        self.y = MARGIN_TOP
        self.fresh = True  # nothing but headers on the current page yet

    def room(self) -> float:
        return CONTENT_BOTTOM - self.y

    def place(self, block: Block) -> None:
        self.pages[-1].append((block, self.y))
        self.y += block.height

    def new_page(self, *repeat: Block) -> None:
        self.pages.append([])
        self.y = MARGIN_TOP
        for block in (self.continuation, Spacer(4), *repeat):
            self.place(block)
        self.fresh = True

    def add(self, block: Block, need: float | None = None, *repeat: Block) -> None:
        """Place `block`, first breaking the page if `need` (default its height) does not fit."""
        if isinstance(block, Spacer) and self.fresh:
            return
        if (need if need is not None else block.height) > self.room() and not self.fresh:
            self.new_page(*repeat)
        self.place(block)
        self.fresh = False


def table_rows(pages: Pages, table: LineTable, tail: float) -> None:
    """The body rows; a page the table leaves ends with its sums carried forward («نقل به صفحه بعد»)
    and the next page opens with them («نقل از صفحه قبل»), so every page can be checked by hand.
    The last row needs `tail` below it: the totals row and, when they fit a page, the closing blocks,
    so the signatures never stand on a page without lines of their own."""
    carry = 2 * table.sum_row("", table.sums(0, len(table.rows))).height  # room kept for the page's sums
    page_start = 0  # first row on the current page
    for i, row in enumerate(table.rows):
        below = (tail if i else table.totals.height) if i == len(table.rows) - 1 else carry
        if row.height + below > pages.room() and not pages.fresh:
            if page_start:  # a middle page: its own sum as well as the running one
                pages.place(table.sum_row("جمع این صفحه", table.sums(page_start, i)))
            carried = table.sums(0, i)
            pages.place(table.sum_row("نقل به صفحه بعد", carried))
            pages.new_page(table.header, table.sum_row("نقل از صفحه قبل", carried))
            page_start = i
        pages.place(row)
        pages.fresh = False

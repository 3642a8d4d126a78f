"""A table model over one service query, loaded in pages by fetchMore and sorted in SQL.

Pages are keyset pages (app.services.core.paging.Page): each is asked for with the cursor the one
before returned. Only the rows of the last KEEP_PAGES pages the view asked for are held, as Anki's
browser keeps ids and caches rows; a page scrolled far away keeps just its cursor and is read again
when the view comes back to it, so memory stays flat however far the list is scrolled.
After the rows of a page are loaded, data() and flags() never touch the database.
Sorting re-queries (no proxy model over a lazy model: it would sort only what is loaded).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from app.services.core.paging import Cursor, Page

PAGE = 200
KEEP_PAGES = 8  # about two screens' worth either side of a fast scroll
Index = QModelIndex | QPersistentModelIndex
Pager = Callable[[Cursor | None, int, str | None, bool], Page]


@dataclass(frozen=True)
class Column:
    """How one column shows a row: header, display text, sort key for the service, alignment."""

    key: str
    header: str
    display: Callable[[Any], str]
    sort_key: str | None = None
    ltr: bool = False  # phone numbers, codes: shown left-to-right inside the RTL table
    sample: str = ""  # a typical value the column starts wide enough for (else Qt's 100 px)


def offset_pages(fetch: Callable[[int, int, str | None, bool], list]) -> Pager:
    """Pages of a service that pages by offset (the cursor is the next offset)."""

    def pages(cursor: Cursor | None, limit: int, key: str | None, desc: bool) -> Page:
        offset = cursor[0] if cursor else 0
        rows = fetch(offset, limit, key, desc)
        return Page(rows, (offset + len(rows),) if len(rows) == limit else None)

    return pages


@dataclass
class _Slot:
    """One page: its first row's number, the cursor it was asked with, its size and (if held) rows."""

    start: int
    cursor: Cursor | None
    size: int
    rows: list | None


class LazyTableModel(QAbstractTableModel):
    RowRole = Qt.ItemDataRole.UserRole + 1

    def __init__(
        self,
        columns: Sequence[Column],
        fetch: Pager,
        count: Callable[[], int] | None,
        parent=None,
        first_page: int = PAGE,
        read_now: bool = True,
    ) -> None:
        """`count` None: the total is told later (`set_total`, a count run in the background).
        `read_now` False: empty until the first `reload` (a view not shown at start)."""
        super().__init__(parent)
        self._columns = list(columns)
        self._fetch = fetch
        self._count = count
        self._first_page = first_page
        self._slots: list[_Slot] = []
        self._starts: list[int] = []
        self._rows = 0
        self._next: Cursor | None = None
        self._total: int | None = 0
        # Rows arrive in the first column's order until the user picks another.
        self._sort_key: str | None = self._columns[0].sort_key if self._columns else None
        self._descending = False
        if read_now:
            self.reload()

    # --- loading -----------------------------------------------------------------
    def reload(self) -> None:
        """Drops every page and reads the first one again (and the count, when the model counts)."""
        self.beginResetModel()
        self._slots, self._starts, self._rows, self._next = [], [], 0, None
        page = self._fetch(None, self._first_page, self._sort_key, self._descending)
        self._add(page)
        if page.after is None:
            self._total = self._rows  # one page holds them all: nothing to count
        else:
            self._total = self._count() if self._count is not None else None
        self.endResetModel()

    def _add(self, page: Page) -> None:
        if page.rows:
            self._slots.append(_Slot(self._rows, self._next, len(page.rows), list(page.rows)))
            self._starts.append(self._rows)
            self._rows += len(page.rows)
            self._evict(len(self._slots) - 1)
        self._next = page.after if page.rows else None

    def _evict(self, near: int) -> None:
        """Keeps the rows of the KEEP_PAGES pages nearest to page `near`."""
        held = [i for i, slot in enumerate(self._slots) if slot.rows is not None]
        for i in sorted(held, key=lambda i: abs(i - near))[KEEP_PAGES:]:
            self._slots[i].rows = None

    def total(self) -> int | None:
        """How many rows the query finds, or None while the count is still coming."""
        return self._total

    def set_total(self, total: int) -> None:
        self._total = total

    def sort_state(self) -> tuple[str | None, bool]:
        """The service sort key the rows are in, and whether descending."""
        return self._sort_key, self._descending

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        return not parent.isValid() and self._next is not None

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        if parent.isValid() or self._next is None:
            return
        page = self._fetch(self._next, PAGE, self._sort_key, self._descending)
        if not page.rows:
            self._next = None  # rows vanished since the last page: nothing more to ask for
            return
        self.beginInsertRows(QModelIndex(), self._rows, self._rows + len(page.rows) - 1)
        self._add(page)
        self.endInsertRows()

    def _row(self, row: int):
        """The row object, reading its page again if it was let go."""
        i = bisect.bisect_right(self._starts, row) - 1
        slot = self._slots[i]
        if slot.rows is None:
            slot.rows = list(self._fetch(slot.cursor, slot.size, self._sort_key, self._descending).rows)
            self._evict(i)
        offset = row - slot.start
        return slot.rows[offset] if offset < len(slot.rows) else None  # rows deleted since: blank

    # --- Qt model API ------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._rows

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= self._rows:
            return None
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and column.ltr:
            return int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight)
        if role not in (Qt.ItemDataRole.DisplayRole, self.RowRole):
            return None
        row = self._row(index.row())
        if row is None:
            return None
        return column.display(row) if role == Qt.ItemDataRole.DisplayRole else row

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            if 0 <= section < len(self._columns):
                return self._columns[section].header
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self._columns) or self._columns[column].sort_key is None:
            return
        key, descending = (
            self._columns[column].sort_key,
            order == Qt.SortOrder.DescendingOrder,
        )
        if (key, descending) == (self._sort_key, self._descending):
            return
        self._sort_key, self._descending = key, descending
        self.reload()

    def row_at(self, row: int):
        return self._row(row)

    def held_rows(self) -> int:
        """How many rows are held in memory now (at most KEEP_PAGES pages)."""
        return sum(len(slot.rows) for slot in self._slots if slot.rows is not None)

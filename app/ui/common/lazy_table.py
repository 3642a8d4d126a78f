"""A table model over one service query, loaded in pages by fetchMore and sorted in SQL.

After the rows of a page are loaded, data() and flags() never touch the database.
Sorting re-queries (no proxy model over a lazy model: it would sort only what is loaded).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

PAGE = 200
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    """How one column shows a row: header, display text, sort key for the service, alignment."""

    key: str
    header: str
    display: Callable[[Any], str]
    sort_key: str | None = None
    ltr: bool = False  # phone numbers, codes: shown left-to-right inside the RTL table


class LazyTableModel(QAbstractTableModel):
    RowRole = Qt.ItemDataRole.UserRole + 1

    def __init__(
        self,
        columns: Sequence[Column],
        fetch: Callable[[int, int, str | None, bool], list],
        count: Callable[[], int],
        parent=None,
    ) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._fetch = fetch
        self._count = count
        self._rows: list = []
        self._total = 0
        # Rows arrive in the first column's order until the user picks another.
        self._sort_key: str | None = self._columns[0].sort_key if self._columns else None
        self._descending = False
        self.reload()

    # --- loading -----------------------------------------------------------------
    def reload(self) -> None:
        """Re-counts and drops loaded rows; the view then pulls the first page."""
        self.beginResetModel()
        self._total = self._count()
        self._rows = self._fetch(0, min(PAGE, self._total), self._sort_key, self._descending) if self._total else []
        self.endResetModel()

    def total(self) -> int:
        return self._total

    def sort_state(self) -> tuple[str | None, bool]:
        """The service sort key the rows are in, and whether descending."""
        return self._sort_key, self._descending

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        if parent.isValid():
            return
        start = len(self._rows)
        batch = self._fetch(start, PAGE, self._sort_key, self._descending)
        batch = batch[: self._total - start]
        if not batch:
            self._total = start  # rows vanished since counting: stop asking for more
            return
        self.beginInsertRows(QModelIndex(), start, start + len(batch) - 1)
        self._rows.extend(batch)
        self.endInsertRows()

    # --- Qt model API ------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.display(row)
        if role == self.RowRole:
            return row
        if role == Qt.ItemDataRole.TextAlignmentRole and column.ltr:
            return int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight)
        return None

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
        return self._rows[row]

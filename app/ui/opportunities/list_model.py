"""The opportunities list as a tree model: flat pages of rows, or groups (with count and sums)
whose rows load when a group is opened. Everything is queried, sorted and paged in SQL. Ungrouped, the
count runs in the background after the first page (0.7 s on the GUI thread at 1M identities); each page
asks for one row more than it shows, to know whether another follows.

A column keyed HEALTH_KEY shows each open opportunity's deal health (the board's icon and tooltip; the
service fills a page's health in one query) and sorts by urgency (overdue, none planned, today, future).

Internal ids: 0 for a top-level item (a group, or a row when not grouped); for a row inside a
group, the group's position + 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont

from app.persian import format_number
from app.services.opportunities.health import Health
from app.services.opportunities.queries import URGENCY_SORT, OpportunityGroup, OpportunityQuery
from app.ui.common.activity_icons import health_icon, health_tooltip
from app.ui.common.lazy_table import Column
from app.ui.opportunities.auto_probability_cells import AUTO_KEY, AutoProbabilityCells
from app.ui.ops import op

if TYPE_CHECKING:
    from app.services.core.actor import Actor
    from app.services.core.registry import Services

PAGE = 200
Index = QModelIndex | QPersistentModelIndex
SUM_COLUMNS = {"amount": "amount", "weighted_amount": "weighted_amount", "monthly_recurring": "monthly_recurring"}
HEALTH_KEY = "health"
HEALTH_HEADER_TIP = "وضعیت پیگیری فرصت — برای مرتب‌سازی بر اساس فوریت (عقب‌افتاده، بدون برنامه، امروز، آینده) کلیک کنید"
PLAN_TIP = "برای برنامه‌ریزی فعالیت کلیک کنید"


def health_column() -> Column:
    """The deal-health column: the board's icon, sorted by urgency in SQL."""
    return Column(HEALTH_KEY, "فوریت", lambda row: "", URGENCY_SORT)


class OpportunityListModel(QAbstractItemModel):
    RowRole = Qt.ItemDataRole.UserRole + 1
    sig_counted = Signal()
    """The background count arrived: total() is known."""

    def __init__(self, services: Services, actor: Actor, columns: Sequence[Column], parent=None) -> None:
        super().__init__(parent)
        self._services, self._actor = services, actor
        self._columns = list(columns)
        # Group labels go in the first text column (not in the narrow health column).
        self._label_column = next((i for i, c in enumerate(self._columns) if c.key != HEALTH_KEY), 0)
        self._query = OpportunityQuery(sort=self._columns[self._label_column].sort_key or "title")
        self._group_by: str | None = None
        self._rows: list = []  # flat mode
        self._more = False  # flat mode: rows follow the loaded ones
        self._total: int | None = 0  # None while the background count runs
        self._generation = 0  # a count arriving for an earlier query is dropped
        self._groups: list[OpportunityGroup] = []
        self._group_rows: list[list] = []
        self.auto = AutoProbabilityCells(services, actor, self)
        self.auto.sig_ready.connect(self._auto_arrived)

    # --- state ------------------------------------------------------------------------------
    def health_section(self) -> int:
        """The health column's position, -1 without one."""
        return next((i for i, c in enumerate(self._columns) if c.key == HEALTH_KEY), -1)

    def label_section(self) -> int:
        return self._label_column

    def set_query(self, query: OpportunityQuery, group_by: str | None = None) -> None:
        """New filters (the sort chosen by the header is kept) and grouping; reloads."""
        self._query = replace(query, sort=self._query.sort, descending=self._query.descending)
        self._group_by = group_by
        self.reload()

    def query(self) -> OpportunityQuery:
        return self._query

    def group_by(self) -> str | None:
        return self._group_by

    def reload(self) -> None:
        self.beginResetModel()
        s, a, q = self._services.opportunities, self._actor, self._query
        if self._group_by:
            self._groups = s.groups(a, q, self._group_by)
            self._group_rows = [[] for _ in self._groups]
            self._total = sum(g.count for g in self._groups)
            self._rows = []
        else:
            self._groups, self._group_rows = [], []
            self._rows, self._more = self._page(q, 0)
            self._total = None if self._more else len(self._rows)
        self.endResetModel()
        self._generation += 1
        if self._total is None:
            generation = self._generation
            counting = op(None, lambda: s.count(a, q))
            counting.bound_to(self).success(lambda total: self._counted(generation, total)).run_in_background()
        self.auto.clear()
        self._ask_auto(self._rows)

    def total(self) -> int | None:
        """How many rows the list has; None until the background count arrives."""
        return self._total

    def _counted(self, generation: int, total: int) -> None:
        if generation == self._generation:
            self._total = total
            self.sig_counted.emit()

    def _page(self, query: OpportunityQuery, offset: int) -> tuple[list, bool]:
        """A page of rows from `offset`, and whether more follow."""
        rows = self._services.opportunities.search(self._actor, query, offset, PAGE + 1)
        return rows[:PAGE], len(rows) > PAGE

    def _group_query(self, group: int) -> OpportunityQuery:
        return replace(self._query, group=(self._group_by, self._groups[group].key))

    # --- structure -----------------------------------------------------------------------------
    def _is_group(self, index: Index) -> bool:
        return index.isValid() and self._group_by is not None and index.internalId() == 0

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0)
        if self._is_group(parent):
            return self.createIndex(row, column, parent.row() + 1)
        return QModelIndex()

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        if not parent.isValid():
            return len(self._groups) if self._group_by else len(self._rows)
        if self._is_group(parent) and parent.column() == 0:
            return len(self._group_rows[parent.row()])
        return 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return len(self._columns)

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:
        if not parent.isValid():
            return self.rowCount() > 0
        return self._is_group(parent) and parent.column() == 0 and self._groups[parent.row()].count > 0

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        if not parent.isValid():
            return self._group_by is None and self._more
        if self._is_group(parent) and parent.column() == 0:
            return len(self._group_rows[parent.row()]) < self._groups[parent.row()].count
        return False

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        if not self.canFetchMore(parent):
            return
        if not parent.isValid():
            target = self._rows
            batch, self._more = self._page(self._query, len(target))
        else:
            target = self._group_rows[parent.row()]
            loaded, query, total = len(target), self._group_query(parent.row()), self._groups[parent.row()].count
            batch = self._services.opportunities.search(self._actor, query, loaded, PAGE)[: total - loaded]
            if not batch:
                self._groups[parent.row()] = replace(self._groups[parent.row()], count=loaded)
        if not batch:
            return
        loaded = len(target)
        self.beginInsertRows(parent, loaded, loaded + len(batch) - 1)
        target.extend(batch)
        self.endInsertRows()
        self._ask_auto(batch)

    def _ask_auto(self, rows: list) -> None:
        if any(c.key == AUTO_KEY for c in self._columns):
            self.auto.ask(row.id for row in rows)

    def _auto_arrived(self) -> None:
        """The automatic probabilities of the loaded rows arrived: their column repaints."""
        column = next(i for i, c in enumerate(self._columns) if c.key == AUTO_KEY)
        parents = [QModelIndex()] + [self.index(g, 0) for g in range(len(self._groups))]
        for parent in parents:
            if count := self.rowCount(parent):
                self.dataChanged.emit(self.index(0, column, parent), self.index(count - 1, column, parent))

    # --- data ------------------------------------------------------------------------------------
    def row_at(self, index: Index):
        """The OpportunityRow of a row item, None for a group."""
        if not index.isValid() or self._is_group(index):
            return None
        rows = self._rows if index.internalId() == 0 else self._group_rows[index.internalId() - 1]
        return rows[index.row()] if index.row() < len(rows) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = self._columns[index.column()]
        if self._is_group(index):
            group = self._groups[index.row()]
            if role == Qt.ItemDataRole.DisplayRole:
                if index.column() == self._label_column:
                    return f"{group.label} ({format_number(group.count)})"
                if column.key in SUM_COLUMNS:
                    return format_number(getattr(group, SUM_COLUMNS[column.key]))
                return ""
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
            return None
        row = self.row_at(index)
        if row is None:
            return None
        if role == self.RowRole:
            return row
        if column.key == HEALTH_KEY:
            return self._health_data(row.health, role)
        if column.key == AUTO_KEY:
            return self.auto.data(row.id, role)
        if role == Qt.ItemDataRole.DisplayRole:
            return column.display(row)
        return None

    @staticmethod
    def _health_data(health: Health | None, role: int) -> Any:
        if health is None:  # closed: no health
            return None
        if role == Qt.ItemDataRole.DecorationRole:
            return health_icon(health)
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = health_tooltip(health)
            return f"{tip} — {PLAN_TIP}" if health is Health.WARNING else tip
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._columns[section].header
        if role == Qt.ItemDataRole.ToolTipRole and self._columns[section].key == HEALTH_KEY:
            return HEALTH_HEADER_TIP
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self._columns) or self._columns[column].sort_key is None:
            return
        key, descending = self._columns[column].sort_key, order == Qt.SortOrder.DescendingOrder
        if (key, descending) == (self._query.sort, self._query.descending):
            return
        self._query = replace(self._query, sort=key, descending=descending)
        self.reload()

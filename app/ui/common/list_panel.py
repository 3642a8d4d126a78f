"""A searchable lazy list: debounced search box, optional filter buttons, table, count footer."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStackedLayout,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.persian import format_number
from app.services.core.paging import Cursor, Page
from app.ui.common.lazy_table import PAGE, Column, LazyTableModel, offset_pages
from app.ui.ops import op

SEARCH_DELAY_MS = 250
COUNTING = "در حال شمردن…"


Fetch = Callable[[str, object, int, int, str | None, bool], list]
Pages = Callable[[str, object, Cursor | None, int, str | None, bool], Page]
Count = Callable[[str, object], int]


class ListPanel(QWidget):
    """Owns the query state (text, filter); one lazy model re-queries the service with it."""

    sig_activated = Signal(object)
    """Emitted with the row object when a row is double-clicked or Enter is pressed."""

    def __init__(
        self,
        columns: list[Column],
        fetch: Fetch | Pages,
        count: Count,
        placeholder: str,
        empty_text: str,
        filters: list[tuple[str, object]] | None = None,
        parent: QWidget | None = None,
        narrowed: Callable[[], bool] | None = None,
        keyset: bool = False,
        first_page: int = PAGE,
        read_now: bool = True,
    ) -> None:
        """`narrowed()` tells whether a filter kept outside the panel (a period) is on: an empty list
        then says «no match», not «nothing recorded yet». `keyset`: `fetch` takes a cursor and returns a
        Page (else an offset and a list), and the count runs in the background after the first page
        is shown (the footer says so meanwhile). `read_now` False: nothing is read until `refresh`."""
        super().__init__(parent)
        self._filter_value: object = None
        self._counter = count
        self._generation = 0  # a count arriving for an earlier query is dropped
        self._narrowed = narrowed or (lambda: False)
        self.search = QLineEdit(placeholderText=placeholder, clearButtonEnabled=True)
        self._timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(self._timer.start)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.search)
        if filters:
            layout.addLayout(self._filter_buttons(filters))
        self.table = QTableView(alternatingRowColors=True)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda index: self.sig_activated.emit(self.model.row_at(index.row())))
        self.empty = QLabel(empty_text, wordWrap=True)
        self.empty.setObjectName("emptyState")
        self._stack = QStackedLayout()
        self._stack.addWidget(self.table)
        self._stack.addWidget(self.empty)
        layout.addLayout(self._stack)
        self.footer = QLabel()
        layout.addWidget(self.footer)
        text = self.search.text

        def pages(cursor, limit, key, desc):
            return fetch(text(), self._filter_value, cursor, limit, key, desc)

        self.model = LazyTableModel(
            columns,
            pages if keyset else offset_pages(lambda o, n, k, d: fetch(text(), self._filter_value, o, n, k, d)),
            None if keyset else (lambda: count(text(), self._filter_value)),
            self,
            first_page,
            read_now,
        )
        self.table.setModel(self.model)
        self._fit_samples(columns)
        # The model already holds the first page in column 0's order: enabling sorting with the
        # same indicator does not query again (see LazyTableModel.sort).
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self._show_state()

    def _fit_samples(self, columns: list[Column]) -> None:
        """Starts each column that has a sample as wide as it and its header: at 1366×768 Qt's 100 px cut
        most names in the identity dock to «ابوالفضل …»."""
        header, metrics = self.table.horizontalHeader(), self.table.fontMetrics()
        padding = 3 * metrics.averageCharWidth()
        for index, column in enumerate(columns):
            if column.sample:
                width = max(metrics.horizontalAdvance(column.sample), metrics.horizontalAdvance(column.header))
                header.resizeSection(index, width + padding)

    def _filter_buttons(self, filters: list[tuple[str, object]]) -> QHBoxLayout:
        row = QHBoxLayout()
        self._group = QButtonGroup(self)
        for i, (label, value) in enumerate(filters):
            # Tool buttons, not push buttons: the style's 80 px minimum per push button widened the
            # identities' row past the dock's default 440 px and «عدم کفایت سرنخ» was cut off.
            button = QToolButton(text=label, checkable=True, checked=i == 0)
            button.setObjectName("filterButton")
            button.clicked.connect(lambda _=False, v=value: self.set_filter(v))
            self._group.addButton(button)
            row.addWidget(button)
        row.addStretch()
        return row

    def filter_value(self) -> object:
        """The value of the chosen filter button (None for «همه»)."""
        return self._filter_value

    def set_filter(self, value: object) -> None:
        self._filter_value = value
        self.refresh()

    def refresh(self) -> None:
        """Re-runs the query with the current text and filter, keeping the sort order and, when it is
        still among the first rows, the current row."""
        current = self.table.currentIndex()
        kept = getattr(self.model.row_at(current.row()), "id", None) if current.isValid() else None
        self._generation += 1
        self.model.reload()
        if kept is not None:
            for row in range(self.model.rowCount()):
                if getattr(self.model.row_at(row), "id", None) == kept:
                    self.table.setCurrentIndex(self.model.index(row, current.column()))
                    break
        self._show_state()

    def _show_state(self) -> None:
        if self.model.total() is None:
            self._count_in_background()
        searching = bool(self.search.text().strip()) or self._filter_value is not None or self._narrowed()
        self._stack.setCurrentWidget(self.table if self.model.rowCount() or searching else self.empty)
        self._show_total()

    def _show_total(self) -> None:
        total = self.model.total()
        self.footer.setText(COUNTING if total is None else f"{format_number(total)} مورد")

    def _count_in_background(self) -> None:
        generation, text, value = self._generation, self.search.text(), self._filter_value
        count = op(self, lambda: self._counter(text, value))
        count.success(lambda total: self._counted(generation, total)).run_in_background()

    def _counted(self, generation: int, total: int) -> None:
        if generation == self._generation:
            self.model.set_total(total)
            self._show_total()

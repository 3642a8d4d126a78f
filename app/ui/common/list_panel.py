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
from app.ui.common.lazy_table import Column, LazyTableModel

SEARCH_DELAY_MS = 250


Fetch = Callable[[str, object, int, int, str | None, bool], list]
Count = Callable[[str, object], int]


class ListPanel(QWidget):
    """Owns the query state (text, filter); one lazy model re-queries the service with it."""

    sig_activated = Signal(object)
    """Emitted with the row object when a row is double-clicked or Enter is pressed."""

    def __init__(
        self,
        columns: list[Column],
        fetch: Fetch,
        count: Count,
        placeholder: str,
        empty_text: str,
        filters: list[tuple[str, object]] | None = None,
        parent: QWidget | None = None,
        narrowed: Callable[[], bool] | None = None,
    ) -> None:
        """`narrowed()` tells whether a filter kept outside the panel (a period) is on: an empty list
        then says «no match», not «nothing recorded yet»."""
        super().__init__(parent)
        self._filter_value: object = None
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
        self.model = LazyTableModel(
            columns,
            lambda offset, limit, key, desc: fetch(text(), self._filter_value, offset, limit, key, desc),
            lambda: count(text(), self._filter_value),
            self,
        )
        self.table.setModel(self.model)
        # The model already holds the first page in column 0's order: enabling sorting with the
        # same indicator does not query again (see LazyTableModel.sort).
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self._show_state()

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
        """Re-runs the query with the current text and filter, keeping the sort order."""
        self.model.reload()
        self._show_state()

    def _show_state(self) -> None:
        total = self.model.total()
        searching = bool(self.search.text().strip()) or self._filter_value is not None or self._narrowed()
        self._stack.setCurrentWidget(self.table if total or searching else self.empty)
        self.footer.setText(f"{format_number(total)} مورد")

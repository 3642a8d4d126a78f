"""The opportunities dock (فرصت‌ها): a kanban board and a grouped list, switchable, with shared filters.

Drag the dock into the centre of the window for a wide board. Double-click opens the record.
The list's first column shows the deal health (as on the board's cards); its header, or «فوری‌ها اول»,
sorts by urgency, and a click on a yellow warning plans an activity for that opportunity (seed 002).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app.persian import format_number
from app.services.core.fields import headers
from app.services.core.labels import OPPORTUNITY_STATUS
from app.services.core.xlsx_export import SheetColumn, paged
from app.services.opportunities.days import HEADERS as DAY_HEADERS
from app.services.opportunities.fields import OPPORTUNITY_FIELDS
from app.services.opportunities.health import Health
from app.services.opportunities.queries import GROUPS
from app.ui import format as fmt
from app.ui.common.activity_icons import health_tooltip
from app.ui.common.lazy_table import Column
from app.ui.common.list_export import EXPORT_TEXT, export_list, sheet_columns
from app.ui.common.list_panel import COUNTING
from app.ui.events import change_bus
from app.ui.opportunities.auto_probability_cells import AUTO_KEY, auto_probability_column, cell_text
from app.ui.opportunities.batch_actions import BATCH_TEXT, BatchActions
from app.ui.opportunities.board_view import BoardView
from app.ui.opportunities.filter_bar import OpportunityFilterBar
from app.ui.opportunities.list_model import OpportunityListModel, health_column

if TYPE_CHECKING:
    from app.services.core.actor import Actor
    from app.services.core.registry import Services

HEADER = headers(OPPORTUNITY_FIELDS)  # the field table's column headers
COLUMNS = [
    health_column(),
    Column("title", HEADER["title"], lambda r: r.title, "title"),
    Column("identity_name", HEADER["identity_name"], lambda r: r.identity_name, "identity_name"),
    Column("stage_name", HEADER["stage_name"], lambda r: r.stage_name, "stage_name"),
    Column("amount", HEADER["amount"], lambda r: fmt.number(r.amount), "amount"),
    Column("weighted_amount", HEADER["weighted_amount"], lambda r: fmt.number(r.weighted_amount), "weighted_amount"),
    Column(
        "monthly_recurring", HEADER["monthly_recurring"], lambda r: fmt.number(r.monthly_recurring), "monthly_recurring"
    ),
    Column("probability", HEADER["probability"], lambda r: fmt.percent(r.probability), "probability"),
    auto_probability_column(),
    Column("priority", HEADER["priority"], lambda r: "★" * r.priority, "priority"),
    Column("owner_name", HEADER["owner_name"], lambda r: r.owner_name or "", "owner_name"),
    Column("expected_close", HEADER["expected_close"], lambda r: fmt.date(r.expected_close), "expected_close"),
    Column("status", HEADER["status"], lambda r: OPPORTUNITY_STATUS[r.status], None),
    Column("closed_on", HEADER["closed_on"], lambda r: fmt.date(r.closed_on), "closed_on"),
    Column("close_reason", HEADER["close_reason"], lambda r: r.close_reason or "", None),
    Column("days_to_assign", DAY_HEADERS["days_to_assign"], lambda r: fmt.number(r.days_to_assign), None),
    Column("days_to_close", DAY_HEADERS["days_to_close"], lambda r: fmt.number(r.days_to_close), None),
]
EXPORT_MONEY = {
    "amount": lambda r: r.amount,
    "weighted_amount": lambda r: r.weighted_amount,
    "monthly_recurring": lambda r: r.monthly_recurring,
}
EXPORT_TEXTS = {"health": lambda r: health_tooltip(r.health) if r.health else ""}
AMOUNT_SECTIONS = [i for i, c in enumerate(COLUMNS) if c.key in ("amount", "weighted_amount", "monthly_recurring")]
REFRESH_DELAY_MS = 300
WATCHED = {
    *("opportunities", "identities", "activities", "opportunity_lines", "tags", "stages", "pipelines", "users"),
    "recurring_plans",  # a plan's months change its opportunities' MRR
}


class OpportunityDock(QWidget):
    sig_open_record = Signal(str, object)
    """Open a record in a tab: ("opportunity", id)."""

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services, self._actor = services, actor
        self.filters = OpportunityFilterBar(services, actor)
        self.filters.sig_changed.connect(self.refresh)
        self.list_button = QPushButton("لیست", checkable=True, checked=True)
        self.board_button = QPushButton("بورد", checkable=True)
        group = QButtonGroup(self)
        for button in (self.list_button, self.board_button):
            button.setObjectName("filterButton")
            group.addButton(button)
        self.list_button.clicked.connect(lambda: self.show_view("list"))
        self.board_button.clicked.connect(lambda: self.show_view("board"))
        self.new_button = QPushButton("+ فرصت")
        self.new_button.clicked.connect(lambda: self.sig_open_record.emit("opportunity", None))
        self.urgency_button = QPushButton("فوری‌ها اول")
        self.urgency_button.setToolTip("مرتب‌سازی بر اساس فوریت: عقب‌افتاده، بدون برنامه، امروز، آینده")
        self.urgency_button.clicked.connect(self.sort_by_urgency)
        self.export_button = QPushButton("اکسل…")  # short: the dock is 440 px wide on a laptop
        self.export_button.setToolTip(f"{EXPORT_TEXT[:-1]}: فهرست با همین فیلترها، جستجو و ترتیب در یک فایل اکسل")
        self.export_button.clicked.connect(self.export_to_xlsx)
        self.export_task = None
        # «گروهی» acts on the rows selected in the list or the cards selected on the board.
        self.batch = BatchActions(self, services, actor, self.selected_ids)
        self.batch_button = QPushButton(BATCH_TEXT)
        self.batch_button.setToolTip("انتقال، تخصیص، برچسب یا بستن فرصت‌های انتخاب‌شده با هم (Ctrl یا Shift + کلیک)")
        self.batch_button.setMenu(self.batch.menu)
        top = QHBoxLayout()
        top.addWidget(self.list_button)
        top.addWidget(self.board_button)
        top.addStretch()
        top.addWidget(self.urgency_button)
        top.addWidget(self.export_button)
        top.addWidget(self.new_button)

        self.model = OpportunityListModel(services, actor, COLUMNS, self)
        self.model.sig_counted.connect(self._update_footer)
        self.tree = QTreeView(alternatingRowColors=True, uniformRowHeights=True)
        self.tree.setObjectName("opportunityList")
        self.tree.setModel(self.model)
        self.tree.setRootIsDecorated(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(
            lambda at: self.batch.show_menu(self.tree.viewport().mapToGlobal(at))
        )
        header = self.tree.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSortIndicator(self.model.label_section(), Qt.SortOrder.AscendingOrder)
        self.tree.setSortingEnabled(True)
        self.tree.doubleClicked.connect(self._list_activated)
        self.tree.clicked.connect(self._list_clicked)
        self.health_section = self.model.health_section()
        for key, width in (("health", 64), ("title", 220), ("identity_name", 170), ("stage_name", 110)):
            self.tree.setColumnWidth(next(i for i, c in enumerate(COLUMNS) if c.key == key), width)
        self.board = BoardView(services, actor)
        self.board.sig_open.connect(lambda oid: self.sig_open_record.emit("opportunity", oid))
        self.stack = QStackedWidget()
        self.stack.addWidget(self.tree)
        self.stack.addWidget(self.board)
        self.footer = QLabel()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.filters)
        layout.addWidget(self.stack, 1)
        bottom = QHBoxLayout()  # «گروهی» beside the count: the top row is full at the dock's 440 px
        bottom.addWidget(self.footer, 1)
        bottom.addWidget(self.batch_button)
        layout.addLayout(bottom)
        self._stale = {"list": True, "board": True}
        self._timer = QTimer(self, singleShot=True, interval=REFRESH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        change_bus().sig_changed.connect(self._changed)
        self.show_view("list")

    def current_view(self) -> str:
        return "board" if self.stack.currentWidget() is self.board else "list"

    def show_view(self, view: str) -> None:
        (self.board_button if view == "board" else self.list_button).setChecked(True)
        self.stack.setCurrentWidget(self.board if view == "board" else self.tree)
        self.filters.set_list_mode(view == "list")
        self.urgency_button.setVisible(view == "list")
        self.export_button.setVisible(view == "list")
        if self._stale[view]:
            self.refresh()
        else:
            self._update_footer()

    def refresh(self) -> None:
        """Re-queries the visible view; the other one reloads when it is shown."""
        if not isValid(self.stack):  # the filter bar's late answer while the dock is being torn down
            return
        view = self.current_view()
        query = self.filters.query()
        if view == "board":
            self.board.load(query)
            if not isValid(self.stack):  # the load waits in an event loop, which lets a closing window go
                return
        else:
            self.model.set_query(query, self.filters.group_by())
            self.tree.setRootIsDecorated(self.model.group_by() is not None)
            self._fit_amounts()
        self._stale = {"list": True, "board": True} | {view: False}
        self._update_footer()

    def _fit_amounts(self) -> None:
        """The amount columns widen to their header and widest loaded amount (never narrower than the user
        made them): «مبلغ» was clipped at the default width."""
        header = self.tree.header()
        for section in AMOUNT_SECTIONS:
            widest = self._longest_cell(section)
            cell = 0 if widest is None else self.tree.sizeHintForIndex(widest).width()
            needed = max(header.sectionSizeHint(section), cell)
            self.tree.setColumnWidth(section, max(self.tree.columnWidth(section), needed))

    def _longest_cell(self, section: int) -> QModelIndex | None:
        """The loaded cell of `section` with the longest text: amounts share one font and digit width, so it
        is the widest, and only it is measured (sizeHintForColumn measured every cell: 0.6 s at start)."""
        model = self.model
        groups = (model.index(row, 0) for row in range(model.rowCount()))
        parents = [QModelIndex(), *(group for group in groups if model.hasChildren(group))]
        cells = (model.index(row, section, parent) for parent in parents for row in range(model.rowCount(parent)))
        return max(cells, key=lambda index: len(str(index.data() or "")), default=None)

    def _update_footer(self) -> None:
        if self.current_view() == "board":
            count = sum(c.model.count() for c in self.board.columns)
        else:
            count = self.model.total()
            if count is None:
                self.footer.setText(COUNTING)
                return
        self.footer.setText(f"{format_number(count)} مورد" if count else "فرصتی پیدا نشد — با «+ فرصت» یکی بسازید.")

    def selected_ids(self) -> list:
        """The opportunities selected in the view shown: the list's rows (not its group rows) or the board's cards."""
        if self.current_view() == "board":
            return self.board.batch.selected_ids()
        rows = (self.model.row_at(index) for index in self.tree.selectionModel().selectedRows())
        return [row.id for row in rows if row is not None]

    def _list_activated(self, index) -> None:
        row = self.model.row_at(index)
        if row is not None:
            self.sig_open_record.emit("opportunity", row.id)

    def sort_by_urgency(self) -> None:
        """Most urgent first: overdue, no activity planned, today, future (closed ones last)."""
        self.tree.sortByColumn(self.health_section, Qt.SortOrder.AscendingOrder)

    def export_to_xlsx(self) -> None:
        """The list as shown (filters, search, sort, groups) to XLSX; a group's rows follow each other
        under a first «group» column, in the groups' order."""
        service, actor = self._services.opportunities, self._actor
        query, group_by = self.model.query(), self.model.group_by()  # taken now, on the GUI thread
        auto, estimates = self._services.auto_probability, {}  # each page's, read with it (worker thread)
        texts = EXPORT_TEXTS | {AUTO_KEY: lambda r: cell_text(estimates.get(r.id))}
        columns = sheet_columns(COLUMNS, EXPORT_MONEY, self.tree.header(), texts)

        def estimated(rows: list) -> list:
            estimates.update(auto.estimates(actor, [row.id for row in rows]))
            return rows

        def pages():
            if group_by is None:
                for rows in paged(lambda offset, limit: service.search(actor, query, offset, limit)):
                    yield estimated(rows)
                return
            for group in service.groups(actor, query, group_by):
                grouped = replace(query, group=(group_by, group.key))
                for rows in paged(lambda offset, limit, q=grouped: service.search(actor, q, offset, limit)):
                    yield [(group.label, row) for row in estimated(rows)]

        if group_by is not None:
            columns = [SheetColumn(GROUPS[group_by], lambda r: r[0])] + [
                SheetColumn(c.header, lambda r, value=c.value: value(r[1]), c.money) for c in columns
            ]

        self.export_task = export_list(self, "فرصت‌ها", columns, pages, lambda: service.count(actor, query))

    def _list_clicked(self, index) -> None:
        """A click on a yellow warning (nothing planned) plans an activity for that opportunity, as on the board."""
        if index.column() != self.health_section:
            return
        row = self.model.row_at(index)
        if row is None or row.health is not Health.WARNING:
            return
        from app.ui.activities import activity_actions  # late: tests replace plan_activity

        activity_actions.plan_activity(self, self._services, self._actor, opportunity_id=row.id)

    def _changed(self, table: str, ids) -> None:
        if table not in WATCHED:
            return
        if table == "opportunities" and self.board.just_moved(ids):
            self._stale["list"] = True  # the board already shows the move
            return
        self._stale = {"list": True, "board": True}
        if self.isVisible():  # a hidden (or closed) dock catches up when it is shown again
            self._timer.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale[self.current_view()]:
            self._timer.start()


def opportunity_panel(services: Services, actor: Actor) -> OpportunityDock:
    return OpportunityDock(services, actor)

"""The cardboard dock's content (کارتابل): the rep's start page.

Sections: overdue, today, next 7 days, open opportunities with nothing planned, the sections other
areas register (quotes awaiting an answer, invoices awaiting payment) and recently opened records.
Every row opens its record; the buttons under the list act on the selected activity (done with a
result, postpone) or plan one for the selected opportunity; quick buttons create records. The dock
title carries the count of overdue and today's activities, and the list refreshes when anything
changes (the change bus).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHeaderView,
    QMenu,
    QPushButton,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.persian import format_number
from app.services.activities.activity_types import BUILTIN_ICONS
from app.services.activities.cardboard import (
    EXTRA_SECTIONS,
    ActivityRow,
    Cardboard,
    CardboardSection,
    OpportunityItem,
)
from app.services.core.actor import Actor
from app.services.core.labels import ACTIVITY_KIND
from app.services.core.registry import Services
from app.services.opportunities.health import Health
from app.ui import format as fmt
from app.ui.activities import activity_actions as actions
from app.ui.common.activity_icons import health_icon, health_tooltip, type_icon
from app.ui.common.record_form import FORMS
from app.ui.events import change_bus
from app.ui.ops import op

REFRESH_DELAY_MS = 150
OVERDUE_COLOUR = QColor("#c62828")
OVERDUE_SECTIONS = frozenset({"invoices_overdue"})  # registered sections whose dates are past due
WATCHED_TABLES = frozenset(  # the tables the sections read; a reminder is an activity's due time
    {
        "activities",
        "opportunities",
        "identities",
        "quotes",
        "invoices",
        "contracts",
        "receipts",
        "sales_returns",
        "recent_records",
    }
    | {"messages", "message_reads", "followers"}  # «پیام‌های تازه»
)
ROLE = Qt.ItemDataRole.UserRole


def _rows(widgets: list[QWidget], per_row: int) -> QGridLayout:
    """The widgets in rows of `per_row`, each row starting at the reading side, the rest left empty."""
    grid = QGridLayout()
    for i, widget in enumerate(widgets):
        grid.addWidget(widget, i // per_row, i % per_row)
    grid.setColumnStretch(per_row, 1)
    return grid


NARROW_WIDTH = 420  # px: below it the «هویت» column is hidden (see resizeEvent)


class CardboardPanel(QWidget):
    sig_title_changed = Signal(str)
    """Emitted with the dock title, which carries the count of urgent items."""
    sig_open_record = Signal(str, object)
    """Open a record in the main window: (kind, id)."""

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._actor = actor
        self._collapsed: set[str] = set()
        self._stale = False
        self._loading = False
        self._reads = 0  # reads started: only the latest one's answer is shown
        self.board = None
        self.setObjectName("cardboardPanel")

        self.new_activity = QPushButton("+ فعالیت", objectName="newActivityButton")
        self.new_activity.clicked.connect(lambda: actions.plan_activity(self, services, actor))
        self.new_opportunity = QPushButton("+ فرصت", objectName="newOpportunityButton")
        self.new_opportunity.clicked.connect(lambda: self.sig_open_record.emit("opportunity", None))
        self.new_quote = QPushButton("+ پیش‌فاکتور", objectName="newQuoteButton")
        self.new_quote.clicked.connect(lambda: self.sig_open_record.emit("quote", None))
        self.calendar_button = QPushButton("تقویم", objectName="calendarButton")
        self.calendar_button.clicked.connect(lambda: self.sig_open_record.emit("calendar", "me"))
        # «+ فرصت» and «+ پیش‌فاکتور» are always on: the window hosting the panel opens the form, whether or
        # not its module has registered yet.
        # Two buttons a row: at the dock's default width (320 px) four or three in a row were clipped.
        quick = _rows([self.new_activity, self.new_opportunity, self.new_quote, self.calendar_button], 2)

        self.tree = QTreeWidget(objectName="cardboardTree")
        self.tree.setHeaderLabels(["مورد", "هویت", "موعد"])
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.resizeSection(1, 110)
        self.tree.itemActivated.connect(lambda item, _c: self.open_item(item))
        self.tree.itemDoubleClicked.connect(lambda item, _c: self.open_item(item))
        self.tree.itemSelectionChanged.connect(self._update_buttons)
        self.tree.itemCollapsed.connect(lambda item: self._collapsed.add(item.data(0, ROLE)[1]))
        self.tree.itemExpanded.connect(lambda item: self._collapsed.discard(item.data(0, ROLE)[1]))
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._context_menu)

        self.done_button = QPushButton("انجام شد…", objectName="doneButton")
        self.done_button.clicked.connect(self.mark_selected_done)
        self.postpone_button = QToolButton(text="به تعویق انداختن", objectName="postponeButton")
        self.postpone_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.plan_button = QPushButton("برنامه‌ریزی فعالیت…", objectName="planButton")
        self.plan_button.clicked.connect(self.plan_for_selected)
        actions_row = _rows([self.done_button, self.postpone_button, self.plan_button], 2)

        # Whose work: «من»; a leader's «تیم من»; an administrator's teams and «همه» (hidden with one choice).
        self.scope = QComboBox(objectName="cardboardScope")
        for choice in services.opportunities.scope_choices(actor):
            if choice.value != "all" or actor.is_admin:
                self.scope.addItem(choice.label, choice.value)
        self.scope.setCurrentIndex(self.scope.findData("mine"))
        self.scope.setVisible(self.scope.count() > 1)
        self.scope.currentIndexChanged.connect(self.refresh)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(quick)
        layout.addWidget(self.scope)
        layout.addWidget(self.tree, 1)
        layout.addLayout(actions_row)
        self._timer = QTimer(self, singleShot=True, interval=REFRESH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        change_bus().sig_changed.connect(self._changed)
        self._update_buttons()

    # --- compatibility with a plain tree (the foundation's tests read sections this way) ---------------
    def topLevelItem(self, index: int) -> QTreeWidgetItem:
        return self.tree.topLevelItem(index)

    def topLevelItemCount(self) -> int:
        return self.tree.topLevelItemCount()

    # --- content ------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Reads the sections off the GUI thread (several queries over the user's activities and
        opportunities), waits for them and shows them."""
        if self._loading:  # a change arrived while the sections load: load once more when done
            self._timer.start()
            return
        self._loading = True
        self._reads += 1  # a background read still running is older: its answer is dropped
        try:
            board = op(self, self._reader()).run()
        finally:
            self._loading = False
        if board is not None:
            self._show(board)

    def refresh_in_background(self) -> None:
        """As `refresh`, without waiting: at start the window is in use while the sections load."""
        self._reads += 1
        read = self._reads

        def arrived(board: Cardboard) -> None:
            if read == self._reads:
                self._show(board)

        op(self, self._reader()).success(arrived).run_in_background()

    def _reader(self) -> Callable[[], Cardboard]:
        cardboard, actor, scope = self._services.cardboard, self._actor, self.scope.currentData()
        return lambda: cardboard.load(actor, scope=scope)

    def _show(self, board: Cardboard) -> None:
        self.board = board
        selected = self.selected()
        self.tree.clear()
        self._activity_section("overdue", "عقب‌افتاده", board.overdue, overdue=True)
        self._activity_section("today", "امروز", board.today)
        self._activity_section("next_7_days", "هفت روز آینده", board.next_7_days)
        self._opportunity_section(board.no_plan)
        for key, section in board.extra.items():
            self._extra_section(key, EXTRA_SECTIONS[key].title if key in EXTRA_SECTIONS else key, section)
        self._recent_section(board.recent)
        if selected is not None:
            self.select(*selected)
        urgent = board.urgent
        self.sig_title_changed.emit(f"کارتابل ({format_number(urgent)})" if urgent else "کارتابل")
        self.calendar_button.setEnabled("calendar" in FORMS)
        self._update_buttons()

    def _head(self, key: str, title: str, total: int) -> QTreeWidgetItem:
        head = QTreeWidgetItem(self.tree, [f"{title} ({format_number(total)})"])
        head.setData(0, ROLE, ("section", key))
        head.setFirstColumnSpanned(True)
        font = head.font(0)
        font.setBold(True)
        head.setFont(0, font)
        return head

    def _finish(self, head: QTreeWidgetItem, key: str, shown: int, total: int) -> None:
        for index in range(head.childCount()):  # the «هویت» column may be hidden: the tooltip names it too
            item = head.child(index)
            if item.text(1):
                item.setToolTip(0, f"{item.toolTip(0) or item.text(0)}\n{item.text(1)}")
        if total > shown:
            more = QTreeWidgetItem(head, [f"… و {format_number(total - shown)} مورد دیگر"])
            more.setData(0, ROLE, ("more", key))
            more.setFlags(Qt.ItemFlag.ItemIsEnabled)
        head.setExpanded(key not in self._collapsed)

    def _activity_section(self, key: str, title: str, section: CardboardSection, overdue: bool = False) -> None:
        head = self._head(key, title, section.total)
        # As short as the section allows (today's: the time; the week's: weekday and time; overdue: the
        # day), so the narrow dock's room goes to what the activity is; the tooltip has the whole moment.
        when = {"today": fmt.time, "next_7_days": fmt.weekday_time}.get(key, fmt.date)
        for row in section.rows:
            assert isinstance(row, ActivityRow)
            text = row.summary + (f" — {row.opportunity_title}" if row.opportunity_title else "")
            item = QTreeWidgetItem(head, [text, row.identity_name, when(row.due_at)])
            item.setData(0, ROLE, ("activity", row.id))
            item.setIcon(0, type_icon(row.type_icon or BUILTIN_ICONS.get(row.kind)))  # the type's own icon
            item.setToolTip(0, f"{ACTIVITY_KIND[row.kind]}: {text}")
            item.setToolTip(2, fmt.datetime(row.due_at))
            if overdue:
                item.setForeground(2, QBrush(OVERDUE_COLOUR))
        self._finish(head, key, len(section.rows), section.total)

    def _opportunity_section(self, section: CardboardSection) -> None:
        head = self._head("no_plan", "فرصت بی‌برنامه", section.total)
        for row in section.rows:
            assert isinstance(row, OpportunityItem)
            item = QTreeWidgetItem(head, [row.title, row.identity_name, fmt.number(row.amount)])
            item.setData(0, ROLE, ("opportunity", row.id))
            item.setIcon(0, health_icon(Health.WARNING))
            item.setToolTip(0, health_tooltip(Health.WARNING) + " — برای برنامه‌ریزی، «برنامه‌ریزی فعالیت…» را بزنید.")
        self._finish(head, "no_plan", len(section.rows), section.total)

    def _extra_section(self, key: str, title: str, section: CardboardSection) -> None:
        head = self._head(key, title, section.total)
        for row in section.rows:
            when = fmt.datetime(row.when) if hasattr(row.when, "hour") else fmt.date(row.when)
            item = QTreeWidgetItem(head, [row.title, row.subtitle, when])
            item.setData(0, ROLE, (row.kind, row.id))
            if row.amount is not None:
                item.setToolTip(0, f"{fmt.number(row.amount)} ریال")
            if key in OVERDUE_SECTIONS:
                item.setForeground(2, QBrush(OVERDUE_COLOUR))
        self._finish(head, key, len(section.rows), section.total)

    def _recent_section(self, recent: list) -> None:
        head = self._head("recent", "اخیراً دیده‌شده", len(recent))
        labels = {"identity": "هویت", "opportunity": "فرصت", "activity": "فعالیت"}
        for row in recent:
            item = QTreeWidgetItem(head, [row.title, labels.get(row.kind, ""), fmt.datetime(row.opened_at)])
            item.setData(0, ROLE, (row.kind, row.id))
        head.setExpanded("recent" not in self._collapsed)

    # --- selection and actions ----------------------------------------------------------------------------
    def selected(self) -> tuple[str, object] | None:
        item = self.tree.currentItem()
        data = item.data(0, ROLE) if item is not None else None
        return data if data and data[0] not in ("section", "more") else None

    def select(self, kind: str, record_id) -> bool:
        for top in range(self.tree.topLevelItemCount()):
            head = self.tree.topLevelItem(top)
            for i in range(head.childCount()):
                if head.child(i).data(0, ROLE) == (kind, record_id):
                    self.tree.setCurrentItem(head.child(i))
                    return True
        return False

    def items_of(self, key: str) -> list[QTreeWidgetItem]:
        for top in range(self.tree.topLevelItemCount()):
            head = self.tree.topLevelItem(top)
            if head.data(0, ROLE) == ("section", key):
                return [head.child(i) for i in range(head.childCount()) if head.child(i).data(0, ROLE)[0] != "more"]
        return []

    def open_item(self, item: QTreeWidgetItem) -> None:
        data = item.data(0, ROLE)
        if data and data[0] not in ("section", "more"):
            self.sig_open_record.emit(*data)

    def mark_selected_done(self) -> None:
        chosen = self.selected()
        if chosen and chosen[0] == "activity":
            actions.mark_done(self, self._services, self._actor, chosen[1])

    def plan_for_selected(self) -> None:
        chosen = self.selected()
        if chosen and chosen[0] == "opportunity":
            actions.plan_activity(self, self._services, self._actor, opportunity_id=chosen[1])
        else:
            actions.plan_activity(self, self._services, self._actor)

    def _update_buttons(self) -> None:
        chosen = self.selected()
        is_activity = bool(chosen and chosen[0] == "activity")
        self.done_button.setEnabled(is_activity)
        self.postpone_button.setEnabled(is_activity)
        self.postpone_button.setMenu(
            actions.postpone_menu(self, self._services, self._actor, chosen[1]) if is_activity else None
        )

    def _context_menu(self, pos: QPoint) -> None:
        item = self.tree.itemAt(pos)
        data = item.data(0, ROLE) if item else None
        if not data or data[0] in ("section", "more"):
            return
        kind, record_id = data
        menu = QMenu(self)
        menu.addAction("باز کردن", lambda: self.sig_open_record.emit(kind, record_id))
        if kind == "activity":
            menu.addAction("انجام شد…", lambda: actions.mark_done(self, self._services, self._actor, record_id))
            menu.addMenu(actions.postpone_menu(menu, self._services, self._actor, record_id))
            menu.addAction("ویرایش…", lambda: actions.edit_activity(self, self._services, self._actor, record_id))
            menu.addAction("لغو فعالیت", lambda: actions.cancel_activity(self, self._services, self._actor, record_id))
        elif kind == "opportunity":
            menu.addAction(
                "برنامه‌ریزی فعالیت…",
                lambda: actions.plan_activity(self, self._services, self._actor, opportunity_id=record_id),
            )
        menu.exec(self.tree.viewport().mapToGlobal(pos))

    def _changed(self, table: str, _ids) -> None:
        if table in WATCHED_TABLES:
            if self.isVisible():
                self._timer.start()
            else:  # a hidden dock (or a closed window) catches up when it is shown
                self._stale = True

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        # In a narrow dock the «هویت» column would leave what each item is unreadable: it goes into the
        # item's tooltip instead, and comes back when the dock is widened.
        self.tree.setColumnHidden(1, self.width() < NARROW_WIDTH)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self._timer.start()

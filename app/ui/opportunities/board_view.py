"""The kanban board: a column per stage (name, count, total, weighted total) of painted cards.

Drag a card to another column to change its stage; while dragging, «برنده» and «بازنده» drop
zones appear (the buttons above do the same for the selected card). A move updates the two
columns in place (no reload), so the round trip is one small write.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QPixmapCache
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.persian import format_number
from app.services.opportunities.board import Board
from app.services.opportunities.data import weighted_amount
from app.services.opportunities.queries import OpportunityQuery
from app.ui.opportunities.board_batch import BoardBatch
from app.ui.opportunities.board_fold import FoldedStrip
from app.ui.opportunities.board_model import BoardColumnModel, page_loader, read_mime
from app.ui.opportunities.card_delegate import CARD_HEIGHT, CardDelegate
from app.ui.opportunities.health_click import install_warning_click
from app.ui.opportunities.result_actions import mark_lost, mark_won
from app.ui.opportunities.star_click import StarClick
from app.ui.ops import op

if TYPE_CHECKING:
    from app.services.core.actor import Actor
    from app.services.core.registry import Services

COLUMN_WIDTH = 250
MRR = "درآمد ماهانه تکرارشونده:"  # the column's MRR, shown when it has any


class CardList(QListView):
    """One column's cards; tells the board when a drag starts and ends (to show the drop zones)."""

    sig_drag_started = Signal()
    sig_drag_finished = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setUniformItemSizes(True)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(False)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setResizeMode(QListView.ResizeMode.Adjust)  # cards follow the column's width (card_delegate.sizeHint)

        self.verticalScrollBar().valueChanged.connect(self._fetch_when_near_end)

    def _fetch_when_near_end(self, value: int) -> None:
        """The next page is asked for a screen before the end, so scrolling rarely waits (Qt itself
        asks only at the very end)."""
        model, bar, root = self.model(), self.verticalScrollBar(), self.rootIndex()
        if model is not None and bar.maximum() - value < self.viewport().height() and model.canFetchMore(root):
            model.fetchMore(root)

    def startDrag(self, actions: Qt.DropAction) -> None:
        self.sig_drag_started.emit()
        try:
            super().startDrag(actions)
        finally:
            self.sig_drag_finished.emit()


class DropZone(QLabel):
    """«برنده» / «بازنده»: accepts a dragged card."""

    sig_dropped = Signal(object, int)
    """(opportunity id, version)"""

    def __init__(self, text: str, color: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent, alignment=Qt.AlignmentFlag.AlignCenter)
        self.setAcceptDrops(True)
        self.setMinimumHeight(56)
        self.setStyleSheet(f"border: 2px dashed {color}; border-radius: 8px; color: {color}; font-weight: bold;")

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if read_mime(event.mimeData()) is not None:
            event.acceptProposedAction()

    def dragMoveEvent(self, event) -> None:
        if read_mime(event.mimeData()) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        payload = read_mime(event.mimeData())
        if payload is not None:
            event.setDropAction(Qt.DropAction.CopyAction)  # the source column must not remove anything itself
            event.accept()
            self.sig_dropped.emit(payload["id"], payload["version"])


class BoardColumnWidget(QFrame):
    sig_fold = Signal(bool)
    """The user folded (True) or unfolded (False) the column."""

    def __init__(self, model: BoardColumnModel, folded: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.setObjectName("boardColumn")
        self.setStyleSheet("#boardColumn { background: #f1f3f6; border-radius: 8px; }")
        self.header = QLabel(wordWrap=True)
        self.header.setObjectName("boardColumnHeader")
        self.fold_button = QToolButton(text="⇤", autoRaise=True, toolTip="جمع کردن ستون")
        self.fold_button.clicked.connect(lambda: self.sig_fold.emit(True))
        self.folded_strip = FoldedStrip()
        self.folded_strip.sig_unfold.connect(lambda: self.sig_fold.emit(False))
        self.view = CardList()
        self.view.setModel(model)
        self.view.setItemDelegate(CardDelegate(BoardColumnModel.CardRole, self.view))
        self.view.setStyleSheet("QListView { background: #f1f3f6; }")
        heading = QHBoxLayout()
        heading.addWidget(self.header, 1)
        heading.addWidget(self.fold_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 6, 4, 4)
        layout.addLayout(heading)
        layout.addWidget(self.view)
        layout.addWidget(self.folded_strip, 1)
        model.sig_totals_changed.connect(self.update_header)
        self.update_header()
        self.set_folded(folded)

    @property
    def folded(self) -> bool:
        return self.folded_strip.isVisibleTo(self)

    def set_folded(self, folded: bool) -> None:
        """Shows the narrow strip (name, count, sum written vertically) or the whole column."""
        self.setFixedWidth(self.folded_strip.width() + 8 if folded else COLUMN_WIDTH)
        for widget in (self.header, self.fold_button, self.view):
            widget.setVisible(not folded)
        self.folded_strip.setVisible(folded)

    def update_header(self) -> None:
        m = self.model
        mrr = m.monthly_recurring()
        self.folded_strip.show_totals(m.name, m.count(), m.total())
        self.header.setText(
            f"<b>{m.name}</b> <span style='color:#607d8b'>({format_number(m.count())})</span><br>"
            f"<span style='color:#455a64'>{format_number(m.total())} ریال"
            f" · وزنی {format_number(m.weighted_total())}</span>"
            + (f"<br><span style='color:#2e7d32'>{MRR} {format_number(mrr)} ریال</span>" if mrr else "")
        )


class BoardView(QWidget):
    sig_open = Signal(object)
    """A card was double-clicked: the opportunity's id."""

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services, self._actor = services, actor
        QPixmapCache.setCacheLimit(max(QPixmapCache.cacheLimit(), 32 * 1024))  # KB: a few hundred painted cards
        self.board: Board | None = None
        self._announcing: frozenset = frozenset()
        self.columns: list[BoardColumnWidget] = []
        self._loading = False
        self._queued: list[OpportunityQuery | None] = []  # filters asked for while a load was running
        self.batch = BoardBatch(self, services, actor)  # several cards at once: ctrl/shift click, context menu
        self.won_button = QPushButton("برنده شد")
        self.lost_button = QPushButton("بازنده شد")
        self.won_button.clicked.connect(lambda: self._close_selected(won=True))
        self.lost_button.clicked.connect(lambda: self._close_selected(won=False))
        self.summary = QLabel()
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.won_button)
        top.addWidget(self.lost_button)
        self._strip = QWidget()
        self._strip_layout = QHBoxLayout(self._strip)
        self._strip_layout.setContentsMargins(2, 2, 2, 2)
        self._strip_layout.setSpacing(8)
        self._strip_layout.addStretch()
        self.scroll = QScrollArea(widgetResizable=True)
        self.scroll.setWidget(self._strip)
        self.won_zone = DropZone("برنده ✓", "#2e7d32")
        self.lost_zone = DropZone("بازنده ✗", "#c62828")
        self.won_zone.sig_dropped.connect(lambda oid, v: self._close(oid, v, won=True))
        self.lost_zone.sig_dropped.connect(lambda oid, v: self._close(oid, v, won=False))
        zones = QHBoxLayout()
        zones.addWidget(self.won_zone)
        zones.addWidget(self.lost_zone)
        self._zones = QWidget()
        self._zones.setLayout(zones)
        self._zones.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self._zones)
        self._update_buttons()

    # --- loading ---------------------------------------------------------------------------
    def load(self, query: OpportunityQuery | None = None) -> None:
        """Loads the board (each column's first page and totals, off the GUI thread) and rebuilds the columns."""
        if self._loading:  # the latest filters load once this load has returned
            self._queued[:] = [query]
            return
        boards, actor = self._services.board, self._actor
        self._loading = True
        try:
            board = op(self, lambda: boards.load(actor, query)).run()
        finally:
            self._loading = False
        if self._queued:
            self.load(self._queued.pop())
            return
        if board is None:
            return
        self.board = board
        for column in self.columns:
            self._strip_layout.removeWidget(column)
            column.deleteLater()
        self.columns = []
        for index, data in enumerate(self.board.columns):
            model = BoardColumnModel(data, self, page_loader(self, self._services, self._actor, query, data.stage_id))
            model.sig_card_dropped.connect(self.move_card)
            model.sig_totals_changed.connect(self._update_summary)
            column = BoardColumnWidget(model, data.folded)
            column.sig_fold.connect(lambda folded, c=column: self._fold(c, folded))
            column.view.sig_drag_started.connect(self._zones.show)
            column.view.sig_drag_finished.connect(self._zones.hide)
            column.view.doubleClicked.connect(lambda i, m=model: self.sig_open.emit(m.card_at(i.row()).id))
            install_warning_click(column.view, model, self._services, self._actor)  # ⚠ plans an activity
            StarClick(column.view, model.card_at, lambda card, stars, m=model: self._set_priority(m, card, stars))
            column.view.selectionModel().selectionChanged.connect(lambda *_a, v=column.view: self._selected_in(v))
            self.batch.attach(column.view)
            self._strip_layout.insertWidget(index, column)
            self.columns.append(column)
        self._update_summary()
        self._update_buttons()

    def column_of(self, card_id: uuid.UUID) -> BoardColumnWidget | None:
        return next((c for c in self.columns if c.model.row_of(card_id) >= 0), None)

    def column_for_stage(self, stage_id: uuid.UUID) -> BoardColumnWidget | None:
        return next((c for c in self.columns if c.model.stage_id == stage_id), None)

    def _set_priority(self, model: BoardColumnModel, card, priority: int) -> None:
        """Sets the stars from the card, then repaints the card in place."""
        boards, actor = self._services.board, self._actor
        self._announcing = frozenset([card.id])  # its published change is shown here already
        try:
            updated = op(self, lambda: boards.set_priority(actor, card.id, priority, card.version)).run()
        finally:
            self._announcing = frozenset()
        if updated is not None:
            model.take(card.id)
            model.put(updated)

    def _fold(self, column: BoardColumnWidget, folded: bool) -> None:
        """Folds or unfolds a column and keeps the choice for this user."""
        boards, actor, stage_id = self._services.board, self._actor, column.model.stage_id
        op(self, lambda: boards.set_folded(actor, stage_id, folded)).success(lambda _r: column.set_folded(folded)).run()

    # --- moving and closing ------------------------------------------------------------------
    def move_card(self, card_id: uuid.UUID, version: int, stage_id: uuid.UUID) -> bool:
        """Moves a card to another stage through the service, then updates the two columns in place."""
        source, target = self.column_of(card_id), self.column_for_stage(stage_id)
        if source is None or target is None or source is target:
            return False
        moves, actor = self._services.pipeline_moves, self._actor
        self._announcing = frozenset([card_id])  # its published change is this move, shown below
        try:
            card = op(self, lambda: moves.move(actor, card_id, stage_id, version)).run()
        finally:
            self._announcing = frozenset()
        if card is None:
            return False
        source.model.take(card_id)
        target.model.put(card)
        return True

    def just_moved(self, ids) -> bool:
        """Whether a change being published is this board's own move (shown by the board itself)."""
        return bool(self._announcing) and ids == self._announcing

    def selected_card(self):
        for column in self.columns:
            index = column.view.currentIndex()
            if index.isValid() and column.view.selectionModel().isSelected(index):
                return column.model.card_at(index.row())
        return None

    def _selected_in(self, view: QListView) -> None:
        for column in self.columns:  # one selection on the whole board, unless ctrl or shift extends it
            if column.view is not view and not self.batch.extending():
                column.view.selectionModel().clearSelection()
        self._update_buttons()

    def _close_selected(self, won: bool) -> None:
        card = self.selected_card()
        if card is not None:
            self._close(card.id, card.version, won)

    def _close(self, card_id: uuid.UUID, version: int, won: bool) -> None:
        column = self.column_of(card_id)
        if column is None:
            return
        card = column.model.card_at(column.model.row_of(card_id))
        services, actor = self._services, self._actor
        self._announcing = frozenset([card_id])
        try:
            done = (
                mark_won(self, services, actor, card.id, card.title, card.amount, version)
                if won
                else mark_lost(self, services, actor, card.id, card.title, version)
            )
        finally:
            self._announcing = frozenset()
        if done:
            column.model.take(card_id)  # won and lost leave the board
            self._update_buttons()

    def _update_buttons(self) -> None:
        has = self.selected_card() is not None
        self.won_button.setEnabled(has)
        self.lost_button.setEnabled(has)

    def _update_summary(self) -> None:
        count = sum(c.model.count() for c in self.columns)
        total = sum(c.model.total() for c in self.columns)
        weighted = weighted_amount(sum(c.model.weighted_raw() for c in self.columns), 1)
        mrr = sum(c.model.monthly_recurring() for c in self.columns)
        name = self.board.pipeline_name if self.board else ""
        self.summary.setText(
            f"کاریز {name}: {format_number(count)} فرصت باز · {format_number(total)} ریال"
            f" · وزنی {format_number(weighted)}" + (f" · {MRR} {format_number(mrr)}" if mrr else "")
        )


__all__ = ["BoardView", "CARD_HEIGHT"]

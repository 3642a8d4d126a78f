"""Batch actions on the board: cards are selected several at a time (ctrl or shift click, also across
columns) and the cards' context menu offers «گروهی»'s actions for them (batch_actions.py)."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtWidgets import QAbstractItemView, QListView

from app.ui.opportunities.batch_actions import BatchActions

if TYPE_CHECKING:
    from app.services.core.actor import Actor
    from app.services.core.registry import Services
    from app.ui.opportunities.board_view import BoardView

EXTENDING = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
INPUT = (QEvent.Type.MouseButtonPress, QEvent.Type.KeyPress)


class BoardBatch(QObject):
    """The board's multi-selection and its batch context menu; `attach` each column's card list."""

    def __init__(self, board: BoardView, services: Services, actor: Actor) -> None:
        super().__init__(board)
        self._board = board
        self._extending = False
        self.actions = BatchActions(board, services, actor, self.selected_ids)
        self.actions.sig_done.connect(self.clear)

    def attach(self, view: QListView) -> None:
        """Lets the column's cards be selected several at a time and gives them the context menu."""
        view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(lambda at, v=view: self._menu(v, at))
        view.viewport().installEventFilter(self)
        view.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in INPUT:
            self._extending = bool(event.modifiers() & EXTENDING)
        return False

    def extending(self) -> bool:
        """Whether the last click or key held ctrl or shift: the selection then grows across columns."""
        return self._extending

    def selected_ids(self) -> list[uuid.UUID]:
        """The selected cards' opportunities, column by column, top to bottom."""
        ids = []
        for column in self._board.columns:
            rows = sorted(index.row() for index in column.view.selectionModel().selectedIndexes())
            ids += [column.model.card_at(row).id for row in rows]
        return ids

    def clear(self) -> None:
        for column in self._board.columns:
            column.view.selectionModel().clearSelection()

    def _menu(self, view: QListView, at: QPoint) -> None:
        self.actions.show_menu(view.viewport().mapToGlobal(at))

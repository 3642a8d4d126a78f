"""One board column's cards as a list model, with drag and drop of cards between columns.

A drop does not move rows itself: it asks (sig_card_dropped) and the board moves the card after
the service agreed, so a refused move leaves both columns as they were. The column holds its first
page of cards; the view's fetchMore (scrolled near the end) asks for the next page in the background
(`page_loader`), and the header's count and sums are the whole column's from the start.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractListModel, QMimeData, QModelIndex, QPersistentModelIndex, Qt, Signal

from app.services.opportunities.board_pages import sort_key
from app.services.opportunities.data import BoardCard, BoardColumn, ColumnPage, weighted_amount
from app.ui.ops import op

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from app.services.core.actor import Actor
    from app.services.core.registry import Services
    from app.services.opportunities.queries import OpportunityQuery

MIME_TYPE = "application/x-peyvand-opportunity"
Index = QModelIndex | QPersistentModelIndex
PageLoader = Callable[[BoardCard | None, Callable[[ColumnPage], None]], None]
"""Asks for the cards after a given one and hands the page to the callback (later, on the GUI thread)."""


def page_loader(
    parent: QWidget, services: Services, actor: Actor, query: OpportunityQuery | None, stage_id: uuid.UUID
) -> PageLoader:
    """A column's next pages, read off the GUI thread with the board's own filters."""
    boards = services.board

    def load(after: BoardCard | None, done: Callable[[ColumnPage], None]) -> None:
        op(parent, lambda: boards.column_page(actor, query, stage_id, after)).success(done).run_in_background()

    return load


def card_mime(card: BoardCard) -> QMimeData:
    mime = QMimeData()
    payload = {"id": str(card.id), "stage_id": str(card.stage_id), "version": card.version}
    mime.setData(MIME_TYPE, json.dumps(payload).encode())
    return mime


def read_mime(mime: QMimeData) -> dict | None:
    """The dragged card's id, stage and version, or None for anything else."""
    if mime is None or not mime.hasFormat(MIME_TYPE):
        return None
    payload = json.loads(bytes(mime.data(MIME_TYPE).data()).decode())
    return {"id": uuid.UUID(payload["id"]), "stage_id": uuid.UUID(payload["stage_id"]), "version": payload["version"]}


class BoardColumnModel(QAbstractListModel):
    CardRole = Qt.ItemDataRole.UserRole + 1

    sig_card_dropped = Signal(object, int, object)
    """A card was dropped here: (opportunity id, its version, this column's stage id)."""
    sig_totals_changed = Signal()

    def __init__(self, column: BoardColumn, parent=None, pages: PageLoader | None = None) -> None:
        super().__init__(parent)
        self.stage_id = column.stage_id
        self.name = column.name
        self.probability = column.probability
        self._cards: list[BoardCard] = list(column.cards)
        self._ids = {c.id for c in self._cards}
        self._pages = pages
        self._has_more = column.has_more
        self._fetching = False  # one page at a time; a failed page stops paging until the board reloads
        # The whole column's totals (not only the loaded cards'), kept up to date by take/put.
        self._count = column.count
        self._total = column.total
        self._weighted_raw = column.weighted_raw
        self._monthly_recurring = column.monthly_recurring

    # --- Qt model API -------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._cards)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._cards):
            return None
        card = self._cards[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return card.title
        if role == self.CardRole:
            return card
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{card.title}\n{card.identity_name}"
        return None

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        return not parent.isValid() and self._has_more and not self._fetching and self._pages is not None

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        if not self.canFetchMore(parent):
            return
        self._fetching = True
        self._pages(self._cards[-1] if self._cards else None, self._append_page)

    def _append_page(self, page: ColumnPage) -> None:
        # A card already here (moved in while the page was read) is not shown twice.
        cards = [c for c in page.cards if c.id not in self._ids]
        self._has_more, self._fetching = page.has_more, False
        if cards:
            self.beginInsertRows(QModelIndex(), len(self._cards), len(self._cards) + len(cards) - 1)
            self._cards.extend(cards)
            self._ids.update(c.id for c in cards)
            self.endInsertRows()

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled

    def mimeTypes(self) -> list[str]:
        return [MIME_TYPE]

    def mimeData(self, indexes: list) -> QMimeData:
        cards = [self._cards[i.row()] for i in indexes if i.isValid()]
        return card_mime(cards[0]) if cards else QMimeData()

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def canDropMimeData(self, data: QMimeData, action, row: int, column: int, parent: Index) -> bool:
        payload = read_mime(data)
        return payload is not None and payload["stage_id"] != self.stage_id

    def dropMimeData(self, data: QMimeData, action, row: int, column: int, parent: Index) -> bool:
        payload = read_mime(data)
        if payload is None or payload["stage_id"] == self.stage_id:
            return False
        self.sig_card_dropped.emit(payload["id"], payload["version"], self.stage_id)
        return False  # the board moves the card once the service agreed

    # --- the board's edits ----------------------------------------------------------------
    @property
    def cards(self) -> list[BoardCard]:
        return list(self._cards)

    def count(self) -> int:
        """The column's cards, loaded or not (rowCount: the loaded ones)."""
        return self._count

    def total(self) -> int:
        return self._total

    def weighted_total(self) -> int:
        return weighted_amount(self._weighted_raw, 1)

    def monthly_recurring(self) -> int:
        """MRR of the column's cards (each rounded to a whole Rial by the service)."""
        return self._monthly_recurring

    def weighted_raw(self) -> int:
        """Σ amount × probability (percent), for summing columns before rounding once."""
        return self._weighted_raw

    def row_of(self, card_id: uuid.UUID) -> int:
        return next((i for i, c in enumerate(self._cards) if c.id == card_id), -1)

    def take(self, card_id: uuid.UUID) -> BoardCard | None:
        row = self.row_of(card_id)
        if row < 0:
            return None
        self.beginRemoveRows(QModelIndex(), row, row)
        card = self._cards.pop(row)
        self._ids.discard(card.id)
        self.endRemoveRows()
        self._count -= 1
        self._total -= card.amount
        self._weighted_raw -= card.amount * card.probability
        self._monthly_recurring -= card.monthly_recurring
        self.sig_totals_changed.emit()
        return card

    def put(self, card: BoardCard) -> int:
        """Inserts the card at its sorted place (urgency, then amount); returns its row, or -1 when its
        place is after the loaded cards (it comes with a later page, and only the totals change now)."""
        key = (sort_key(card), card.id)  # the id breaks ties as in the service's order
        row = next((i for i, c in enumerate(self._cards) if (sort_key(c), c.id) > key), len(self._cards))
        if row == len(self._cards) and self._has_more:
            row = -1
        else:
            self.beginInsertRows(QModelIndex(), row, row)
            self._cards.insert(row, card)
            self._ids.add(card.id)
            self.endInsertRows()
        self._count += 1
        self._total += card.amount
        self._weighted_raw += card.amount * card.probability
        self._monthly_recurring += card.monthly_recurring
        self.sig_totals_changed.emit()
        return row

    def card_at(self, row: int) -> BoardCard:
        return self._cards[row]

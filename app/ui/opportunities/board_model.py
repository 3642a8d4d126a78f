"""One board column's cards as a list model, with drag and drop of cards between columns.

A drop does not move rows itself: it asks (sig_card_dropped) and the board moves the card after
the service agreed, so a refused move leaves both columns as they were.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from PySide6.QtCore import QAbstractListModel, QMimeData, QModelIndex, QPersistentModelIndex, Qt, Signal

from app.services.opportunities.board import sort_key
from app.services.opportunities.data import BoardCard, BoardColumn, weighted_amount

MIME_TYPE = "application/x-peyvand-opportunity"
Index = QModelIndex | QPersistentModelIndex


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

    def __init__(self, column: BoardColumn, parent=None) -> None:
        super().__init__(parent)
        self.stage_id = column.stage_id
        self.name = column.name
        self.probability = column.probability
        self._cards: list[BoardCard] = list(column.cards)
        # Column totals kept up to date by take/put (summing 1,000s of cards per move would cost).
        self._total = sum(c.amount for c in self._cards)
        self._weighted_raw = sum(c.amount * c.probability for c in self._cards)
        self._monthly_recurring = sum(c.monthly_recurring for c in self._cards)

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
        return len(self._cards)

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
        self.endRemoveRows()
        self._total -= card.amount
        self._weighted_raw -= card.amount * card.probability
        self._monthly_recurring -= card.monthly_recurring
        self.sig_totals_changed.emit()
        return card

    def put(self, card: BoardCard) -> int:
        """Inserts the card at its sorted place (urgency, then amount); returns its row."""
        key = sort_key(card)
        row = next((i for i, c in enumerate(self._cards) if sort_key(c) > key), len(self._cards))
        self.beginInsertRows(QModelIndex(), row, row)
        self._cards.insert(row, card)
        self.endInsertRows()
        self._total += card.amount
        self._weighted_raw += card.amount * card.probability
        self._monthly_recurring += card.monthly_recurring
        self.sig_totals_changed.emit()
        return row

    def card_at(self, row: int) -> BoardCard:
        return self._cards[row]

"""Clicking a board card's priority stars sets the opportunity's priority (seed 004: «با انتخاب ستاره‌ها
می‌توان اولویت‌هایی به فرصت داد»); clicking the highest filled star again clears them."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QRect, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QAbstractItemView


def stars_rect(view: QAbstractItemView, card_rect: QRect) -> QRect:
    """Where the card delegate paints the stars (app/ui/opportunities/card_delegate.py): the second line's
    end side (the left)."""
    from app.ui.opportunities.card_delegate import MARGIN, PAD, STARS, stars

    inner = card_rect.adjusted(MARGIN + PAD, MARGIN // 2 + PAD // 2, -MARGIN - PAD, -MARGIN // 2 - PAD // 2)
    line = inner.height() // 4
    width = QFontMetrics(view.font()).horizontalAdvance(stars(STARS))
    return QRect(inner.left(), inner.top() + line, width, line)


def priority_at(area: QRect, x: int) -> int:
    """The star under x, counted from the right (the filled stars start there in right-to-left)."""
    from app.ui.opportunities.card_delegate import STARS

    return min(STARS, (area.right() - x) * STARS // max(1, area.width()) + 1)


class StarClick(QObject):
    """Event filter on a card list's viewport: a click on a card's stars calls set_priority(card, stars)."""

    def __init__(self, view: QAbstractItemView, card_at: Callable[[int], object], set_priority: Callable) -> None:
        super().__init__(view)
        self._view, self._card_at, self._set = view, card_at, set_priority
        view.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.MouseButtonRelease and event.button() == Qt.MouseButton.LeftButton:
            pos = event.position().toPoint()
            index = self._view.indexAt(pos)
            if index.isValid():
                area = stars_rect(self._view, self._view.visualRect(index))
                if area.contains(pos):
                    card = self._card_at(index.row())
                    chosen = priority_at(area, pos.x())
                    self._set(card, 0 if chosen == card.priority else chosen)
                    return True
        return False

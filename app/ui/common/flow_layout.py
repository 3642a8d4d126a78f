"""A layout that lays its items in a row and wraps them onto further rows when the width runs out.

Record headers (a heading, badges and up to a dozen buttons) are wider than the record area at
1366×768 with both docks open; in a box layout they forced the whole form to scroll sideways. The
wrapping follows Qt's Flow Layout example; two additions: items are placed from the right in a
right-to-left layout (custom layouts are not mirrored by Qt), and when everything fits on one row the
items from `push_from` on are pushed to the far end, as a box layout's stretch would.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QStyle, QWidget


class FlowLayout(QLayout):
    def __init__(self, parent: QWidget | None = None, push_from: int | None = None) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._push_from = push_from

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), place=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, place=True)

    def sizeHint(self) -> QSize:
        visible = self._visible()
        m = self.contentsMargins()
        width = sum(i.sizeHint().width() for i in visible) + self._gap() * max(len(visible) - 1, 0)
        height = max((i.sizeHint().height() for i in visible), default=0)
        return QSize(width + m.left() + m.right(), height + m.top() + m.bottom())

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._visible():
            size = size.expandedTo(item.minimumSize())
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    def _visible(self) -> list[QLayoutItem]:
        return [i for i in self._items if not i.isEmpty()]

    def _gap(self) -> int:
        gap = self.spacing()
        if gap < 0:
            parent = self.parentWidget()
            gap = parent.style().pixelMetric(QStyle.PixelMetric.PM_LayoutHorizontalSpacing) if parent else 6
        return max(gap, 6)

    def _arrange(self, rect: QRect, place: bool) -> int:
        """Lays the items out in `rect` (when `place`); returns the height they need."""
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        gap = self._gap()
        rows: list[list[tuple[int, QLayoutItem, int]]] = [[]]
        used = 0
        for index, item in enumerate(self._items):
            if item.isEmpty():
                continue
            width = min(item.sizeHint().width(), max(area.width(), 0))  # a long heading is cut, not overflowing
            if rows[-1] and used + gap + width > area.width():
                rows.append([])
                used = 0
            used += (gap if rows[-1] else 0) + width
            rows[-1].append((index, item, width))
        if not rows[0]:
            return m.top() + m.bottom()
        spare = area.width() - used if len(rows) == 1 and self._push_from is not None else 0
        y = area.y()
        for row in rows:
            height = max(item.sizeHint().height() for _, item, _ in row)
            x = area.x()
            pushed = False
            for index, item, width in row:
                if spare > 0 and not pushed and index >= self._push_from:
                    x, pushed = x + spare, True
                if place:
                    self._place(item, rect, QRect(QPoint(x, y), QSize(width, height)))
                x += width + gap
            y += height + gap
        return y - gap - area.y() + m.top() + m.bottom()

    def _place(self, item: QLayoutItem, rect: QRect, logical: QRect) -> None:
        parent = self.parentWidget()
        direction = parent.layoutDirection() if parent else Qt.LayoutDirection.LeftToRight
        item.setGeometry(QStyle.visualRect(direction, rect, logical))


def record_header(info: Sequence[QWidget], actions: Sequence[QWidget]) -> FlowLayout:
    """A record's header strip: `info` (its heading first), then `actions`, at the far end while one row
    holds them all. The heading's text is cut rather than widening the form: its width was the layout's
    minimum, and a 100-character title made the form scroll sideways."""
    info[0].setMinimumWidth(1)
    header = FlowLayout(push_from=len(info))
    for widget in (*info, *actions):
        header.addWidget(widget)
    return header

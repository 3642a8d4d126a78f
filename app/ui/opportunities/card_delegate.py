"""Paints a board card (no widget per card, so 5,000 cards cost nothing until they are seen).

┌──────────────────────────────┐
│ ⚠  فروش ۵۰ دستگاه پرینتر     │  deal-health icon (none when unknown), title
│ شرکت آلفا · ★★☆              │  identity, priority stars
│ ۱۲۵٬۰۰۰٬۰۰۰ ریال · ۶۰٪        │  amount and probability
│ [عمده] [تهران]          م.ا  │  tags, owner initials
└──────────────────────────────┘
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QPen, QPixmap, QPixmapCache, QTextOption
from PySide6.QtWidgets import QAbstractItemView, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from app.persian import format_number
from app.services.opportunities.data import BoardCard
from app.ui.common.activity_icons import health_icon

CARD_HEIGHT = 92
MARGIN = 4
PAD = 8
ICON = 16
STARS = 3
TAG_COLOR = QColor("#e8eef7")
TAG_TEXT = QColor("#2d4a6e")
BORDER = QColor("#c9d1dc")
OWNER_COLOR = QColor("#5c6bc0")
CARD_COLOR = QColor("#ffffff")
STAR_COLOR = QColor("#f2a600")
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignAbsolute | Qt.AlignmentFlag.AlignVCenter
RTL_RIGHT = QTextOption(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignAbsolute | Qt.AlignmentFlag.AlignVCenter)
RTL_RIGHT.setTextDirection(Qt.LayoutDirection.RightToLeft)
RTL_RIGHT.setWrapMode(QTextOption.WrapMode.NoWrap)
TEXT_COLOR = QColor("#212121")


def chip_colors(color: str | None) -> tuple[QColor, QColor]:
    """A tag chip's background and text: the tag's own colour (set on the tag management page) with
    white or dark text, whichever reads better on it; else the default pale chip."""
    if not color:
        return TAG_COLOR, TAG_TEXT
    background = QColor(color)
    return background, QColor("#ffffff") if background.lightnessF() < 0.6 else TEXT_COLOR


def stars(priority: int) -> str:
    return "★" * priority + "☆" * (STARS - priority)


class CardDelegate(QStyledItemDelegate):
    def __init__(self, role: int, parent=None) -> None:
        super().__init__(parent)
        self._role = role

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        """As wide as the column's viewport. The list paints a card no wider than its viewport but lays
        it out (visualRect, hit tests) at this width: a width taken before the column was laid out
        (640) put the health icon's click area outside the column."""
        view = self.parent()
        width = view.viewport().width() if isinstance(view, QAbstractItemView) else option.rect.width()
        return QSize(width or 220, CARD_HEIGHT)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        """Draws the card from a cached picture: scrolling and moves only blit (QPixmapCache)."""
        card: BoardCard | None = index.data(self._role)
        if card is None:
            return
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        size = option.rect.size()
        ratio = painter.device().devicePixelRatioF() if painter.device() else 1.0
        key = (
            f"card:{card.id}:{card.version}:{size.width()}x{size.height()}:{int(selected)}:{card.health}:{ratio}"
            f":{hash(card.tag_colors)}"  # a tag's colour changes without the opportunity's version
        )
        pixmap = QPixmapCache.find(key)
        if pixmap is None:
            pixmap = QPixmap(size * ratio)
            pixmap.setDevicePixelRatio(ratio)
            pixmap.fill(Qt.GlobalColor.transparent)
            canvas = QPainter(pixmap)
            canvas.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
            local = QStyleOptionViewItem(option)
            local.rect = QRect(0, 0, size.width(), size.height())
            self._draw(canvas, local, card, selected)
            canvas.end()
            QPixmapCache.insert(key, pixmap)
        painter.drawPixmap(option.rect.topLeft(), pixmap)

    def _draw(self, painter: QPainter, option: QStyleOptionViewItem, card: BoardCard, selected: bool) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = option.rect.adjusted(MARGIN, MARGIN // 2, -MARGIN, -MARGIN // 2)
        palette = option.palette
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight) if selected else BORDER, 2 if selected else 1))
        painter.setBrush(CARD_COLOR)
        painter.drawRoundedRect(QRectF(rect), 6, 6)
        inner = rect.adjusted(PAD, PAD // 2, -PAD, -PAD // 2)
        line = (inner.height()) // 4
        font = QFont(option.font)
        text_color = TEXT_COLOR
        # Right-to-left: the start (icon, title) is on the right.
        title_rect = QRect(inner.left(), inner.top(), inner.width(), line)
        if card.health is not None:
            icon_rect = QRect(inner.right() - ICON, inner.top() + (line - ICON) // 2, ICON, ICON)
            health_icon(card.health).paint(painter, icon_rect)
            title_rect.setRight(icon_rect.left() - 4)
        bold = QFont(font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(text_color)
        self._text(painter, title_rect, card.title)
        painter.setFont(font)
        second = QRect(inner.left(), inner.top() + line, inner.width(), line)
        star_width = QFontMetrics(font).horizontalAdvance(stars(STARS)) + 6
        painter.setPen(STAR_COLOR)  # the stars at the end side (left); RTL shows the filled ones first from the right
        painter.drawText(QRect(second.left(), second.top(), star_width, line), LEFT, stars(card.priority))
        painter.setPen(text_color)
        self._text(painter, second.adjusted(star_width, 0, 0, 0), card.identity_name)
        third = QRect(inner.left(), inner.top() + 2 * line, inner.width(), line)
        self._text(painter, third, f"{format_number(card.amount)} ریال · {format_number(card.probability)}٪")
        self._footer(painter, QRect(inner.left(), inner.top() + 3 * line, inner.width(), line), card, font)
        painter.restore()

    @staticmethod
    def _text(painter: QPainter, rect: QRect, text: str) -> None:
        """Right-aligned, right-to-left text (a line starting with digits must not turn left-to-right)."""
        elided = QFontMetrics(painter.font()).elidedText(text, Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(QRectF(rect), elided, RTL_RIGHT)

    @staticmethod
    def _footer(painter: QPainter, rect: QRect, card: BoardCard, font: QFont) -> None:
        small = QFont(font)
        small.setPointSizeF(max(6.0, font.pointSizeF() * 0.85))
        painter.setFont(small)
        metrics = QFontMetrics(small)
        if card.owner_initials:  # the end side: the left
            size = rect.height() - 2
            circle = QRect(
                rect.left(), rect.top() + 1, max(size, metrics.horizontalAdvance(card.owner_initials) + 8), size
            )
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(OWNER_COLOR)
            painter.drawRoundedRect(QRectF(circle), size / 2, size / 2)
            painter.setPen(QColor("white"))
            painter.drawText(circle, Qt.AlignmentFlag.AlignCenter, card.owner_initials)
            rect = rect.adjusted(circle.width() + 6, 0, 0, 0)
        right = rect.right()
        colors = card.tag_colors or (None,) * len(card.tags)
        for tag, color in zip(card.tags, colors, strict=True):
            background, foreground = chip_colors(color)
            width = metrics.horizontalAdvance(tag) + 10
            if right - width < rect.left():
                break
            chip = QRect(right - width, rect.top() + 1, width, rect.height() - 2)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(background)
            painter.drawRoundedRect(QRectF(chip), 4, 4)
            painter.setPen(foreground)
            painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, tag)
            right -= width + 4

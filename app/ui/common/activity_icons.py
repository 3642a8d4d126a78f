"""Icons drawn in code (no image files): deal health and activity types.

Deal health (seed 002): yellow warning triangle when nothing is planned, red when the nearest
activity is overdue, green when it is due today, grey when it is in the future.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPainterPath, QPen, QPixmap, QPolygonF

from app.services.opportunities.health import HEALTH_LABEL, Health

SIZE = 32
HEALTH_COLOR = {
    Health.WARNING: QColor("#f2b600"),
    Health.OVERDUE: QColor("#d32f2f"),
    Health.TODAY: QColor("#2e7d32"),
    Health.PLANNED: QColor("#9e9e9e"),
}
# icon name (ActivityType.icon) -> (colour, glyph)
TYPE_GLYPHS = {
    "phone": ("#1565c0", "ت"),
    "people": ("#6a1b9a", "ج"),
    "bell": ("#ef6c00", "پ"),
    "check": ("#2e7d32", "✓"),
    "note": ("#795548", "ی"),
    "clip": ("#455a64", "ف"),
    "mail": ("#00838f", "@"),
    "star": ("#f9a825", "★"),
    "flag": ("#c62828", "!"),
    "money": ("#558b2f", "﷼"),
}
# what a person choosing an icon reads (the stored names stay English)
TYPE_ICON_NAMES = {
    "phone": "تلفن",
    "people": "افراد",
    "bell": "زنگ",
    "check": "تیک",
    "note": "یادداشت",
    "clip": "گیره",
    "mail": "نامه",
    "star": "ستاره",
    "flag": "پرچم",
    "money": "پول",
}


def _canvas() -> tuple[QPixmap, QPainter]:
    pixmap = QPixmap(SIZE, SIZE)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    return pixmap, painter


def _round_pen(color: QColor, width: float) -> QPen:
    pen = QPen(color, width)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    return pen


@cache
def health_icon(health: Health) -> QIcon:
    """The board/cardboard icon of a deal-health state."""
    pixmap, painter = _canvas()
    color = HEALTH_COLOR[health]
    if health is Health.WARNING:
        triangle = QPolygonF([QPointF(SIZE / 2, 2), QPointF(SIZE - 2, SIZE - 3), QPointF(2, SIZE - 3)])
        painter.setPen(QPen(color.darker(130), 1.5))
        painter.setBrush(color)
        painter.drawPolygon(triangle)
        painter.setPen(_round_pen(QColor("#3e2723"), 3))
        painter.drawLine(QPointF(SIZE / 2, 11), QPointF(SIZE / 2, 20))
        painter.drawPoint(QPointF(SIZE / 2, 25))
    else:
        painter.setPen(QPen(color.darker(130), 1.5))
        painter.setBrush(color)
        painter.drawEllipse(QRectF(4, 4, SIZE - 8, SIZE - 8))
        painter.setPen(_round_pen(QColor("white"), 2.5))
        # a clock's hands, as in the source's activity icon
        painter.drawLine(QPointF(SIZE / 2, SIZE / 2), QPointF(SIZE / 2, 10))
        painter.drawLine(QPointF(SIZE / 2, SIZE / 2), QPointF(SIZE / 2 + 6, SIZE / 2))
    painter.end()
    return QIcon(pixmap)


def health_tooltip(health: Health) -> str:
    return HEALTH_LABEL[health]


@cache
def type_icon(name: str | None) -> QIcon:
    """A small round badge for an activity type's icon name."""
    colour, glyph = TYPE_GLYPHS.get(name or "", ("#607d8b", "•"))
    pixmap, painter = _canvas()
    path = QPainterPath()
    path.addEllipse(QRectF(1, 1, SIZE - 2, SIZE - 2))
    painter.fillPath(path, QColor(colour))
    font = QFont(painter.font())
    font.setPixelSize(17)
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(QRectF(0, 0, SIZE, SIZE), Qt.AlignmentFlag.AlignCenter, glyph)
    painter.end()
    return QIcon(pixmap)

"""A folded stage's column on the board (seed 004): a narrow strip with the stage's name, count and
sum written vertically; a click unfolds it. Who folded what is kept per user (BoardService.set_folded)."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.persian import format_number

FOLDED_WIDTH = 40


class FoldedStrip(QWidget):
    sig_unfold = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFixedWidth(FOLDED_WIDTH)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip("برای باز کردن ستون کلیک کنید")
        self.text = ""

    def show_totals(self, name: str, count: int, total: int) -> None:
        self.text = f"{name} ({format_number(count)}) · {format_number(total)} ریال"
        self.setAccessibleName(self.text)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(QColor("#e3e7ec"))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawRoundedRect(self.rect(), 8, 8)
        painter.setPen(QColor("#37474f"))
        # Read from top to bottom: the strip turned a quarter clockwise, the text laid along its height.
        painter.translate(self.width(), 0)
        painter.rotate(90)
        area = QRect(8, 0, self.height() - 16, self.width())
        painter.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        painter.drawText(area, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight), self.text)
        painter.end()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.sig_unfold.emit()
        super().mouseReleaseEvent(event)

"""Bar, stacked bar, line, pie and funnel charts of a report grid, painted with QPainter.

QtCharts would add PySide6-Addons (a wheel of a few hundred MB) for four simple shapes; this widget
adds nothing to the install. Categories run right to left, the value axis stands on the right with
Persian digits, and the legend reads right to left. Saved as PNG (the widget's pixels) or PDF, in the
bundled Persian font. A click on a bar, point or slice names its category and series (`sig_picked`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPdfWriter, QPen
from PySide6.QtWidgets import QWidget

from app.persian import format_number
from app.ui.reports.grid import TOTAL, Grid
from app.ui.reports.paper import render_chart

KINDS = {"bar": "میله‌ای", "stacked": "میله‌ای انباشته", "line": "خطی", "pie": "دایره‌ای", "funnel": "قیفی"}
PALETTE = ["#2f6fb0", "#e07b39", "#3a9e5c", "#c0392b", "#8e6bb8", "#8c6d46", "#d35fa0", "#6f7f8f"]
NUMERIC = ("count", "money", "days", "percent")


@dataclass(frozen=True)
class ChartData:
    labels: list[str]
    series: list[tuple[str, list[float]]]  # name, one value per label
    columns: tuple[int, ...] = ()  # the grid column of each series (a click finds its cell)


def chart_data(grid: Grid, columns: list[int] | None = None) -> ChartData:
    """The grid's rows (totals aside) as categories; as series, the given columns, or those of the first
    numeric column's kind (a pivot's column values; a report's counts, or its amounts)."""
    rows = [r for r in grid.rows if r[0].text != TOTAL]
    if columns is None:
        kinds = [next((r[c].kind for r in rows if r[c].kind in NUMERIC), None) for c in range(len(grid.headers))]
        first = next((k for k in kinds[1:] if k), None)
        columns = [c for c in range(1, len(grid.headers)) if kinds[c] == first and grid.headers[c] != TOTAL]
    series = [(grid.headers[c], [float(r[c].value or 0) for r in rows]) for c in columns]
    return ChartData([r[0].text for r in rows], series, tuple(columns))


def _scale(top: float) -> tuple[float, str]:
    """Large amounts read in millions or billions on the axis."""
    for factor, unit in ((1e9, "میلیارد"), (1e6, "میلیون")):
        if top >= factor:
            return factor, unit
    return 1.0, ""


def _nice_step(top: float) -> float:
    raw = top / 5 or 1
    magnitude = 10 ** len(str(int(raw))) / 10
    return next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)


class ChartView(QWidget):
    sig_picked = Signal(int, int)  # category (row of the data), series

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data = ChartData([], [])
        self.kind = "bar"
        self.hits: list[tuple[QPainterPath, int, int]] = []  # what was painted where, for clicks
        self.setMinimumHeight(220)

    def set_chart(self, data: ChartData, kind: str) -> None:
        self.data, self.kind = data, kind
        self.update()

    def paintEvent(self, _event) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))
        self.hits = []
        self.paint(painter, QRectF(self.rect()))
        painter.end()

    def mousePressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        point = event.position()
        for shape, category, series in reversed(self.hits):  # the last painted is on top
            if shape.contains(point):
                self.sig_picked.emit(category, series)
                return
        super().mousePressEvent(event)

    def _hit(self, shape: QRectF | QPainterPath, category: int, series: int) -> None:
        if isinstance(shape, QRectF):
            path = QPainterPath()
            path.addRect(shape)
            shape = path
        self.hits.append((shape, category, series))

    def paint_page(self, painter: QPainter, area: QRectF) -> None:
        """Paints on another device (a PDF or printer page): the clickable places stay the widget's."""
        hits = self.hits
        self.paint(painter, area)
        self.hits = hits

    def paint(self, painter: QPainter, area: QRectF) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if not self.data.labels or not self.data.series:
            painter.drawText(area, Qt.AlignmentFlag.AlignCenter, "داده‌ای برای نمودار نیست")
            return
        legend_height = self._legend(painter, area)
        plot = area.adjusted(12, legend_height + 12, -12, -12)
        if self.kind == "pie":
            self._pie(painter, plot)
        elif self.kind == "funnel":
            self._funnel(painter, plot)
        else:
            self._axes_chart(painter, plot)

    def _legend(self, painter: QPainter, area: QRectF) -> float:
        names = self.data.labels if self.kind in ("pie", "funnel") else [name for name, _ in self.data.series]
        metrics = painter.fontMetrics()
        x, y = area.right() - 12, area.top() + 8
        for i, name in enumerate(names):  # right to left: the box, then its name
            width = metrics.horizontalAdvance(name) + 26
            if x - width < area.left() + 12:
                x, y = area.right() - 12, y + metrics.height() + 4
            painter.fillRect(QRectF(x - 12, y + 3, 10, 10), QColor(PALETTE[i % len(PALETTE)]))
            text = QRectF(x - width, y, width - 16, metrics.height())
            painter.setPen(QColor("black"))
            painter.drawText(text, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, name)
            x -= width + 10
        return y + metrics.height() + 4 - area.top()

    def _axes_chart(self, painter: QPainter, plot: QRectF) -> None:
        labels, series = self.data.labels, self.data.series
        stacked = self.kind == "stacked"
        sums = [sum(max(v[i], 0) for _, v in series) for i in range(len(labels))]
        top = max(sums if stacked else [max(v) for _, v in series]) or 1
        factor, unit = _scale(top)
        step = _nice_step(top / factor) * factor
        top = step * (int(top // step) + 1)
        metrics = painter.fontMetrics()
        axis_width = max(metrics.horizontalAdvance(t) for t in (format_number(int(top / factor)), unit)) + 14
        inner = plot.adjusted(0, metrics.height() if unit else 0, -axis_width, -metrics.height() - 8)
        painter.setPen(QPen(QColor("#bbbbbb")))
        value = 0.0
        while value <= top + 1e-9:  # grid lines and the value axis on the right (the start side)
            y = inner.bottom() - inner.height() * value / top
            painter.drawLine(QPointF(inner.left(), y), QPointF(inner.right(), y))
            tick = QRectF(inner.right() + 4, y - metrics.height() / 2, axis_width - 4, metrics.height())
            painter.setPen(QColor("black"))
            painter.drawText(tick, Qt.AlignmentFlag.AlignLeft, format_number(int(value / factor)))
            painter.setPen(QPen(QColor("#bbbbbb")))
            value += step
        if unit:
            painter.setPen(QColor("black"))
            above = plot.top() - metrics.height() / 2  # a line over the top tick's figure
            painter.drawText(QRectF(inner.right(), above, axis_width, metrics.height()), unit)
        slot = inner.width() / len(labels)
        for i, label in enumerate(labels):  # the first category on the right
            right = inner.right() - i * slot
            box = QRectF(right - slot, inner.bottom() + 4, slot, metrics.height())
            painter.setPen(QColor("black"))
            text = metrics.elidedText(label, Qt.TextElideMode.ElideLeft, int(slot) - 4)
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
        if self.kind == "line":
            self._lines(painter, inner, slot, top)
        else:
            self._bars(painter, inner, slot, top, stacked)

    def _bars(self, painter: QPainter, inner: QRectF, slot: float, top: float, stacked: bool) -> None:
        series = self.data.series
        width = slot * 0.7 / (1 if stacked else len(series))
        for i in range(len(self.data.labels)):
            right, base = inner.right() - i * slot - slot * 0.15, inner.bottom()
            for s, (_, values) in enumerate(series):
                height = inner.height() * max(values[i], 0) / top
                x = right - width if stacked else right - (s + 1) * width
                bar = QRectF(x, base - height, width, height)
                painter.fillRect(bar, QColor(PALETTE[s % len(PALETTE)]))
                self._hit(bar.adjusted(0, -3, 0, 0), i, s)  # a zero bar is still a target
                if stacked:
                    base -= height

    def _lines(self, painter: QPainter, inner: QRectF, slot: float, top: float) -> None:
        for s, (_, values) in enumerate(self.data.series):
            path = QPainterPath()
            for i, value in enumerate(values):
                point = QPointF(inner.right() - (i + 0.5) * slot, inner.bottom() - inner.height() * value / top)
                if i:
                    path.lineTo(point)
                else:
                    path.moveTo(point)
                painter.setBrush(QColor(PALETTE[s % len(PALETTE)]))
                painter.drawEllipse(point, 3, 3)
                self._hit(QRectF(point.x() - 6, point.y() - 6, 12, 12), i, s)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(QColor(PALETTE[s % len(PALETTE)]), 2))
            painter.drawPath(path)

    def _pie(self, painter: QPainter, plot: QRectF) -> None:
        values = [max(v, 0) for v in self.data.series[0][1]]
        total = sum(values) or 1
        side = min(plot.width(), plot.height())
        circle = QRectF(plot.center().x() - side / 2, plot.center().y() - side / 2, side, side)
        start = 90 * 16
        for i, value in enumerate(values):
            span = -int(round(360 * 16 * value / total))  # clockwise from the top
            painter.setBrush(QColor(PALETTE[i % len(PALETTE)]))
            painter.setPen(QPen(QColor("white"), 1))
            painter.drawPie(circle, start, span)
            slice_ = QPainterPath(circle.center())
            slice_.arcTo(circle, start / 16, span / 16)
            self._hit(slice_, i, 0)
            start += span

    def _funnel(self, painter: QPainter, plot: QRectF) -> None:
        """Steps from the top down, each as wide as its share of the first, centred, with its figure."""
        values = [max(v, 0) for v in self.data.series[0][1]]
        widest = max(values) or 1
        height = plot.height() / len(values)
        for i, value in enumerate(values):
            width = max(plot.width() * value / widest, 2)
            step = QRectF(plot.center().x() - width / 2, plot.top() + i * height + 2, width, height - 4)
            painter.fillRect(step, QColor(PALETTE[i % len(PALETTE)]))
            self._hit(step, i, 0)
            text = f"{self.data.labels[i]}: {format_number(int(value))}"
            painter.setPen(QColor("black"))
            box = QRectF(plot.left(), step.top(), plot.width(), step.height())
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)

    def save(self, path: Path, title: str = "") -> bool:
        """PNG (the pixels shown) or PDF (an A4 landscape page drawn anew, under the title); False if
        not written."""
        if path.suffix.lower() == ".pdf":
            return render_chart(self, title, QPdfWriter(str(path)))
        return self.grab().save(str(path), "PNG")

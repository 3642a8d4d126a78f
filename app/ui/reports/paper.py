"""Charts on paper: landscape A4 pages of a PDF writer or a printer, painted in screen pixels at any
resolution, in the bundled Persian font (embedded in a PDF)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QMarginsF, QRectF, Qt
from PySide6.QtGui import QFont, QPagedPaintDevice, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget

from app.ui.qt_setup import FONT_FAMILY

if TYPE_CHECKING:
    from app.ui.reports.chart import ChartView

SCREEN_DPI = 96  # the charts are laid out in screen pixels; a page is scaled to its own resolution
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop


def font(pixels: int, bold: bool = False) -> QFont:
    font = QFont(FONT_FAMILY)
    font.setPixelSize(pixels)  # in the painter's (scaled) units, unlike a point size
    font.setBold(bold)
    return font


def begin(device: QPagedPaintDevice) -> tuple[QPainter, QRectF] | None:
    """A painter on landscape A4 pages, in screen pixels whatever the device's resolution, and the page."""
    device.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    device.setPageOrientation(QPageLayout.Orientation.Landscape)
    device.setPageMargins(QMarginsF(10, 10, 10, 10))
    painter = QPainter(device)
    if not painter.isActive():
        return None
    scale = device.logicalDpiX() / SCREEN_DPI
    painter.scale(scale, scale)
    return painter, QRectF(0, 0, painter.viewport().width() / scale, painter.viewport().height() / scale)


def render_chart(chart: ChartView, title: str, device: QPagedPaintDevice) -> bool:
    """One chart on a page under its title; False if the device would not paint."""
    begun = begin(device)
    if begun is None:
        return False
    painter, page = begun
    painter.setFont(font(18, bold=True))
    painter.drawText(page, RIGHT, title)
    painter.setFont(font(13))
    chart.paint_page(painter, page.adjusted(0, 40, 0, 0))
    return painter.end()


def ask_printer(parent: QWidget, title: str) -> QPrinter | None:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    return printer if QPrintDialog(printer, parent).exec() == QDialog.DialogCode.Accepted else None

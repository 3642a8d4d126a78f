"""The dashboard on paper and on disk: a PNG of the tab, a PDF or a print (a page of headline figures,
then a page per chart, in the bundled Persian font), and an XLSX workbook with a sheet per report."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl import Workbook
from PySide6.QtCore import QMarginsF, QRectF, Qt
from PySide6.QtGui import QFont, QPagedPaintDevice, QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog

from app.persian import format_date
from app.ui.errors import show_error
from app.ui.qt_setup import FONT_FAMILY
from app.ui.reports.export import add_sheet

if TYPE_CHECKING:
    from app.ui.reports.dashboard import DashboardForm

TITLE = "داشبورد فروش"
SCREEN_DPI = 96  # the charts are laid out in screen pixels; a page is scaled to its own resolution


def _font(pixels: int, bold: bool = False) -> QFont:
    font = QFont(FONT_FAMILY)
    font.setPixelSize(pixels)  # in the painter's (scaled) units, unlike a point size
    font.setBold(bold)
    return font


def _period(form: DashboardForm) -> str:
    f = form.data.filter
    return f"از {format_date(f.start)} تا {format_date(f.end)}"


def render(form: DashboardForm, device: QPagedPaintDevice) -> bool:
    """The figures' page, then one page per chart; False if the device would not paint."""
    device.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    device.setPageOrientation(QPageLayout.Orientation.Landscape)
    device.setPageMargins(QMarginsF(10, 10, 10, 10))
    painter = QPainter(device)
    if not painter.isActive():
        return False
    scale = device.logicalDpiX() / SCREEN_DPI
    painter.scale(scale, scale)
    page = QRectF(0, 0, painter.viewport().width() / scale, painter.viewport().height() / scale)
    right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop
    painter.setFont(_font(22, bold=True))
    painter.drawText(page.adjusted(0, 0, 0, -page.height() + 40), right, TITLE)
    painter.setFont(_font(15))
    painter.drawText(page.adjusted(0, 44, 0, 0), right, _period(form))
    for index, figure in enumerate(form.data.figures):
        painter.drawText(page.adjusted(0, 90 + index * 32, 0, 0), right, f"{figure.label}: {figure.text}")
    for box in form.cards.values():
        device.newPage()
        painter.setFont(_font(18, bold=True))
        painter.drawText(page.adjusted(0, 0, 0, 0), right, f"{box.card.title} — {_period(form)}")
        painter.setFont(_font(13))
        box.chart.paint_page(painter, page.adjusted(0, 40, 0, 0))
    return painter.end()


def save_dashboard(form: DashboardForm, path: Path) -> bool:
    """PNG (the tab as shown) or PDF; False if not written or nothing computed yet."""
    if form.data is None:
        return False
    if path.suffix.lower() == ".pdf":
        return render(form, QPdfWriter(str(path)))
    return form.grab().save(str(path.with_suffix(".png")), "PNG")


def print_dashboard(form: DashboardForm) -> None:
    if form.data is None:
        show_error(form, "داشبورد هنوز محاسبه نشده است.")
        return
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(TITLE)
    if QPrintDialog(printer, form).exec() != QDialog.DialogCode.Accepted:
        return
    if not render(form, printer):
        show_error(form, "چاپ انجام نشد. چاپگر را بررسی کنید و دوباره امتحان کنید.")


def write_dashboard_xlsx(form: DashboardForm, path: Path) -> None:
    """A sheet of the headline figures, then a sheet per report: its figures and its chart."""
    data = form.data
    book = Workbook()
    sheet = book.active
    sheet.title = "شاخص‌ها"
    sheet.sheet_view.rightToLeft = True
    sheet.append([TITLE])
    for figure in data.figures:
        sheet.append([figure.label, figure.value])
    sheet.column_dimensions["A"].width = 30
    for key, grid in data.grids.items():
        chart = form.cards[key].chart
        add_sheet(book, grid, (chart.data, chart.kind))
    book.save(path)

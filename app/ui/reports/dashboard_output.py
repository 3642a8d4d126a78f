"""The dashboard on paper and on disk: a PNG of the tab, a PDF or a print (a page of headline figures,
then a page per chart, in the bundled Persian font), and an XLSX workbook with a sheet per report."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl import Workbook
from PySide6.QtGui import QPagedPaintDevice, QPdfWriter

from app.persian import format_date
from app.ui.errors import show_error
from app.ui.reports.export import add_sheet
from app.ui.reports.paper import RIGHT, ask_printer, begin, font

if TYPE_CHECKING:
    from app.ui.reports.dashboard import DashboardForm

TITLE = "داشبورد فروش"


def _period(form: DashboardForm) -> str:
    f = form.data.filter
    return f"از {format_date(f.start)} تا {format_date(f.end)}"


def render(form: DashboardForm, device: QPagedPaintDevice) -> bool:
    """The figures' page, then one page per chart; False if the device would not paint."""
    begun = begin(device)
    if begun is None:
        return False
    painter, page = begun
    painter.setFont(font(22, bold=True))
    painter.drawText(page.adjusted(0, 0, 0, -page.height() + 40), RIGHT, TITLE)
    painter.setFont(font(15))
    painter.drawText(page.adjusted(0, 44, 0, 0), RIGHT, _period(form))
    for index, figure in enumerate(form.data.figures):
        painter.drawText(page.adjusted(0, 90 + index * 32, 0, 0), RIGHT, f"{figure.label}: {figure.text}")
    for box in form.cards.values():
        device.newPage()
        painter.setFont(font(18, bold=True))
        painter.drawText(page.adjusted(0, 0, 0, 0), RIGHT, f"{box.card.title} — {_period(form)}")
        painter.setFont(font(13))
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
    printer = ask_printer(form, TITLE)
    if printer is not None and not render(form, printer):
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

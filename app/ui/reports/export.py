"""A report grid to an XLSX sheet: right-to-left, numbers as numbers (a spreadsheet sums them), and its
chart, when one is shown, as Excel's own chart over those cells (it follows edits of the figures)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, PieChart, Reference
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from app.services.reports.data import COUNT, DAYS, MONEY, PERCENT
from app.ui.reports.chart import ChartData
from app.ui.reports.grid import Grid

FORMATS = {COUNT: "#,##0", MONEY: "#,##0", DAYS: "#,##0", PERCENT: "0.0"}


def _excel_chart(kind: str):
    if kind == "line":
        return LineChart()
    if kind == "pie":
        return PieChart()
    chart = BarChart()
    chart.type = "bar" if kind == "funnel" else "col"
    if kind == "stacked":
        chart.grouping, chart.overlap = "stacked", 100
    return chart


def add_chart(sheet: Worksheet, data: ChartData, kind: str) -> None:
    """The chart over the sheet's cells: categories from the first column, a series per charted column
    (the grid's rows start on the sheet's third row, after the title and the headers)."""
    if not data.labels or not data.columns:
        return
    last = 2 + len(data.labels)
    chart = _excel_chart(kind)
    for column in data.columns[:1] if kind in ("pie", "funnel") else data.columns:
        chart.add_data(Reference(sheet, min_col=column + 1, min_row=2, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=3, max_row=last))
    chart.title = sheet["A1"].value
    chart.width, chart.height = 18, 9
    sheet.add_chart(chart, f"A{last + 3}")


def add_sheet(book: Workbook, grid: Grid, chart: tuple[ChartData, str] | None = None, name: str = "") -> None:
    """The grid as a new sheet of the book (by default named after the grid's title, within Excel's 31
    characters), with its chart (data and kind) below it."""
    sheet = book.create_sheet(name or grid.title[:31].translate(str.maketrans("[]:*?/\\", "()-----")))
    sheet.sheet_view.rightToLeft = True
    sheet.append([grid.title])
    sheet["A1"].font = Font(bold=True)
    sheet.append(grid.headers)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in grid.rows:
        sheet.append([c.value for c in row])
        for target, cell in zip(sheet[sheet.max_row], row, strict=True):
            if cell.kind in FORMATS:
                target.number_format = FORMATS[cell.kind]
    for column in sheet.columns:
        sheet.column_dimensions[column[0].column_letter].width = 22
    if chart is not None:
        add_chart(sheet, *chart)


def write_xlsx(grid: Grid, path: Path, chart: tuple[ChartData, str] | None = None) -> None:
    book = Workbook()
    book.remove(book.active)
    add_sheet(book, grid, chart, "گزارش")
    book.save(path)

"""A report grid to an XLSX sheet: right-to-left, numbers as numbers (a spreadsheet sums them)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from app.services.reports.data import COUNT, DAYS, MONEY, PERCENT
from app.ui.reports.grid import Grid

FORMATS = {COUNT: "#,##0", MONEY: "#,##0", DAYS: "#,##0", PERCENT: "0.0"}


def add_sheet(book: Workbook, grid: Grid) -> None:
    """The grid as a new sheet of the book (named after the grid's title, within Excel's 31 characters)."""
    sheet = book.create_sheet(grid.title[:31].translate(str.maketrans("[]:*?/\\", "()-----")))
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


def write_xlsx(grid: Grid, path: Path) -> None:
    book = Workbook()
    book.remove(book.active)
    add_sheet(book, grid)
    book.active.title = "گزارش"
    book.save(path)

"""A report grid shown in a table widget, and the records behind one of its cells (the drill dialog):
shared by the reports dock and the dashboard."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QTableWidget, QTableWidgetItem, QWidget

from app.services.core.actor import Actor
from app.services.reports.service import ReportService
from app.ui.reports.drill_dialog import DrillDialog
from app.ui.reports.grid import TOTAL, Grid


def fill_table(table: QTableWidget, grid: Grid) -> None:
    table.clear()
    table.setColumnCount(len(grid.headers))
    table.setHorizontalHeaderLabels(grid.headers)
    table.setRowCount(len(grid.rows))
    bold = QFont(table.font())
    bold.setBold(True)
    for r, row in enumerate(grid.rows):
        for c, cell in enumerate(row):
            item = QTableWidgetItem(cell.text)
            if c:
                item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            if cell.drill is not None:
                item.setToolTip("برای دیدن رکوردها دوبار کلیک کنید")
            if row[0].text == TOTAL or row[0].group is not None:
                item.setFont(bold)
            table.setItem(r, c, item)
    table.resizeColumnsToContents()


def open_drill(
    parent: QWidget, service: ReportService, actor: Actor, grid: Grid, row: int, column: int
) -> DrillDialog | None:
    """Shows the records behind a cell of the grid; None for a cell without any. The dialog's
    sig_open_record is the caller's to connect."""
    cell = grid.rows[row][column]
    if cell.drill is None:
        return None
    dialog = DrillDialog(service, actor, cell.drill, f"{grid.headers[column]} — {grid.rows[row][0].text}", parent)
    dialog.show()
    return dialog

"""The administrator's list-with-buttons (users, sales teams): a read-only table of one row per
record, one row selected at a time, its buttons in a column beside it."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTableWidget, QVBoxLayout


def rows_table(headers: Sequence[str], name: str, on_select: Callable[[], None], on_open: Callable) -> QTableWidget:
    """`on_select` follows the selection (to enable the buttons); a double click runs `on_open`."""
    table = QTableWidget(0, len(headers), objectName=name)
    table.setHorizontalHeaderLabels(headers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.horizontalHeader().setStretchLastSection(True)
    table.itemSelectionChanged.connect(on_select)
    table.doubleClicked.connect(on_open)
    return table


def beside_buttons(table: QTableWidget, buttons: Sequence[QPushButton]) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addWidget(table)
    column = QVBoxLayout()
    for button in buttons:
        column.addWidget(button)
    column.addStretch()
    row.addLayout(column)
    return row


def selected_row(table: QTableWidget, rows: list):
    """The record of the selected table row, or None (also while the list is empty)."""
    chosen = table.selectionModel().selectedRows() if rows else []
    return rows[chosen[0].row()] if chosen else None

"""Editing document and opportunity lines as a rep does (not a test module): a product picked by
typing part of its code and choosing it from the list that drops down; a cell typed into."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit

from tests.ui.persian_typing import type_text


def pick_product(qtbot, edit: QLineEdit, code: str) -> None:
    edit.window().activateWindow()
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    QApplication.processEvents()  # a document's editor clears the box just after the previous pick
    edit.clear()
    type_text(edit, code)
    popup = edit.completer().popup()
    model = popup.model()

    def listed() -> list[int]:  # the list shows the previous search's products until the new one ran
        return [r for r in range(model.rowCount()) if model.index(r, 0).data().startswith(f"{code} ")]

    qtbot.waitUntil(lambda: popup.isVisible() and bool(listed()))
    popup.setCurrentIndex(model.index(listed()[0], 0))
    QTest.keyClick(popup, Qt.Key.Key_Return)


def type_in_cell(qtbot, table, row: int, column: int, text: str) -> None:
    """The cell's editor opens (as on a double click), the text replaces its content, Return commits it."""
    table.window().activateWindow()
    qtbot.waitUntil(table.window().isActiveWindow)
    table.setCurrentCell(row, column)
    table.editItem(table.item(row, column))

    def editor() -> QLineEdit | None:  # the cell's editor lives on the table's viewport
        return next((e for e in table.viewport().findChildren(QLineEdit) if e.isVisible()), None)

    qtbot.waitUntil(lambda: editor() is not None)
    edit = editor()
    edit.setFocus()
    edit.selectAll()
    type_text(edit, text)
    QTest.keyClick(edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: editor() is None)  # Qt commits a Return-closed editor from the event loop

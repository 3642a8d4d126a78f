"""Picking a product in a line editor as a rep does: type part of its code, choose it from the list
that drops down (not a test module)."""

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

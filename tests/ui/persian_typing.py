"""Typing any text, Persian included, into a widget in tests.

qtbot.keyClicks / QTest.keyClicks abort the whole process on a non-ASCII character (a Qt
assertion), so each character is sent as its own key event carrying the text.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget


def type_text(widget: QWidget, text: str) -> None:
    for char in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, char, Qt.KeyboardModifier.NoModifier)

"""Persian everywhere: multi-line text aligned right, quantities, digits while editing, icons."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QPlainTextEdit

from app.ui.qt_setup import configure_application


@pytest.fixture
def configured(qtbot):
    """configure_application changes process-wide state; put back what other tests rely on."""
    app = QApplication.instance()
    direction, font, style_sheet, locale = app.layoutDirection(), app.font(), app.styleSheet(), QLocale()
    configure_application(app)
    yield app
    app.setLayoutDirection(direction)
    app.setFont(font)
    app.setStyleSheet(style_sheet)
    QLocale.setDefault(locale)


def test_multi_line_persian_text_starts_at_the_right_edge(qtbot, configured):
    edit = QPlainTextEdit()
    qtbot.addWidget(edit)
    edit.resize(400, 120)
    edit.setPlainText("نتیجه تماس\nمشتری پیش‌فاکتور خواست")
    edit.show()
    qtbot.waitExposed(edit)
    edit.setPlainText("نتیجه تماس\nمشتری پیش‌فاکتور خواست")  # loaded again after showing
    cursor = edit.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    cursor.movePosition(QTextCursor.MoveOperation.StartOfLine)
    edit.setTextCursor(cursor)
    assert edit.cursorRect().x() > edit.viewport().width() * 3 // 4  # a right-to-left line starts right

"""Helpers for the activities area's UI tests.

They do not call configure_application (its application-wide RTL and Persian locale change how some
other areas' tests type into fields); each widget is made right-to-left with the bundled font instead.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QWidget

from app.config import resources_dir
from app.ui.qt_setup import FONT_FAMILY, FONT_POINT_SIZE

_fonts_loaded = False


def persian_widget(widget: QWidget) -> QWidget:
    """Right-to-left with Vazirmatn, as the application makes every window."""
    global _fonts_loaded
    if not _fonts_loaded:
        for name in ("Vazirmatn-Regular.ttf", "Vazirmatn-Bold.ttf"):
            QFontDatabase.addApplicationFont(str(resources_dir() / "fonts" / name))
        _fonts_loaded = True
    widget.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    widget.setFont(QFont(FONT_FAMILY, FONT_POINT_SIZE))
    return widget


def when_dialog(cls, act) -> list:
    """Acts on the modal dialog of type `cls` once it is open (exec() runs its own event loop).

    A failure inside `act` closes the dialog (so exec() returns) and is kept in the returned list.
    """
    failures: list = []

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, cls):
            QTimer.singleShot(20, poll)
            return
        try:
            act(persian_widget(dialog))
        except BaseException as exc:  # noqa: BLE001  (re-raised by the test)
            failures.append(exc)
            dialog.reject()

    QTimer.singleShot(0, poll)
    return failures

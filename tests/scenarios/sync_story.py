"""What the two-laptop sync story does with its hands (not a test module): main windows on either side,
modal dialogs driven while they are open, menus clicked by their Persian names, record forms edited and
saved, and screenshots at the screen size the story is told at."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QMenu, QWidget

from app.ui.main_window import MainWindow
from tests.conftest import TEST_OUTPUT
from tests.ui.persian_typing import type_text

SCREEN = (1366, 768)
WAIT = 20_000  # ms: a sync or a first copy through PostgreSQL on a busy machine


class Files:
    """The answers to the file questions (QFileDialog), in the order the story asks them."""

    def __init__(self) -> None:
        self.opens: list[Path] = []
        self.saves: list[Path] = []

    def open_name(self, *_args, **_kwargs) -> tuple[str, str]:
        return str(self.opens.pop(0)), ""

    def save_name(self, *_args, **_kwargs) -> tuple[str, str]:
        return str(self.saves.pop(0)), ""

    def all_answered(self) -> bool:
        return not self.opens and not self.saves


def when_modal(kind: type[QDialog], drive) -> QTimer:
    """Drives the next modal dialog of this kind once its `exec()` shows it (the caller opens it right
    after); the dialog is closed if `drive` left it open, so a failed step never hangs the story."""
    timer = QTimer(QApplication.instance(), interval=20)

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind):
            return
        timer.stop()
        try:
            drive(dialog)
        finally:
            if dialog.isVisible():
                dialog.reject()
            timer.deleteLater()

    timer.timeout.connect(poll)
    timer.start()
    return timer


def main_window(qtbot, tmp_path: Path, name: str, services, actor) -> MainWindow:
    window = MainWindow(QSettings(str(tmp_path / f"ui-{name}.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.resize(*SCREEN)
    window.show()
    qtbot.waitExposed(window)
    window.attach(services, actor)
    return window


def menu(window: MainWindow, title: str) -> QMenu:
    return next(a.menu() for a in window.menuBar().actions() if a.text() == title)


def item(in_menu: QMenu, text: str):
    """The menu's item of this text (None until it is there)."""
    return next((a for a in in_menu.actions() if a.text() == text), None)


def sync_file_item(window: MainWindow, text: str):
    """«فایل ← فایل همگام‌سازی ← …»"""
    files_menu = item(menu(window, "فایل"), "فایل همگام‌سازی").menu()
    return item(files_menu, text)


def retype(edit: QLineEdit, text: str) -> None:
    """What a user does to change a field: selects what is there and types over it."""
    edit.setFocus()
    edit.selectAll()
    type_text(edit, text)


def shot(widget: QWidget, name: str) -> Path:
    QApplication.processEvents()
    TEST_OUTPUT.mkdir(exist_ok=True)
    path = TEST_OUTPUT / f"sync_story_{name}.png"
    assert widget.grab().save(str(path))
    return path

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import logging
import sys
import threading
from collections.abc import Callable, Iterator
from logging.handlers import RotatingFileHandler
from pathlib import Path

import pytest
from PySide6.QtCore import QThread, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QTextEdit, QWidget

from app.ui import errors
from app.ui.errors import (
    UNEXPECTED_TEXT,
    install_error_handler,
    present_unexpected_error,
    setup_logging,
    show_error,
)


def boom() -> None:
    raise ValueError("boom")


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("PEYVAND_HOME", str(tmp_path))
    return tmp_path


@pytest.fixture
def install(home) -> Iterator[Callable[..., errors.ErrorHandler]]:
    """Installs the handler for one test and restores pytest-qt's own exception hooks after."""
    installed: list[errors.ErrorHandler] = []

    def _install(presenter: errors.Presenter | None = None) -> errors.ErrorHandler:
        installed.append(install_error_handler(QApplication.instance(), presenter))
        return installed[-1]

    yield _install
    for handler in reversed(installed):
        handler.uninstall()


def log_text(home: Path) -> str:
    return (home / "logs" / "peyvand.log").read_text(encoding="utf-8")


def visible_message_boxes() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]


def test_an_exception_in_a_slot_is_logged_presented_and_the_app_goes_on(qtbot, home, install):
    shown, later = [], []
    install(presenter=shown.append)
    QTimer.singleShot(0, boom)
    QTimer.singleShot(20, lambda: later.append("still running"))
    qtbot.waitUntil(lambda: bool(shown and later))
    assert isinstance(shown[0], ValueError)
    text = log_text(home)
    assert "Unexpected error" in text
    assert "Traceback" in text and 'raise ValueError("boom")' in text


def test_the_default_dialog_is_persian_and_keeps_the_details_folded(qtbot, home, install):
    install()
    QTimer.singleShot(0, boom)
    qtbot.waitUntil(lambda: len(visible_message_boxes()) == 1)
    (box,) = visible_message_boxes()
    assert box.text() == UNEXPECTED_TEXT
    assert box.informativeText().startswith(errors.describe(ValueError()))
    assert str(home / "logs" / "peyvand.log") in box.detailedText()
    assert "ValueError: boom" in box.detailedText()
    assert not any(edit.isVisible() for edit in box.findChildren(QTextEdit))  # details folded
    box.accept()
    qtbot.waitUntil(lambda: not visible_message_boxes())


def test_errors_while_the_dialog_is_open_are_only_logged(qtbot, home, install):
    presented = []

    def presenter(exc: BaseException) -> QMessageBox:
        presented.append(exc)
        return present_unexpected_error(exc)

    install(presenter)
    QTimer.singleShot(0, boom)
    QTimer.singleShot(0, lambda: 1 / 0)
    qtbot.waitUntil(lambda: "ZeroDivisionError" in log_text(home))
    assert len(presented) == 1
    assert len(visible_message_boxes()) == 1
    visible_message_boxes()[0].accept()


def test_an_exception_in_a_python_thread_is_presented_in_the_ui_thread(qtbot, home, install):
    threads = []
    install(presenter=lambda exc: threads.append((exc, QThread.currentThread())))
    worker = threading.Thread(target=boom)
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: bool(threads))
    exc, thread = threads[0]
    assert isinstance(exc, ValueError)
    assert thread == QApplication.instance().thread()
    assert "ValueError: boom" in log_text(home)


def test_uninstall_restores_the_previous_hooks(install):
    before = sys.excepthook, threading.excepthook
    install().uninstall()
    assert (sys.excepthook, threading.excepthook) == before


def test_show_error_waits_for_the_user_and_shows_message_and_details(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    seen = []

    def read_and_close() -> None:
        box = QApplication.activeModalWidget()
        seen.append((box.text(), box.detailedText()))
        box.accept()

    QTimer.singleShot(0, read_and_close)
    show_error(parent, "شماره تلفن معتبر نیست.", details="0912-abc")
    assert seen == [("شماره تلفن معتبر نیست.", "0912-abc")]


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (PermissionError(), "اجازهٔ دسترسی"),
        (FileNotFoundError(), "پیدا نشد"),
        (OSError(), "دیسک"),
        (KeyError("x"), "کامل نشد"),
    ],
)
def test_describe_says_what_went_wrong_without_technical_words(exc, expected):
    assert expected in errors.describe(exc)


def test_setup_logging_uses_a_rotating_utf8_file(home):
    path = setup_logging()
    handlers = [h for h in logging.getLogger().handlers if isinstance(h, RotatingFileHandler)]
    assert [h.baseFilename for h in handlers] == [str(path)]
    (handler,) = handlers
    assert handler.maxBytes == errors.LOG_MAX_BYTES and handler.backupCount == errors.LOG_BACKUP_COUNT
    assert handler.encoding == "utf-8"
    logging.getLogger("peyvand.test").warning("سلام")
    handler.flush()
    assert "سلام" in path.read_text(encoding="utf-8")

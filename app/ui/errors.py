"""Errors: unexpected exceptions are logged with their traceback and shown as a calm Persian dialog.

The application keeps running after an unexpected exception; the details for support are one click
away in the dialog and in the rotating log file.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

import shiboken6
from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from app.config import log_dir

LOG_FILE_NAME = "peyvand.log"
LOG_MAX_BYTES = 1_000_000
LOG_BACKUP_COUNT = 5

ERROR_TITLE = "خطا"
UNEXPECTED_TEXT = "خطای پیش‌بینی‌نشده‌ای رخ داد. برنامه به کار خود ادامه می‌دهد."
WHAT_TO_DO = "کار را دوباره امتحان کنید؛ اگر خطا تکرار شد، «جزئیات» را برای پشتیبانی بفرستید."
# What went wrong, without technical words; the first matching type wins (subclasses first).
_DESCRIPTIONS: tuple[tuple[type[BaseException], str], ...] = (
    (PermissionError, "برنامه اجازهٔ دسترسی به یک پرونده یا پوشه را نداشت."),
    (FileNotFoundError, "پرونده‌ای که لازم بود پیدا نشد."),
    (ConnectionError, "ارتباط با سرور برقرار نشد."),
    (TimeoutError, "پاسخ سرور بیش از حد طول کشید."),
    (MemoryError, "حافظهٔ رایانه کافی نبود."),
    (OSError, "خواندن یا نوشتن روی دیسک ممکن نشد."),
)
_DEFAULT_DESCRIPTION = "کاری که در حال انجام بود کامل نشد."

Presenter = Callable[[BaseException], QDialog | None]
"""Shows an unexpected exception; returns the dialog it opened (if any) so later errors that
happen while it is visible are only logged."""

log = logging.getLogger(__name__)
_file_handler: RotatingFileHandler | None = None
_handler: ErrorHandler | None = None


def log_file() -> Path:
    return log_dir() / LOG_FILE_NAME


def setup_logging(level: int = logging.INFO) -> Path:
    """Send the root logger to the rotating log file; call once at start-up (repeat calls are
    harmless and follow a changed PEYVAND_HOME). Returns the log file's path."""
    global _file_handler
    path = log_file()
    if _file_handler is not None and _file_handler.baseFilename == os.path.abspath(path):
        return path
    root = logging.getLogger()
    if _file_handler is not None:
        root.removeHandler(_file_handler)
        _file_handler.close()
    _file_handler = RotatingFileHandler(path, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUP_COUNT, encoding="utf-8")
    _file_handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s [%(threadName)s] %(name)s: %(message)s"))
    root.addHandler(_file_handler)
    root.setLevel(level)
    return path


def describe(exc: BaseException) -> str:
    """A short Persian description of what went wrong, for people rather than programmers."""
    for exc_type, text in _DESCRIPTIONS:
        if isinstance(exc, exc_type):
            return text
    return _DEFAULT_DESCRIPTION


def present_unexpected_error(exc: BaseException) -> QMessageBox:
    """The default presenter: a non-blocking message box with the details folded away."""
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        ERROR_TITLE,
        UNEXPECTED_TEXT,
        QMessageBox.StandardButton.Ok,
        QApplication.activeWindow(),
    )
    box.setInformativeText(f"{describe(exc)}\n{WHAT_TO_DO}")
    box.setDetailedText(f"پروندهٔ گزارش: {log_file()}\n{type(exc).__name__}: {exc}")
    # open(), not exec(): no nested event loop inside an exception hook, and the app goes on.
    box.finished.connect(box.deleteLater)
    box.open()
    return box


def show_error(parent: QWidget | None, message: str, details: str | None = None) -> None:
    """Show an expected error (what went wrong and what to do) and wait until it is closed.

    Blocking like QMessageBox.warning, so a caller may stop right after it (e.g. quit at start-up).
    """
    log.warning("Shown to the user: %s%s", message, f" ({details})" if details else "")
    box = QMessageBox(QMessageBox.Icon.Warning, ERROR_TITLE, message, QMessageBox.StandardButton.Ok, parent)
    if details:
        box.setDetailedText(details)
    box.exec()
    box.deleteLater()


def report_exception(exc: BaseException) -> None:
    """Log an unexpected exception with its traceback and show it; callable from any thread.

    Without an installed handler the exception is only logged.
    """
    log.error("Unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
    if _handler is not None:
        _handler.sig_reported.emit(exc)


class ErrorHandler(QObject):
    """Presents reported exceptions in the UI thread, one dialog at a time."""

    sig_reported = Signal(object)
    """An exception was reported (from any thread); it is already logged."""

    def __init__(self, presenter: Presenter, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._presenter = presenter
        self._dialog: QDialog | None = None
        self._previous_hooks = (sys.excepthook, threading.excepthook)
        # Emitted from a worker thread, this connection is queued: the dialog opens in the UI thread.
        self.sig_reported.connect(self._present)

    def uninstall(self) -> None:
        global _handler
        sys.excepthook, threading.excepthook = self._previous_hooks
        if _handler is self:
            _handler = None
        self.deleteLater()

    @Slot(object)
    def _present(self, exc: BaseException) -> None:
        if self._dialog_open():
            return  # a storm of errors: one dialog is enough, the rest are in the log
        try:
            self._dialog = self._presenter(exc)
        except Exception:  # the presenter failing must not re-enter the hook forever
            log.exception("Could not show the error dialog")

    def _dialog_open(self) -> bool:
        dialog = self._dialog
        return dialog is not None and shiboken6.isValid(dialog) and dialog.isVisible()


def install_error_handler(app: QApplication, presenter: Presenter | None = None) -> ErrorHandler:
    """Route uncaught exceptions (main thread, Qt slots, Python threads) to the log and a dialog."""
    global _handler
    setup_logging()
    _handler = ErrorHandler(presenter or present_unexpected_error, app)
    sys.excepthook = _excepthook
    threading.excepthook = _thread_excepthook
    return _handler


def _excepthook(exc_type: type[BaseException], exc: BaseException, traceback: TracebackType | None) -> None:
    if issubclass(exc_type, KeyboardInterrupt):  # Ctrl+C in a console is not an error
        sys.__excepthook__(exc_type, exc, traceback)
        return
    report_exception(exc.with_traceback(traceback))


def _thread_excepthook(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is None or issubclass(args.exc_type, SystemExit):
        return  # the default hook ignores SystemExit too
    report_exception(args.exc_value.with_traceback(args.exc_traceback))

"""Long work off the UI thread, with progress, cooperative cancel and a Persian progress dialog.

A task function is plain Python: it is called in a worker thread as ``fn(context, *args)``, calls
services, never touches widgets, reports with ``context.report(done, total, message)`` and, when
``context.cancelled()`` turns true, stops by raising ``TaskCancelled``. The ``Task`` object lives in
the UI thread and announces the outcome there through its signals.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, ClassVar

from PySide6.QtCore import QObject, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QProgressBar, QVBoxLayout, QWidget

from app.ui.errors import report_exception

TaskFunction = Callable[..., Any]
"""Called as fn(context: TaskContext, *args) in a worker thread; its return value is the result."""

REPORT_INTERVAL_S = 0.05  # more progress than ~20 updates a second only floods the event queue
SHOW_DELAY_MS = 400  # quick tasks finish before the dialog would flash on screen
PREPARING_TEXT = "در حال آماده‌سازی…"
CANCELLING_TEXT = "در حال انصراف…"
CANCEL_TEXT = "انصراف"

_FINISHED, _FAILED, _CANCELLED = "finished", "failed", "cancelled"


class TaskCancelled(Exception):
    """Raised by a task function that saw ``context.cancelled()``; the task ends as cancelled."""


class TaskContext:
    """The task function's only link back to the UI; safe to use from the worker thread."""

    def __init__(self, emit_progress: Callable[[int, int, str], None]) -> None:
        self._emit_progress = emit_progress
        self._cancel_requested = threading.Event()
        self._last_report = float("-inf")

    def report(self, done: int, total: int, message: str = "") -> None:
        """Progress so far; total <= 0 means unknown. Throttled, but the last step always shows."""
        now = time.monotonic()
        if done < total and now - self._last_report < REPORT_INTERVAL_S:
            return
        self._last_report = now
        self._emit_progress(done, total, message)

    def cancelled(self) -> bool:
        return self._cancel_requested.is_set()

    def request_cancel(self) -> None:
        self._cancel_requested.set()


class Task(QObject):
    """One run of a task function in the global thread pool; create, connect, then start()."""

    sig_progressed = Signal(int, int, str)
    """done, total, message, as reported by the task function."""
    sig_finished = Signal(object)
    """The function returned; carries its result."""
    sig_failed = Signal(object)
    """The function raised; carries the exception (its traceback attached)."""
    sig_cancelled = Signal()
    """The function stopped by raising TaskCancelled."""

    _sig_worker_progressed = Signal(int, int, str)
    _sig_worker_ended = Signal(str, object)

    # A running task must outlive the caller's reference, or its signals would arrive at nothing.
    _running: ClassVar[set[Task]] = set()

    def __init__(self, fn: TaskFunction, *args: Any) -> None:
        super().__init__()
        self._fn = fn
        self._args = args
        self.context = TaskContext(self._sig_worker_progressed.emit)
        # The worker emits these private signals; the receivers live in the UI thread, so Qt
        # queues the calls there and the public signals are always emitted in the UI thread.
        self._sig_worker_progressed.connect(self.sig_progressed)
        self._sig_worker_ended.connect(self._on_worker_ended)

    def start(self) -> None:
        Task._running.add(self)
        QThreadPool.globalInstance().start(self._run)

    def cancel(self) -> None:
        """Ask the function to stop; it ends when it next checks ``context.cancelled()``."""
        self.context.request_cancel()

    def is_running(self) -> bool:
        return self in Task._running

    def _run(self) -> None:  # worker thread
        try:
            result = self._fn(self.context, *self._args)
        except TaskCancelled:
            self._sig_worker_ended.emit(_CANCELLED, None)
        except Exception as exc:  # delivered to the UI thread as sig_failed, never lost
            self._sig_worker_ended.emit(_FAILED, exc)
        else:
            self._sig_worker_ended.emit(_FINISHED, result)

    @Slot(str, object)
    def _on_worker_ended(self, outcome: str, payload: object) -> None:
        Task._running.discard(self)
        if outcome == _FINISHED:
            self.sig_finished.emit(payload)
        elif outcome == _FAILED:
            self.sig_failed.emit(payload)
        else:
            self.sig_cancelled.emit()


class ProgressDialog(QDialog):
    """A modal progress window with a cancel button that stays until the task has really stopped.

    QProgressDialog is not used: it hides itself on cancel while the work goes on, and its
    setValue() spins a nested event loop.
    """

    sig_cancel_requested = Signal()

    def __init__(self, parent: QWidget | None, title: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self._label = QLabel(PREPARING_TEXT)
        self._bar = QProgressBar()
        self._bar.setRange(0, 0)  # busy until the first report
        self._bar.setFormat("%p٪")
        self._buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self._buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(CANCEL_TEXT)
        self._buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self._label)
        layout.addWidget(self._bar)
        layout.addWidget(self._buttons)
        self.setMinimumWidth(360)
        self._show_timer = QTimer(self, singleShot=True, interval=SHOW_DELAY_MS)
        self._show_timer.timeout.connect(self.show)

    def show_later(self) -> None:
        self._show_timer.start()

    @Slot(int, int, str)
    def show_progress(self, done: int, total: int, message: str) -> None:
        if message:
            self._label.setText(message)
        if total > 0:
            self._bar.setRange(0, total)
            self._bar.setValue(min(done, total))
        else:
            self._bar.setRange(0, 0)

    def reject(self) -> None:  # Esc and the cancel button: ask, and wait for the task to stop
        self._label.setText(CANCELLING_TEXT)
        self._buttons.setEnabled(False)
        self.sig_cancel_requested.emit()

    def closeEvent(self, event: QCloseEvent) -> None:  # the title bar's close button
        event.ignore()
        self.reject()

    def finish(self) -> None:
        self._show_timer.stop()
        self.hide()
        self.deleteLater()


def run_with_progress(
    parent: QWidget | None,
    title: str,
    fn: TaskFunction,
    *args: Any,
    on_done: Callable[[Any], None] | None = None,
) -> Task:
    """Run fn(context, *args) in the background behind a modal progress dialog; returns at once.

    on_done(result) runs in the UI thread when the function returns. A failure is logged and shown
    by the error handler; a cancel just closes the dialog. The returned Task's signals tell the
    outcome to callers that need more.
    """
    task = Task(fn, *args)
    dialog = ProgressDialog(parent, title)
    task.sig_progressed.connect(dialog.show_progress)
    dialog.sig_cancel_requested.connect(task.cancel)
    task.sig_finished.connect(dialog.finish)
    task.sig_failed.connect(dialog.finish)
    task.sig_cancelled.connect(dialog.finish)
    task.sig_failed.connect(report_exception)
    if on_done is not None:
        task.sig_finished.connect(on_done)
    dialog.show_later()
    task.start()
    return task

"""Long work off the UI thread, with progress, cooperative cancel and a Persian progress dialog.

A task function is plain Python: it is called in a worker thread as ``fn(context, *args)``, calls
services, never touches widgets, reports with ``context.report(done, total, message)`` and, when
``context.cancelled()`` turns true, stops by raising ``TaskCancelled``. The ``Task`` object lives in
the UI thread and announces the outcome there through its signals.

The worker never holds the last reference to anything the UI owns: a Python-owned QObject (a dialog a
lambda captured) freed there would run its C++ destructor in that thread, and its timers, still registered
with the UI thread's dispatcher, crash the process later. So the thread pool gets a small job, not the
Task; the worker drops the function, its arguments and its outcome before it signals the end through one
long-lived relay, with a token; the UI thread takes the outcome and frees the Task.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any, ClassVar

from PySide6.QtCore import QEventLoop, QObject, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from app.ui.errors import report_exception

TaskFunction = Callable[..., Any]
"""Called as fn(context: TaskContext, *args) in a worker thread; its return value is the result."""

# Background calls mostly wait on the database, which releases the GIL; one worker per core (Qt's default, 2
# on a small laptop) let a slow count queue the calls the window waits for behind it.
WORKERS = 4
AWAITED_PRIORITY = 1  # a call the GUI thread waits for (ops.run) starts before queued background reads
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


class _Ends:
    """What each ended worker left for the UI thread, by token: (outcome, payload). The UI thread takes it
    out, so the result or the exception (with its traceback's frames) is freed there."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_token: dict[int, tuple[str, object]] = {}

    def put(self, token: int, outcome: str, payload: object) -> None:
        with self._lock:
            self._by_token[token] = (outcome, payload)

    def take(self, token: int) -> tuple[str, object]:
        with self._lock:
            return self._by_token.pop(token)


class _Relay(QObject):
    """The one messenger from workers to the UI thread, created there and never deleted: a worker's signal
    carries a token and nothing the UI owns, and its queued call runs the slots in the UI thread."""

    _sig_worker_progressed = Signal(int, int, int, str)
    _sig_worker_ended = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        self.ends = _Ends()
        self._sig_worker_progressed.connect(self._on_progressed)
        self._sig_worker_ended.connect(self._on_ended)

    def progress(self, token: int, done: int, total: int, message: str) -> None:  # worker thread
        self._sig_worker_progressed.emit(token, done, total, message)

    def end(self, token: int) -> None:  # worker thread
        self._sig_worker_ended.emit(token)

    @Slot(int, int, int, str)
    def _on_progressed(self, token: int, done: int, total: int, message: str) -> None:
        task = Task._running.get(token)
        if task is not None:
            task.sig_progressed.emit(done, total, message)

    @Slot(int)
    def _on_ended(self, token: int) -> None:
        outcome, payload = self.ends.take(token)
        Task._running.pop(token)._end(outcome, payload)


_relay: _Relay | None = None
_tokens = itertools.count(1)


def _the_relay() -> _Relay:
    global _relay
    if _relay is None:  # first called by a Task made in the UI thread, so the relay lives there
        _relay = _Relay()
    return _relay


class _Job:
    """All the thread pool's runnable holds: the function and its arguments until the worker takes them,
    the token and the context. Whatever the UI owns is dropped by the worker before it signals the end, so
    the UI thread (whose Task still holds the function) always frees it last."""

    def __init__(self, token: int, context: TaskContext, fn: TaskFunction, args: tuple[Any, ...]) -> None:
        self.token = token
        self.context = context
        self.call: tuple[TaskFunction, tuple[Any, ...]] | None = (fn, args)

    def run(self) -> None:  # worker thread
        fn, args = self.call
        self.call = None
        try:
            payload = fn(self.context, *args)
            outcome = _FINISHED
        except TaskCancelled as exc:  # handed over too: its traceback's frames hold what fn held
            payload, outcome = exc, _CANCELLED
        except Exception as exc:  # delivered to the UI thread as sig_failed, never lost
            payload, outcome = exc, _FAILED
        relay = _the_relay()
        relay.ends.put(self.token, outcome, payload)
        del fn, args, payload
        relay.end(self.token)


class _Held:
    """Background tasks started while held wait for release(): at start-up the lists' first rows are
    painted before the counts, the board and the cardboard start reading (holding the GIL, they made the
    first rows 0.2 s later at a million identities). A task the GUI thread waits for is never held."""

    tasks: list[Task] | None = None


@contextlib.contextmanager
def held() -> Iterator[None]:
    """Holds background tasks started inside the block; they start, in order, when it ends."""
    _Held.tasks = []
    try:
        yield
    finally:
        waiting, _Held.tasks = _Held.tasks, None
        for task in waiting:
            task.start()


def settle(timeout_s: float = 10.0) -> None:
    """Runs the event loop until no task is running any more (their results shown) or `timeout_s` has
    passed: a screenshot shows the window as the user sees it a moment after start."""
    deadline = time.monotonic() + timeout_s
    while Task._running and time.monotonic() < deadline:
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        time.sleep(0.005)


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

    # A running task must outlive the caller's reference, or its end would reach nothing; keyed by token,
    # since the worker knows only that.
    _running: ClassVar[dict[int, Task]] = {}

    def __init__(self, fn: TaskFunction, *args: Any) -> None:
        super().__init__()
        # Kept until the task is freed in the UI thread: the worker's references are never the last.
        self._fn = fn
        self._args = args
        self._token = next(_tokens)
        self.context = TaskContext(functools.partial(_the_relay().progress, self._token))

    def start(self, awaited: bool = False) -> None:
        """Queues the function; `awaited` (the GUI thread waits for it) puts it ahead of queued tasks."""
        Task._running[self._token] = self
        if _Held.tasks is not None and not awaited:
            _Held.tasks.append(self)
            return
        job = _Job(self._token, self.context, self._fn, self._args)
        pool = QThreadPool.globalInstance()
        if pool.maxThreadCount() < WORKERS:
            pool.setMaxThreadCount(WORKERS)
        pool.start(job.run, AWAITED_PRIORITY if awaited else 0)

    def cancel(self) -> None:
        """Ask the function to stop; it ends when it next checks ``context.cancelled()``."""
        self.context.request_cancel()

    def is_running(self) -> bool:
        return self._token in Task._running

    def _end(self, outcome: str, payload: object) -> None:
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

    def __init__(self, parent: QWidget | None, title: str, cancellable: bool = True) -> None:
        super().__init__(parent)
        self._cancellable = cancellable
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self._label = QLabel(PREPARING_TEXT)
        self._bar = QProgressBar()
        self._bar.setRange(0, 0)  # busy until the first report
        self._bar.setFormat("%p٪")
        self._buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self._buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(CANCEL_TEXT)
        self._buttons.rejected.connect(self.reject)
        self._buttons.setVisible(cancellable)
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
        if not self._cancellable:  # work that must not stop halfway (a migration): it stays to the end
            return
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

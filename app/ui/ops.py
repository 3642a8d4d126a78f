"""Operations: every UI write and every slow read runs through here (after Anki's `aqt.operations`).

    op(self, lambda: services.identities.update(actor, id, data, version)).success(self._show).run()

The service call runs in a worker thread. What it changed (collected by `Database.write`, see
app/services/core/changes.py) is published on the change bus once it has committed, so every open
view refreshes itself; no caller announces anything by hand (a call that fails after some of its
writes committed still publishes those). Failures are shown the same way
everywhere: `ValidationFailed` beside the form's fields (the parent's `show_errors(errors)`, or the
`validation()` callback), `ConcurrentChange` through the `conflict()` callback (the form's comparison
dialog) or as a message, any other `ServiceError` as a Persian message, and anything unexpected
through the error dialog (logged with its traceback).

`run()` waits for the result without blocking painting (user input is held back meanwhile), so a
form's `save() -> bool` keeps its shape; `run_in_background()` returns at once. With `.progress(title)`
a progress dialog with cancel shows while a long call runs; the service reports through
`report_progress`, which also stops the call when the user cancels (its transaction rolls back).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QEventLoop, QObject
from PySide6.QtWidgets import QWidget
from shiboken6 import isValid

from app.persian import format_number
from app.services.core.changes import Changes, collecting
from app.services.core.errors import ConcurrentChange, ServiceError, ValidationFailed
from app.ui.errors import report_exception, show_error
from app.ui.events import publish
from app.ui.tasks import ProgressDialog, Task, TaskCancelled, TaskContext

T = TypeVar("T")


COMMITTED_BEFORE_FAILURE = "peyvand_committed_changes"
"""The attribute a failed call's exception carries: what its earlier writes committed."""


PROGRESS_TEXT = "{done} از {total}"
_worker = threading.local()  # the running operation's TaskContext, for report_progress


def report_progress(done: int, total: int, message: str = "") -> None:
    """Passed to a service as its progress callback (worker thread): moves the operation's progress bar
    (with the service's own Persian text when it gives one, e.g. a sync's steps); raises TaskCancelled
    once the user asked to cancel. Does nothing outside an operation."""
    context: TaskContext | None = getattr(_worker, "context", None)
    if context is None:
        return
    if context.cancelled():
        raise TaskCancelled()
    context.report(done, total, message or PROGRESS_TEXT.format(done=format_number(done), total=format_number(total)))


def _call_collecting(context: TaskContext, fn: Callable[[], Any]) -> tuple[Any, Changes]:  # worker thread
    _worker.context = context
    with collecting() as builder:
        try:
            result = fn()
        except Exception as exc:
            # A later write failed, but earlier ones in the same call have committed: views must
            # still hear of them, so the failure carries them to the GUI thread.
            setattr(exc, COMMITTED_BEFORE_FAILURE, builder.build())
            raise
        finally:
            _worker.context = None
    return result, builder.build()


class Operation(Generic[T]):
    """One service call off the GUI thread; configure with the chained setters, then run."""

    def __init__(self, parent: QWidget | None, fn: Callable[[], T]) -> None:
        self._parent = parent
        self._fn = fn
        self._on_success: Callable[[T], Any] | None = None
        self._on_validation: Callable[[dict[str, str]], Any] | None = None
        self._on_conflict: Callable[[ConcurrentChange], Any] | None = None
        self._on_failure: Callable[[ServiceError], bool | None] | None = None
        self._outcome: tuple[bool, Any] | None = None
        self._progress_title: str | None = None
        self._cancellable = True
        self._owner: QObject | None = None

    def success(self, callback: Callable[[T], Any]) -> Operation[T]:
        """Called in the GUI thread with the result, after the changes were published."""
        self._on_success = callback
        return self

    def validation(self, callback: Callable[[dict[str, str]], Any]) -> Operation[T]:
        """Shows field errors (default: the parent's `show_errors`, else a message)."""
        self._on_validation = callback
        return self

    def conflict(self, callback: Callable[[ConcurrentChange], Any]) -> Operation[T]:
        """Handles a stale save (default: the Persian message naming who changed it and when)."""
        self._on_conflict = callback
        return self

    def failure(self, callback: Callable[[ServiceError], bool | None]) -> Operation[T]:
        """Sees any ServiceError first; returning True means it was handled and nothing is shown."""
        self._on_failure = callback
        return self

    def bound_to(self, owner: QObject) -> Operation[T]:
        """Ties the callbacks to `owner` as well (a model or other helper that is not the parent
        widget): once it is deleted (its list closed meanwhile, a user switch) the answer is dropped;
        its changes are still published."""
        self._owner = owner
        return self

    def progress(self, title: str, cancellable: bool = True) -> Operation[T]:
        """Shows a progress dialog with cancel (after a short delay) while the call runs; the call
        reports with `report_progress`. A cancelled call ends like a failure that shows nothing. Work that
        must not stop halfway is not `cancellable`: no cancel button, Esc and closing do nothing."""
        self._progress_title, self._cancellable = title, cancellable
        return self

    # --- running ---------------------------------------------------------------------------------
    def run_in_background(self) -> Task:
        """Starts the call and returns at once; the callbacks run later in the GUI thread."""
        return self._start(awaited=False)

    def _start(self, awaited: bool) -> Task:
        task = Task(_call_collecting, self._fn)
        task.operation = self  # the callbacks live as long as the running task
        task.sig_finished.connect(self._finished)
        task.sig_failed.connect(self._failed)
        task.sig_cancelled.connect(self._cancelled)
        if self._progress_title is not None:
            dialog = ProgressDialog(self._parent, self._progress_title, self._cancellable)
            task.dialog = dialog  # without a parent nothing else would keep it
            task.sig_progressed.connect(dialog.show_progress)
            dialog.sig_cancel_requested.connect(task.cancel)
            for ended in (task.sig_finished, task.sig_failed, task.sig_cancelled):
                ended.connect(dialog.finish)
            dialog.show_later()
        task.start(awaited=awaited)
        return task

    def run(self) -> T | None:
        """Runs the call off the GUI thread and waits for it (windows keep painting, user input is
        held back); returns the result, or None when it failed (the failure has been shown)."""
        loop = QEventLoop()
        task = self._start(awaited=True)
        for ended in (task.sig_finished, task.sig_failed, task.sig_cancelled):
            ended.connect(loop.quit)
        if self._outcome is None:  # the task may already have ended
            loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
        ok, value = self._outcome or (False, None)
        return value if ok and self._receivers_alive() else None

    @property
    def succeeded(self) -> bool:
        """True once the call has returned, unless the parent (or what it is `bound_to`) was deleted
        meanwhile (the waiting loop lets a closing window go, and then nothing is left to update)."""
        return bool(self._outcome and self._outcome[0]) and self._receivers_alive()

    def _receivers_alive(self) -> bool:
        """The parent widget and what the call is `bound_to`, where given, both still exist."""
        return all(o is None or isValid(o) for o in (self._parent, self._owner))

    def _finished(self, payload: tuple[T, Changes]) -> None:
        result, changes = payload
        self._outcome = (True, result)
        if changes:
            publish(changes)  # other views still follow the write
        if self._on_success is not None and self._receivers_alive():
            self._on_success(result)

    def _cancelled(self) -> None:
        self._outcome = (False, None)

    def _failed(self, exc: BaseException) -> None:
        self._outcome = (False, None)
        committed = getattr(exc, COMMITTED_BEFORE_FAILURE, None)
        if committed:
            publish(committed)
        if not isinstance(exc, ServiceError):
            report_exception(exc)
            return
        if not self._receivers_alive():
            return
        if self._on_failure is not None and self._on_failure(exc):
            return
        if isinstance(exc, ValidationFailed):
            self._show_validation(exc)
        elif isinstance(exc, ConcurrentChange) and self._on_conflict is not None:
            self._on_conflict(exc)
        else:
            show_error(self._parent, exc.message)

    def _show_validation(self, exc: ValidationFailed) -> None:
        if self._on_validation is not None:
            self._on_validation(exc.errors)
            return
        show_errors = getattr(self._parent, "show_errors", None)
        if callable(show_errors):
            show_errors(exc.errors)
        else:
            show_error(self._parent, "\n".join([exc.message, *exc.errors.values()]))


def op(parent: QWidget | None, fn: Callable[[], T]) -> Operation[T]:
    """A write (or a slow read) for the UI: `op(self, lambda: ...).success(...).run()`."""
    return Operation(parent, fn)

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import gc
import sys
import threading
import time
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel, QWidget

from app.ui import tasks
from app.ui.errors import install_error_handler
from app.ui.tasks import ProgressDialog, Task, TaskCancelled, TaskContext, run_with_progress


def count_rows(context: TaskContext, total: int) -> int:
    for row in range(1, total + 1):
        context.report(row, total, f"ردیف {row} از {total}")
    return total * 2


def wait_for_cancel(context: TaskContext, started: threading.Event) -> None:
    started.set()
    while not context.cancelled():
        time.sleep(0.005)
    raise TaskCancelled


def explode(context: TaskContext) -> None:
    raise ValueError("bad row")


def slow_rows(context: TaskContext, started: threading.Event, release: threading.Event) -> str:
    context.report(4200, 10000, "ردیف ۴٬۲۰۰ از ۱۰٬۰۰۰")
    started.set()
    release.wait(5)
    return "done"


@pytest.fixture
def window(qtbot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget


@pytest.fixture
def presented(qtbot, tmp_path, monkeypatch) -> Iterator[list[BaseException]]:
    monkeypatch.setenv("PEYVAND_HOME", str(tmp_path))
    shown: list[BaseException] = []
    handler = install_error_handler(QApplication.instance(), presenter=shown.append)
    yield shown
    handler.uninstall()


def test_a_task_reports_progress_and_returns_its_result(qtbot):
    task = Task(count_rows, 1000)
    progress, threads = [], []

    def record(*args: object) -> None:
        progress.append(args)
        threads.append(QThread.currentThread())

    task.sig_progressed.connect(record)
    with qtbot.waitSignal(task.sig_finished) as finished:
        task.start()
    assert finished.args == [2000]
    assert progress[-1] == (1000, 1000, "ردیف 1000 از 1000")
    assert len(progress) < 1000  # throttled: the UI is not flooded
    assert set(threads) == {QApplication.instance().thread()}  # delivered in the UI thread
    assert not task.is_running()


def record_call(context: TaskContext, calls: list, name: str) -> str:
    calls.append(name)
    return name


def test_held_background_tasks_start_in_order_when_the_block_ends(qtbot):
    calls: list[str] = []
    background = [Task(record_call, calls, name) for name in ("count", "board")]
    awaited = Task(record_call, calls, "awaited")
    with tasks.held():
        for task in background:
            task.start()
        with qtbot.waitSignal(awaited.sig_finished):
            awaited.start(awaited=True)  # the GUI thread waits for it: never held
        time.sleep(0.05)
        assert calls == ["awaited"] and all(task.is_running() for task in background)
    with qtbot.waitSignals([task.sig_finished for task in background]):
        pass
    assert sorted(calls[1:]) == ["board", "count"]
    later = Task(record_call, calls, "later")  # outside the block nothing waits
    with qtbot.waitSignal(later.sig_finished):
        later.start()


def test_settle_returns_once_the_tasks_have_ended_and_shown_their_results(qtbot):
    started, release = threading.Event(), threading.Event()
    task = Task(slow_rows, started, release)
    results: list[str] = []
    task.sig_finished.connect(results.append)
    task.start()
    started.wait(5)
    tasks.settle(timeout_s=0.1)  # a task still running: settle gives up after its time
    assert results == [] and task.is_running()
    threading.Timer(0.1, release.set).start()
    tasks.settle()
    assert results == ["done"] and not task.is_running()


def test_cancel_stops_the_task_and_emits_cancelled(qtbot):
    started = threading.Event()
    task = Task(wait_for_cancel, started)
    finished = []
    task.sig_finished.connect(finished.append)
    with qtbot.waitSignal(task.sig_cancelled):
        task.start()
        assert started.wait(5)
        assert task.is_running()
        task.cancel()
    assert finished == []
    assert not task.is_running()


def test_an_exception_is_delivered_as_failed_not_raised(qtbot):
    # pytest-qt fails the test if an exception reaches the UI thread's excepthook.
    task = Task(explode)
    with qtbot.waitSignal(task.sig_failed) as failed:
        task.start()
    (error,) = failed.args
    assert isinstance(error, ValueError) and str(error) == "bad row"
    assert error.__traceback__ is not None  # kept for the log


def test_a_task_that_ignores_cancel_still_finishes(qtbot):
    task = Task(count_rows, 3)
    task.cancel()  # count_rows never checks: its result is real and is delivered
    with qtbot.waitSignal(task.sig_finished) as finished:
        task.start()
    assert finished.args == [6]


def test_run_with_progress_shows_the_message_and_hands_over_the_result(qtbot, window, monkeypatch):
    monkeypatch.setattr(tasks, "SHOW_DELAY_MS", 0)
    started, release, results = threading.Event(), threading.Event(), []
    task = run_with_progress(window, "ورود از اکسل", slow_rows, started, release, on_done=results.append)
    dialog = window.findChild(ProgressDialog)
    qtbot.waitUntil(dialog.isVisible)
    assert started.wait(5)
    qtbot.waitUntil(lambda: dialog.findChild(QLabel).text() == "ردیف ۴٬۲۰۰ از ۱۰٬۰۰۰")
    assert dialog.windowTitle() == "ورود از اکسل"
    with qtbot.waitSignal(task.sig_finished):
        release.set()
    assert results == ["done"]
    qtbot.waitUntil(lambda: window.findChild(ProgressDialog) is None)


def test_the_cancel_button_cancels_and_closes_the_dialog(qtbot, window, monkeypatch):
    monkeypatch.setattr(tasks, "SHOW_DELAY_MS", 0)
    started, results = threading.Event(), []
    task = run_with_progress(window, "ورود از اکسل", wait_for_cancel, started, on_done=results.append)
    dialog = window.findChild(ProgressDialog)
    qtbot.waitUntil(dialog.isVisible)
    cancel = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Cancel)
    assert cancel.text() == "انصراف"
    with qtbot.waitSignal(task.sig_cancelled):
        cancel.click()
    assert results == []
    qtbot.waitUntil(lambda: window.findChild(ProgressDialog) is None)


def test_a_failure_goes_to_the_error_handler(qtbot, window, presented, tmp_path):
    task = run_with_progress(window, "ورود از اکسل", explode)
    with qtbot.waitSignal(task.sig_failed):
        pass
    qtbot.waitUntil(lambda: len(presented) == 1)
    assert isinstance(presented[0], ValueError)
    log_text = (tmp_path / "logs" / "peyvand.log").read_text(encoding="utf-8")
    assert "ValueError: bad row" in log_text and "in explode" in log_text


class Captured:
    """Something a task function holds (a dialog its lambda captured): records the thread that frees it."""

    def __init__(self, freed_in: list[threading.Thread]) -> None:
        self._freed_in = freed_in

    def __del__(self) -> None:
        self._freed_in.append(threading.current_thread())


def holding(captured: Captured, ui_let_go: threading.Event, ending: type[Exception] | None):
    """A task function that keeps `captured` and returns (or raises `ending`); the worker thread is held back,
    once its Python code is done and before its runnable is deleted, until the UI thread has let go of the
    task (as a busy machine may hold it)."""

    def fn(context: TaskContext) -> str:
        def hold_back(frame, event: str, arg: object) -> None:
            if event == "return" and frame.f_back is None:  # the worker's outermost frame ends
                sys.setprofile(None)
                ui_let_go.wait(5)

        sys.setprofile(hold_back)  # this worker thread only
        if ending is not None:
            raise ending()
        return type(captured).__name__

    return fn


@pytest.mark.parametrize("ending", [None, ValueError, TaskCancelled], ids=["returns", "raises", "cancels"])
def test_what_a_task_function_holds_is_freed_in_the_ui_thread(qtbot, ending):
    # A QObject freed in a worker thread runs its C++ destructor there, and its timers, still registered
    # with the UI thread's dispatcher, crash the process later. The exception's traceback holds fn's frame.
    freed_in: list[threading.Thread] = []
    ui_let_go = threading.Event()
    task, ends = Task(holding(Captured(freed_in), ui_let_go, ending)), []
    for signal in (task.sig_finished, task.sig_failed, task.sig_cancelled):
        signal.connect(lambda *payload: ends.append(payload))
    task.start()
    qtbot.waitUntil(lambda: len(ends) == 1)
    if ending is None:
        assert ends == [("Captured",)]
    elif ending is ValueError:
        assert isinstance(ends[0][0], ValueError)
    else:
        assert ends == [()]
    del task, ends
    gc.collect()
    ui_let_go.set()
    qtbot.waitUntil(lambda: len(freed_in) == 1, timeout=5000)
    assert freed_in == [threading.main_thread()]

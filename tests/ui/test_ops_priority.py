"""The background workers at start: several reads run at once, and a call the window waits for
(`run()`) goes ahead of the reads queued before it."""

from __future__ import annotations

import threading

from PySide6.QtCore import QTimer

from app.ui import ops, tasks


def test_an_awaited_call_goes_ahead_of_queued_reads_when_the_workers_are_busy(qtbot) -> None:
    releases = [threading.Event() for _ in range(tasks.WORKERS)]
    started, order = [], []

    def busy(release: threading.Event) -> None:
        started.append(1)
        release.wait(10)

    for release in releases:
        ops.op(None, lambda release=release: busy(release)).run_in_background()
    qtbot.waitUntil(lambda: len(started) == tasks.WORKERS, timeout=5000)  # all of them at once
    ops.op(None, lambda: order.append("queued read")).run_in_background()
    QTimer.singleShot(100, releases[0].set)  # one worker frees up while the GUI thread waits below
    assert ops.op(None, lambda: order.append("awaited") or 42).run() == 42
    for release in releases:
        release.set()
    qtbot.waitUntil(lambda: len(order) == 2, timeout=5000)
    assert order == ["awaited", "queued read"]

"""An operation whose widget is closed and deleted while it waits (a window closing during a load)
still publishes what it wrote, but gives nothing back to the dead widget."""

from __future__ import annotations

import threading

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget

from app.services.core.changes import Changes
from app.ui.ops import op


def test_a_widget_deleted_while_its_operation_waits_gets_nothing_back(qtbot, monkeypatch) -> None:
    published: list[Changes] = []
    monkeypatch.setattr("app.ui.ops.publish", published.append)
    monkeypatch.setattr("app.ui.ops._call_collecting", lambda _c, fn: (fn(), Changes.of("identities", [1])))
    panel = QWidget()
    called: list = []
    release = threading.Event()
    QTimer.singleShot(0, panel.deleteLater)  # deleted inside the operation's wait
    QTimer.singleShot(50, release.set)
    loading = op(panel, lambda: release.wait(5) and "rows").success(called.append)
    assert loading.run() is None and not loading.succeeded
    assert called == []  # the success callback would touch the deleted widget
    assert [c.tables for c in published] == [frozenset({"identities"})]  # the write still reaches other views

"""An operation whose widget is closed and deleted while it waits (a window closing during a load)
still publishes what it wrote, but gives nothing back to the dead widget."""

from __future__ import annotations

import threading

import shiboken6
from PySide6.QtCore import QObject, QTimer
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


def test_a_background_answer_bound_to_a_deleted_model_is_dropped(qtbot, monkeypatch) -> None:
    """A model's background read has no parent widget (`op(None, ...)`); bound to the model, its
    answer is dropped once the model is gone, and its changes still reach other views."""
    published: list[Changes] = []
    monkeypatch.setattr("app.ui.ops.publish", published.append)
    monkeypatch.setattr("app.ui.ops._call_collecting", lambda _c, fn: (fn(), Changes.of("identities", [1])))
    model = QObject()
    kept = QObject()
    called: list = []
    release = threading.Event()
    for owner in (model, kept):
        op(None, lambda: release.wait(5) and 7).bound_to(owner).success(called.append).run_in_background()
    shiboken6.delete(model)
    release.set()
    qtbot.waitUntil(lambda: len(published) == 2)
    assert called == [7]  # only the living model's answer arrived

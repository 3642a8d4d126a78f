"""A widget deleted while one of its operations waits (`Operation.run()` waits in an event loop, which
lets a closing window go): the service call is held until the widget is gone, so the deletion happens
inside the wait every time, not only when the call is slower than the event loop."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget

HOLD_SECONDS = 10


def delete_during(monkeypatch: pytest.MonkeyPatch, widget: QWidget, service: object, method: str) -> None:
    """The widget is deleted (deleteLater, from inside the wait) before `service.method` runs."""
    gone = threading.Event()
    widget.destroyed.connect(lambda *_: gone.set())
    real = getattr(service, method)

    def held(*args, **kwargs):
        gone.wait(HOLD_SECONDS)
        return real(*args, **kwargs)

    monkeypatch.setattr(service, method, held)
    QTimer.singleShot(0, widget.deleteLater)

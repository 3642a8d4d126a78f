"""A long day of signals does not abort the program (PySide6 6.12.0 takes a reference from True at
every emit; see app/ui/refcount_guard.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from tests.test_cli import ROOT

DAY_OF_SIGNALS = textwrap.dedent(
    """
    import app.ui  # the guard
    from PySide6.QtCore import QObject, Signal
    from PySide6.QtWidgets import QApplication, QPushButton

    class Source(QObject):
        changed = Signal(bool)

    app = QApplication([])
    source, button = Source(), QPushButton()
    source.changed.connect(lambda _on: None)
    for _ in range(100_000):  # more emits than True has references in a fresh program
        source.changed.emit(True)
        button.clicked.emit()
    print("ok")
    """
)


def test_a_day_of_signals_ends_normally_once_the_ui_is_imported() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    run = [sys.executable, "-c", DAY_OF_SIGNALS]
    result = subprocess.run(run, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr[-2000:]

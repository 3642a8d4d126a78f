"""Fixtures every story shares: the small sales office and the record tabs as its own-documents rep (from
tests/ui/conftest.py), a fresh change bus, and a rep who answers yes to every question."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from app.ui import events
from tests.ui.conftest import sales, tabs  # noqa: F401  (the fixtures)


@pytest.fixture(autouse=True)
def fresh_change_bus(monkeypatch):
    """Widgets left over from earlier tests stay connected to the old bus and never hear these changes."""
    monkeypatch.setattr(events, "_bus", None)


@pytest.fixture
def yes(monkeypatch):
    """Every «… شود؟» the rep is asked is answered yes."""
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)

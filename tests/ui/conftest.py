"""UI fixtures shared by the journey tests: a small sales office and the record tabs, as its own-documents rep."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from app.ui.qt_setup import configure_application
from app.ui.record_tabs import RecordTabs
from tests.services.sales_helpers import build


@pytest.fixture
def sales(services):
    return build(services)


@pytest.fixture
def tabs(qtbot, sales):
    configure_application(QApplication.instance())
    widget = RecordTabs()
    widget.resize(1200, 900)
    qtbot.addWidget(widget)
    widget.attach(sales.services, sales.rep)
    widget.show()
    return widget

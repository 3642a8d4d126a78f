"""A laptop's documents on screen: its quote numbers («L3-1») and its invoices' provisional label in the
documents dock and the forms' titles."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.ui.documents.documents_dock import DocumentsPanel
from app.ui.qt_setup import configure_application
from app.ui.record_tabs import RecordTabs
from tests.services.doc_helpers import issued_invoice
from tests.services.test_sync_documents import _quote, laptop, sqlite_template  # noqa: F401  (fixtures)

LABEL = "پیش‌شماره P-L3-1 (شماره قطعی پس از همگام‌سازی)"


@pytest.fixture
def made(laptop):  # noqa: F811
    return laptop, _quote(laptop), issued_invoice(laptop)


def test_the_dock_lists_the_laptops_numbers(qtbot, made) -> None:
    o, _quote_view, _invoice = made
    panel = DocumentsPanel(o.services, o.rep)
    qtbot.addWidget(panel)
    panel.refresh()
    for table, expected in ((panel.quotes, "L3-1"), (panel.invoices, LABEL)):
        model = table.model
        qtbot.waitUntil(lambda m=model: m.total() == 1 and bool(m.data(m.index(0, 0), Qt.ItemDataRole.DisplayRole)))
        assert model.data(model.index(0, 0), Qt.ItemDataRole.DisplayRole) == expected


def test_the_forms_name_the_laptops_documents(qtbot, made) -> None:
    o, quote, invoice = made
    configure_application(QApplication.instance())
    import app.ui.documents.invoice_form  # noqa: F401
    import app.ui.documents.quote_form  # noqa: F401

    tabs = RecordTabs()
    qtbot.addWidget(tabs)
    tabs.attach(o.services, o.rep)
    assert tabs.open_record("quote", quote.id).title() == "پیش‌فاکتور L3-1"
    assert tabs.open_record("invoice", invoice.id).title() == f"صورتحساب {LABEL}"

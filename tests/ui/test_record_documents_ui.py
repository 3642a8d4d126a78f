"""The «اسناد» tab of an opportunity follows documents issued elsewhere, reads off the GUI thread,
and a tab nobody looks at reads nothing until it is shown; as an own-documents rep."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QTabWidget

import app.ui.documents.invoice_form  # noqa: F401  (registers the forms)
import app.ui.opportunities.opportunity_form  # noqa: F401
from app.services.documents.invoice_views import InvoiceDraft
from app.services.documents.lines import LineDraft
from app.ui.documents.record_documents import RecordDocuments
from app.ui.ops import op
from app.ui.tasks import Task
from tests.services.sales_helpers import identity


@pytest.fixture
def calls(sales, monkeypatch) -> list[str]:
    """Every read the tab asks of its service, by name."""
    service, seen = sales.services.record_documents, []
    for name in ("of_record", "concerns"):
        real = getattr(service, name)
        monkeypatch.setattr(service, name, lambda *a, _real=real, _name=name, **k: seen.append(_name) or _real(*a, **k))
    return seen


def issue_invoice(sales, customer, opportunity_id=None) -> int:
    """An invoice issued through an operation, as the invoice form does (its changes are published)."""
    services, rep = sales.services, sales.rep
    line = LineDraft("پرینتر لیزری", Decimal(1), 185_000_000, 0, 0, sales.products["P-1"])
    draft = InvoiceDraft(customer, dt.date.today(), [line], opportunity_id=opportunity_id)
    issued = op(None, lambda: services.invoices.issue(rep, services.invoices.create(rep, draft).id)).run()
    return issued.totals.total


def test_an_invoice_issued_elsewhere_appears_with_the_balance(qtbot, tabs, sales, calls) -> None:
    form = tabs.open_record("opportunity", sales.new(title="پرینتر برای شعبه"))
    documents = form.documents.tab
    form.tabs.setCurrentWidget(documents)
    qtbot.waitUntil(lambda: documents.balance.text() == "مانده: بی‌حساب")
    assert documents.entries == [] and documents.empty.isVisible()

    total = issue_invoice(sales, sales.customer, form.detail.id)

    def shown() -> None:
        assert [(e.label, e.state, e.amount) for e in documents.entries] == [("صورتحساب", "پرداخت‌نشده", total)]
        assert documents.balance.text() == "مانده: ۱۸۵٬۰۰۰٬۰۰۰ ریال بدهکار"

    qtbot.waitUntil(shown)
    assert documents.table.item(0, 3).text() == "پرداخت‌نشده"
    cell = documents.table.visualItemRect(documents.table.item(0, 1)).center()
    qtbot.mouseClick(documents.table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    qtbot.mouseDClick(documents.table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    assert tabs.currentWidget().property("record_key") == ("invoice", str(documents.entries[0].id))


def documents_in_a_page(qtbot, sales, opportunity_id) -> tuple[QTabWidget, RecordDocuments]:
    """The tab alone in a record page, behind «مشخصات» (the form around it asks questions of its own)."""
    page, documents = QTabWidget(), RecordDocuments(sales.services, sales.rep)
    page.addTab(QLabel("مشخصات"), "مشخصات")
    page.addTab(documents, "اسناد")
    qtbot.addWidget(page)
    page.show()
    documents.set_record(opportunity_id=opportunity_id)
    return page, documents


def test_a_hidden_tab_reads_nothing_until_shown(qtbot, sales, calls) -> None:
    opportunity_id = sales.new(title="پرینتر برای شعبه")
    page, documents = documents_in_a_page(qtbot, sales, opportunity_id)
    assert not documents.isVisible()
    issue_invoice(sales, sales.customer, opportunity_id)
    issue_invoice(sales, sales.customer, opportunity_id)
    documents.set_record(opportunity_id=opportunity_id)  # its form reloaded: the same record again
    qtbot.waitUntil(lambda: not Task._running)  # a read started by mistake would be counted by now
    assert calls == []

    page.setCurrentWidget(documents)
    qtbot.waitUntil(lambda: len(documents.entries) == 2)
    qtbot.waitUntil(lambda: not Task._running)
    assert calls == ["of_record"]  # one read for all that happened while hidden


def test_another_customers_invoice_costs_a_question_not_a_reload(qtbot, sales, calls) -> None:
    page, documents = documents_in_a_page(qtbot, sales, sales.new(title="پرینتر برای شعبه"))
    page.setCurrentWidget(documents)
    qtbot.waitUntil(lambda: calls == ["of_record"])
    issue_invoice(sales, identity(sales.services, sales.rep, "شرکت بتا"))
    qtbot.waitUntil(lambda: calls == ["of_record", "concerns"])
    qtbot.waitUntil(lambda: not Task._running)
    assert calls == ["of_record", "concerns"] and documents.entries == []

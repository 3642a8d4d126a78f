"""Money forms that follow what the rep types before saving, as an own-documents rep: a return's
total as quantities change, a receipt's allocations as its amount is lowered, and a refund asked
about while the customer still owes money."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from app.models.enums import MoneyDirection, PaymentStatus
from app.services.documents.receipts import ReceiptQuery
from app.ui.documents.invoice_form import InvoiceForm
from app.ui.documents.receipt_allocations import ALLOCATE
from app.ui.documents.receipt_form import ReceiptForm
from app.ui.documents.return_form import QTY, ReturnForm
from app.ui.qt_setup import configure_application
from app.ui.record_tabs import RecordTabs
from tests.services.doc_helpers import issued_invoice, office
from tests.ui.line_editing import type_in_cell
from tests.ui.persian_typing import type_text


@pytest.fixture
def o(services):
    return office(services)


@pytest.fixture
def tabs(qtbot, o):
    configure_application(QApplication.instance())
    widget = RecordTabs()
    widget.resize(1200, 800)
    qtbot.addWidget(widget)
    widget.attach(o.services, o.rep)
    widget.show()
    return widget


@pytest.fixture
def asked(monkeypatch):
    """Every question answered with the next of `asked.replies` (yes when none is left); the texts kept."""

    class Asked:
        replies: list = []
        texts: list = []

    def question(_parent, _title, text, *_a, **_k):
        Asked.texts.append(text)
        return Asked.replies.pop(0) if Asked.replies else QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    return Asked


def shows(qtbot, form: ReturnForm, total: str) -> None:
    qtbot.waitUntil(lambda: form.totals.text() == f"جمع کل برگشت: {total}")


def new_return(tabs, o) -> ReturnForm:
    invoice = issued_invoice(o)  # A: 3 × 1,250,000 less 50,000; S: 1 × 4,000,000; 10% VAT: 8,470,000
    assert InvoiceForm  # registers the invoice form the tabs open
    tabs.open_record("invoice", invoice.id).buttons["return"].click()
    form = tabs.currentWidget()
    assert isinstance(form, ReturnForm)
    return form


def test_a_returns_total_follows_the_quantities_before_saving(qtbot, tabs, o) -> None:
    form = new_return(tabs, o)
    assert form.totals.text() == "جمع کل برگشت: ۸٬۴۷۰٬۰۰۰ ریال"
    type_in_cell(qtbot, form.table, 1, QTY, "۰")
    shows(qtbot, form, "۴٬۰۷۰٬۰۰۰ ریال")
    type_in_cell(qtbot, form.table, 0, QTY, "۱")  # a third of the line and of its discount
    shows(qtbot, form, "۱٬۳۵۶٬۶۶۶ ریال")
    assert form.is_dirty() and form.error.text() == ""
    type_in_cell(qtbot, form.table, 0, QTY, "۵")  # more than was sold: said at once, by the table
    shows(qtbot, form, "—")
    assert "حداکثر ۳" in form.error.text()
    type_in_cell(qtbot, form.table, 0, QTY, "۱")
    shows(qtbot, form, "۱٬۳۵۶٬۶۶۶ ریال")
    form.buttons["save"].click()
    assert form._view.totals.total == 1_356_666 and form.error.text() == ""


def test_lowering_a_receipts_amount_lowers_its_allocation(qtbot, tabs, o) -> None:
    invoice = issued_invoice(o)
    tabs.open_record("invoice", invoice.id).buttons["receipt"].click()
    form = tabs.currentWidget()
    assert isinstance(form, ReceiptForm) and form.allocations.item(0, ALLOCATE).text() == "۸٬۴۷۰٬۰۰۰"
    form.amount.edit.setFocus()
    form.amount.edit.selectAll()
    type_text(form.amount.edit, "۵۰۰۰۰۰۰")
    QTest.keyClick(form.amount.edit, Qt.Key.Key_Return)
    assert form.allocations.item(0, ALLOCATE).text() == "۵٬۰۰۰٬۰۰۰"
    assert form.allocation_note.text() == "تخصیص‌ها به اندازهٔ مبلغ دریافت (۵٬۰۰۰٬۰۰۰ ریال) کم شد."
    form.buttons["save"].click()
    assert form._view is not None and [a.amount for a in form._view.allocations] == [5_000_000]
    assert o.services.invoices.get(o.rep, invoice.id).payment_status is PaymentStatus.PARTLY_PAID


def test_a_refund_while_the_customer_owes_asks_with_the_amount_owed(qtbot, tabs, o, asked) -> None:
    form = new_return(tabs, o)
    type_in_cell(qtbot, form.table, 1, QTY, "۰")
    type_in_cell(qtbot, form.table, 0, QTY, "۱")
    shows(qtbot, form, "۱٬۳۵۶٬۶۶۶ ریال")
    form.buttons["issue"].click()  # «صادر شود؟» yes
    form.buttons["refund"].click()
    payment = tabs.currentWidget()
    assert isinstance(payment, ReceiptForm) and payment.amount.value() == 1_356_666
    asked.replies = [QMessageBox.StandardButton.No]
    payment.buttons["save"].click()
    assert asked.texts[-1] == ("این مشتری هنوز ۷٬۱۱۳٬۳۳۴ ریال بدهکار است.\nبا این حال ۱٬۳۵۶٬۶۶۶ ریال به او پرداخت شود؟")
    assert payment._view is None and payment.is_dirty()  # not paid: the form keeps what was typed
    payment.buttons["save"].click()  # asked again, yes this time
    assert payment._view is not None and payment._view.direction is MoneyDirection.OUT
    refunds = o.services.receipts.search(o.rep, ReceiptQuery(identity_id=o.customer, direction=MoneyDirection.OUT))
    assert [r.amount for r in refunds] == [1_356_666]

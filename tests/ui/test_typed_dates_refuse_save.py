"""A record form whose date field holds an impossible typed date refuses to save (the refusal shows
beside the field) instead of saving the field's previous date; a valid typed date is saved."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QPoint, Qt

from app.persian.jalali import format_date
from app.ui import events
from app.ui.opportunities.opportunity_form import OpportunityForm
from tests.services.doc_helpers import issued_invoice
from tests.services.sales_helpers import build
from tests.ui.persian_typing import type_text
from tests.ui.test_documents_ui import o, tabs  # noqa: F401  (fixtures)

IMPOSSIBLE = "۱۴۰۴/۱۲/۳۰"  # 1404 is no leap year: Esfand has 29 days


@pytest.fixture(autouse=True)
def fresh_change_bus(monkeypatch):
    monkeypatch.setattr(events, "_bus", None)


def type_date(qtbot, edit, text: str) -> None:
    line = edit.lineEdit()
    qtbot.mouseClick(line, Qt.MouseButton.LeftButton, pos=QPoint(line.width() // 2, line.height() // 2))
    type_text(edit, text)


def refused(form, edit) -> bool:
    """The refusal shows beside the field, which has the focus (within its window)."""
    return edit.typing.error() == "تاریخ نامعتبر است" and form.focusWidget() in (edit, edit.lineEdit())


def retype_date(qtbot, edit, text: str) -> None:
    qtbot.keyClick(edit, Qt.Key.Key_Escape)  # drops the refused text
    type_date(qtbot, edit, text)


def test_the_opportunity_form_refuses_an_impossible_expected_close(qtbot, services) -> None:
    sales = build(services)
    form = OpportunityForm(sales.services, sales.rep, None)
    qtbot.addWidget(form)
    form.resize(900, 1200)
    form.show()
    form.set_identity(sales.customer, "شرکت آلفا")
    type_text(form.title_edit, "فروش پرینتر")
    type_date(qtbot, form.expected_close, IMPOSSIBLE)
    assert form.save() is False and form.detail is None
    assert refused(form, form.expected_close)
    retype_date(qtbot, form.expected_close, "1404/12/29")
    assert form.save() is True and form.detail.expected_close == dt.date(2026, 3, 20)


def test_the_quote_and_invoice_forms_refuse_an_impossible_date(qtbot, tabs, o) -> None:  # noqa: F811
    invoice = tabs.open_record("invoice", None)
    invoice.identity.set_identity(o.customer, "فروشگاه لوازم اداری نگین")
    invoice.lines.add_line(o.services.products.get(o.rep, o.products["A"]))
    type_date(qtbot, invoice.issue_date, IMPOSSIBLE)
    assert invoice.save() is False and invoice._view is None
    assert refused(invoice, invoice.issue_date)

    quote = tabs.open_record("quote", None)
    quote.identity.set_identity(o.customer, "فروشگاه لوازم اداری نگین")
    quote.lines.add_line(o.services.products.get(o.rep, o.products["A"]))
    type_date(qtbot, quote.valid_until, IMPOSSIBLE)
    assert quote.save() is False and quote._view is None
    assert refused(quote, quote.valid_until)


def test_the_receipt_form_refuses_an_impossible_date(qtbot, tabs, o) -> None:  # noqa: F811
    invoice_form = tabs.open_record("invoice", issued_invoice(o).id)
    invoice_form.new_receipt()
    form = tabs.currentWidget()
    before = form.received_on.date_value()
    type_date(qtbot, form.received_on, IMPOSSIBLE)
    assert form.save() is False and form._view is None
    assert refused(form, form.received_on) and form.received_on.date_value() == before
    retype_date(qtbot, form.received_on, format_date(before))
    assert form.save() is True


def test_the_vat_rates_dialog_refuses_an_impossible_start_date(qtbot, services, admin) -> None:
    from app.ui.documents.vat_rates_dialog import VatRatesDialog

    dialog = VatRatesDialog(services, admin)
    qtbot.addWidget(dialog)
    dialog.show()
    rows = dialog.table.rowCount()
    type_date(qtbot, dialog.valid_from, IMPOSSIBLE)
    dialog.add()
    assert dialog.table.rowCount() == rows and refused(dialog, dialog.valid_from)
    retype_date(qtbot, dialog.valid_from, "1404/12/29")
    dialog.add()
    assert dialog.table.rowCount() == rows + 1

"""The document forms driven like a user: invoice from scratch to issued, quote accepted, receipt
allocated, return issued, PDF preview printed to a file; screenshots in test-output/."""

from __future__ import annotations

import datetime as dt

import pytest
import shiboken6
from PySide6.QtCore import QSize
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QMessageBox

from app.models.enums import DocumentState, PaymentStatus, QuoteState
from app.services.admin.settings import CompanyInfo
from app.services.documents.quotes import QuoteDraft
from app.ui.documents.document_lines import DESC, PRICE, QTY, TOTAL
from app.ui.documents.documents_dock import DocumentsPanel
from app.ui.documents.pdf_preview import PdfPreviewDialog, print_document
from app.ui.qt_setup import configure_application
from app.ui.record_tabs import RecordTabs
from tests.conftest import TEST_OUTPUT
from tests.services.doc_helpers import DAY, example_lines, issued_invoice, office
from tests.ui.deleted_meanwhile import delete_during
from tests.ui.persian_typing import type_text


@pytest.fixture
def o(services):
    o = office(services)
    services.settings.save_company(o.admin, CompanyInfo(name="شرکت پیوند تجارت پارس", economic_code="411337894159"))
    return o


@pytest.fixture
def tabs(qtbot, o):
    configure_application(QApplication.instance())
    import app.ui.documents.invoice_form  # noqa: F401
    import app.ui.documents.quote_form  # noqa: F401
    import app.ui.documents.receipt_form  # noqa: F401
    import app.ui.documents.return_form  # noqa: F401

    widget = RecordTabs()
    widget.resize(1200, 800)
    qtbot.addWidget(widget)
    widget.attach(o.services, o.rep)
    widget.show()
    yield widget


@pytest.fixture
def yes(monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)


def shot(widget, name: str) -> None:
    TEST_OUTPUT.mkdir(exist_ok=True)
    widget.grab().save(str(TEST_OUTPUT / f"documents_{name}.png"))


def test_an_invoice_typed_from_scratch_is_saved_and_issued(qtbot, tabs, o, yes) -> None:
    form = tabs.open_record("invoice", None)
    form.identity.set_identity(o.customer, "فروشگاه لوازم اداری نگین")
    form.lines.add_line(o.services.products.get(o.rep, o.products["A"]))
    table = form.lines.table
    table.item(0, QTY).setText("۳")
    table.item(0, 5).setText("۵۰٬۰۰۰")
    form.lines.add_line(None)
    table.setCurrentCell(1, DESC)
    table.item(1, DESC).setText("خدمات نصب")
    table.item(1, PRICE).setText("4000000")
    assert table.item(0, TOTAL).text() == "۴٬۰۷۰٬۰۰۰" and form.lines.total() == 8_470_000
    assert form.is_dirty()
    assert form.save() and not form.is_dirty()
    assert form.badge.text() == "پیش‌نویس"
    form.issue()
    assert form._view.state is DocumentState.ISSUED and form._view.number == 1
    assert form.title() == "صورتحساب ۱" and not form.buttons["save"].isVisibleTo(form)
    assert form.buttons["receipt"].isVisibleTo(form) and "پرداخت‌نشده" in form.info.text()
    shot(form, "invoice_issued")


def test_refused_lines_keep_what_was_typed_and_say_which_row(qtbot, tabs, o) -> None:
    form = tabs.open_record("invoice", None)
    form.identity.set_identity(o.customer, "فروشگاه لوازم اداری نگین")
    form.lines.add_line(None)  # a free line without description
    assert not form.save()
    assert "ردیف ۱" in form.lines.error.text() and form.lines.table.rowCount() == 1
    form.identity.set_identity(None, "")
    form.lines.table.item(0, DESC).setText("شرح")
    assert not form.save()
    assert form.rows["identity_id"].error.text()


def test_a_quote_is_sent_accepted_and_turned_into_an_invoice(qtbot, tabs, o, yes) -> None:
    quote = o.services.quotes.create(o.rep, QuoteDraft(o.customer, DAY, example_lines(o), DAY + dt.timedelta(3650)))
    form = tabs.open_record("quote", quote.id)
    assert form.title() == "پیش‌فاکتور ۱" and form.buttons["send"].isVisibleTo(form)
    form.move(QuoteState.SENT)
    form.accept()
    assert form._view.state is QuoteState.ACCEPTED and form.buttons["invoice"].isVisibleTo(form)
    assert not form.lines.product.isVisibleTo(form)  # accepted: read only
    shot(form, "quote_accepted")
    with qtbot.waitSignal(form.sig_open_record) as opened:
        form.make_invoice()
    assert opened.args[0] == "invoice"
    assert tabs.currentWidget()._view.quote_id == quote.id


def test_a_receipt_for_an_invoice_is_allocated_and_saved(qtbot, tabs, o) -> None:
    invoice = issued_invoice(o)
    invoice_form = tabs.open_record("invoice", invoice.id)
    invoice_form.new_receipt()
    form = tabs.currentWidget()
    assert form.amount.value() == 8_470_000 and form.allocations.rowCount() == 1
    form.amount.set_value(None)
    type_text(form.amount.edit, "۵۰۰۰۰۰۰")
    form.allocate_oldest_first()
    assert form.save()
    assert o.services.invoices.get(o.rep, invoice.id).payment_status is PaymentStatus.PARTLY_PAID
    shot(form, "receipt")


def test_a_return_from_an_issued_invoice(qtbot, tabs, o, yes) -> None:
    invoice = issued_invoice(o)
    form = tabs.open_record("invoice", invoice.id)
    form.new_return()
    ret = tabs.currentWidget()
    assert ret.table.rowCount() == 2
    ret.table.item(0, 6).setText("۱")
    ret.table.item(1, 6).setText("0")
    ret.issue()
    assert ret._view.is_issued and ret._view.number == 1 and ret._view.totals.total == 1_356_666
    assert ret.buttons["refund"].isVisibleTo(ret)
    shot(ret, "return")


def test_pdf_preview_shows_pages_and_prints(qtbot, o, tmp_path) -> None:
    invoice = issued_invoice(o)
    pdf = o.services.printing.pdf(o.rep, "invoice", invoice.id)
    dialog = PdfPreviewDialog(pdf, "صورتحساب ۱", "invoice-1.pdf")
    qtbot.addWidget(dialog)
    assert dialog.document.pageCount() == 1
    page = dialog.document.render(0, QSize(595, 842))
    dark = sum(1 for x in range(0, 595, 7) for y in range(0, 842, 7) if page.pixelColor(x, y).lightness() < 128)
    assert dark > 50  # the page really has the form on it
    page.save(str(TEST_OUTPUT / "documents_preview_page.png"))
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert print_document(dialog.document, printer) == 1
    assert (tmp_path / "printed.pdf").stat().st_size > 1000
    dialog.write(tmp_path / "saved.pdf")
    assert (tmp_path / "saved.pdf").read_bytes() == pdf
    dialog.resize(700, 900)
    dialog.show()
    qtbot.waitExposed(dialog)
    shot(dialog, "preview")


def test_a_panel_deleted_while_quotes_expire_is_left_alone(qapp, o, monkeypatch) -> None:
    """The expiry waits in an event loop, which lets a closing window go: the deleted panel's lists are
    not read into (they raised «already deleted»)."""
    panel = DocumentsPanel(o.services, o.rep, read_when_shown=True)  # not qtbot's: it would close it
    delete_during(monkeypatch, panel, o.services.quotes, "expire_overdue")
    panel.refresh()
    assert not shiboken6.isValid(panel)


def test_the_documents_dock_lists_and_opens(qtbot, o) -> None:
    issued_invoice(o)
    o.services.quotes.create(o.rep, QuoteDraft(o.customer, DAY, example_lines(o), DAY + dt.timedelta(3650)))
    panel = DocumentsPanel(o.services, o.rep)
    qtbot.addWidget(panel)
    panel.refresh()
    assert panel.quotes.model.total() == 1 and panel.invoices.model.total() == 1
    panel.invoices.set_filter(PaymentStatus.PAID)
    assert panel.invoices.model.total() == 0
    with qtbot.waitSignal(panel.sig_open_record) as opened:
        panel.quotes.sig_activated.emit(panel.quotes.model.row_at(0))
    assert opened.args[0] == "quote"
    panel.tabs.setCurrentIndex(1)
    panel.resize(700, 400)
    shot(panel, "dock")


def test_a_dock_hidden_at_start_reads_its_lists_when_first_shown(qtbot, o, monkeypatch) -> None:
    issued_invoice(o)
    reads = []
    search = type(o.services.invoices).search
    monkeypatch.setattr(type(o.services.invoices), "search", lambda *a: reads.append(1) or search(*a))
    panel = DocumentsPanel(o.services, o.rep, read_when_shown=True)
    qtbot.addWidget(panel)
    o.services.quotes.create(o.rep, QuoteDraft(o.customer, DAY, example_lines(o), DAY + dt.timedelta(3650)))
    assert reads == [] and panel.invoices.model.total() == 0  # built while hidden: nothing read yet
    panel.show()
    qtbot.waitExposed(panel)
    assert reads and panel.quotes.model.total() == 1 and panel.invoices.model.total() == 1
    assert panel.invoices.footer.text() == "۱ مورد"


def test_the_identity_form_shows_the_balance(qtbot, tabs, o) -> None:
    import app.ui.identities.identity_form  # noqa: F401

    issued_invoice(o)
    form = tabs.open_record("identity", o.customer)
    qtbot.waitUntil(lambda: form.balance_label.text() == "مانده: ۸٬۴۷۰٬۰۰۰ ریال بدهکار")  # off the GUI thread

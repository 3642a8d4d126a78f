"""The identity page's «سوابق» tab as a rep uses it: the customer's documents and files among its
activities, newest first, each opening its own tab with a double-click or Enter (a file opens in the
system's program)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices
from PySide6.QtTest import QTest

from app.persian import to_persian_digits
from app.services.documents.invoice_views import InvoiceDraft
from app.services.documents.lines import LineDraft
from app.services.documents.quotes import QuoteDraft
from app.ui.documents.invoice_form import InvoiceForm
from app.ui.documents.quote_form import QuoteForm
from app.ui.identities.identity_form import IdentityForm
from app.ui.ops import op
from tests.services.doc_helpers import DAY


def _row_of(table, title: str) -> int:
    return next(r for r in range(table.rowCount()) if table.item(r, 2).text() == title)


def _double_click(table, row: int) -> None:
    """A user's double-click: a click, then the second press (Qt's test double-click alone lacks the first press)."""
    rect = table.visualRect(table.model().index(row, 2))
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center())
    QTest.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center())


def test_documents_and_files_are_in_the_timeline_and_open_their_records(qtbot, tabs, sales, monkeypatch) -> None:
    services, rep = sales.services, sales.rep
    line = LineDraft("پرینتر", Decimal(1), 185_000_000, 0, 0, sales.products["P-1"])
    quote = services.quotes.create(rep, QuoteDraft(sales.customer, DAY, [line]))
    draft = services.invoices.create(rep, InvoiceDraft(sales.customer, DAY, [line]))
    invoice = services.invoices.issue(rep, draft.id)
    services.attachments.attach(rep, "نقشه.txt", "نقشه‌ی نصب".encode(), identity_id=sales.customer)

    page = tabs.open_record("identity", sales.customer)
    assert isinstance(page, IdentityForm)
    page.tabs.setCurrentWidget(page.timeline)
    table = page.timeline.table
    rows = [
        (table.item(r, 1).text(), table.item(r, 2).text(), table.item(r, 3).text()) for r in range(table.rowCount())
    ]
    # Issuing the invoice made the identity a customer, in the same transaction: that item is left aside.
    shown = [row[:2] for row in rows if row[0] != "هویت"][:3]
    number = to_persian_digits(str(invoice.number))
    quoted = to_persian_digits(str(quote.number))
    assert shown == [
        ("فایل", "نقشه.txt"),
        ("صورتحساب", f"صورتحساب شماره {number}"),
        ("پیش‌فاکتور", f"پیش‌فاکتور شماره {quoted}"),
    ]
    assert ("صورتحساب", f"صورتحساب شماره {number}", "پرداخت‌نشده · ۱۸۵٬۰۰۰٬۰۰۰ ریال") in rows

    _double_click(table, _row_of(table, f"صورتحساب شماره {number}"))
    opened = tabs.currentWidget()
    assert isinstance(opened, InvoiceForm) and opened._view.id == invoice.id

    tabs.setCurrentIndex(tabs.indexOf(page))
    table.setFocus()
    table.setCurrentIndex(table.model().index(_row_of(table, f"پیش‌فاکتور شماره {quoted}"), 0))
    QTest.keyClick(table, Qt.Key.Key_Return)
    opened = tabs.currentWidget()
    assert isinstance(opened, QuoteForm) and opened._view.id == quote.id

    files: list[Path] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: files.append(Path(url.toLocalFile())) or True)
    tabs.setCurrentIndex(tabs.indexOf(page))
    _double_click(table, 0)
    assert [f.name for f in files] == ["نقشه.txt"] and files[0].read_text() == "نقشه‌ی نصب"
    assert tabs.currentWidget() is page  # a file opens outside, no tab


def test_a_document_saved_in_another_tab_appears_in_the_open_timeline(qtbot, tabs, sales) -> None:
    services, rep = sales.services, sales.rep
    page = tabs.open_record("identity", sales.customer)
    page.tabs.setCurrentWidget(page.timeline)
    assert "پیش‌فاکتور" not in _kinds(page.timeline.table)
    line = LineDraft("پرینتر", Decimal(1), 185_000_000, 0, 0, sales.products["P-1"])
    # What a quote form's save does: the service call through an operation, which publishes the change.
    op(tabs, lambda: services.quotes.create(rep, QuoteDraft(sales.customer, DAY, [line]))).run()
    assert _kinds(page.timeline.table)[0] == "پیش‌فاکتور"


def _kinds(table) -> list[str]:
    return [table.item(r, 1).text() for r in range(table.rowCount())]

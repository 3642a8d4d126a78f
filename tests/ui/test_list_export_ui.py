"""«خروجی اکسل» clicked on the opportunity list, each list of the documents dock and a report's
drill-down: the file (save dialog monkeypatched) holds the list's visible columns under their Persian
headers and its rows in its order, money as integers, dates as Jalali text, on a right-to-left sheet;
a rep's file holds only the rep's rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog

from app.models.enums import PaymentMethod
from app.persian import format_date
from app.services.core.actor import SYSTEM
from app.services.documents.invoices import InvoiceDraft
from app.services.documents.quotes import QuoteDraft
from app.services.documents.receipts import ReceiptDraft
from app.services.documents.returns import ReturnDraft, ReturnLineDraft
from app.ui.common.combo import select
from app.ui.documents.documents_dock import DocumentsPanel
from app.ui.opportunities.opportunity_dock import COLUMNS, HEADER, OpportunityDock
from app.ui.qt_setup import configure_application
from app.ui.reports.reports_panel import ReportsPanel
from tests.services.doc_helpers import DAY, add_identity, example_lines, issued_invoice, office
from tests.services.test_reports import world  # noqa: F401  (the fixture)


@pytest.fixture
def save_to(monkeypatch, tmp_path):
    """The save dialog answers with a file in tmp_path, named without «.xlsx» as a user might type it."""
    target = tmp_path / "خروجی"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "اکسل (*.xlsx)"))
    return target.with_name("خروجی.xlsx")


def exported(qtbot, widget, path):
    """Clicks the widget's export button, waits for the background task, returns (headers, rows, sheet)."""
    qtbot.mouseClick(widget.export_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(widget.export_task.sig_finished, timeout=10_000):
        pass
    sheet = load_workbook(path).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert sheet.sheet_view.rightToLeft
    return rows[0], rows[1:], sheet


def test_the_opportunity_list_exports_what_the_rep_sees(qtbot, sales, save_to) -> None:
    configure_application(QApplication.instance())
    for i, amount in enumerate((5_000_000, 90_000_000, 12_000_000)):
        sales.new(title=f"فرصت {i}", amount=amount, expected_close=DAY + dt.timedelta(days=i))
    with sales.services.db.write(SYSTEM) as s:
        theirs = add_identity(s, sales.other, "شرکت بتا")
    sales.new(sales.other, identity_id=theirs, title="فرصت همکار", amount=1_000_000_000)
    dock = OpportunityDock(sales.services, sales.rep)
    qtbot.addWidget(dock)
    dock.show()
    qtbot.waitUntil(lambda: dock.model.total() == 3, timeout=5_000)
    amount = next(i for i, c in enumerate(COLUMNS) if c.key == "amount")
    dock.tree.sortByColumn(amount, Qt.SortOrder.DescendingOrder)
    dock.tree.header().hideSection(len(COLUMNS) - 1)  # «دلیل» hidden by the user

    headers, rows, sheet = exported(qtbot, dock, save_to)

    shown = [dock.model.headerData(i, Qt.Orientation.Horizontal) for i in range(dock.model.columnCount() - 1)]
    assert headers == shown
    title, money, close = (headers.index(HEADER[k]) for k in ("title", "amount", "expected_close"))
    assert [r[title] for r in rows] == ["فرصت 1", "فرصت 2", "فرصت 0"]  # the list's order; no colleague's row
    assert [r[money] for r in rows] == [90_000_000, 12_000_000, 5_000_000]
    assert sheet.cell(2, money + 1).number_format == "#,##0"
    assert rows[0][close] == format_date(DAY + dt.timedelta(days=1))


def test_a_grouped_opportunity_list_exports_its_groups(qtbot, sales, save_to) -> None:
    configure_application(QApplication.instance())
    sales.new(title="اول")
    sales.new(title="دوم", stage_id=sales.stages[1].id)
    dock = OpportunityDock(sales.services, sales.rep)
    qtbot.addWidget(dock)
    dock.show()
    select(dock.filters.group, "stage")
    qtbot.waitUntil(lambda: dock.model.group_by() == "stage", timeout=5_000)

    headers, rows, _ = exported(qtbot, dock, save_to)

    assert headers[0] == "مرحله"
    assert [(r[0], r[headers.index(HEADER["title"])]) for r in rows] == [
        (sales.stages[0].name, "اول"),
        (sales.stages[1].name, "دوم"),
    ]


@pytest.fixture
def documents(services):
    o = office(services)
    invoice = issued_invoice(o)
    issued_invoice(o, [example_lines(o)[1]])
    o.services.quotes.create(o.rep, QuoteDraft(o.customer, DAY, example_lines(o), DAY + dt.timedelta(3650)))
    back = o.services.returns.create(
        o.rep, ReturnDraft(invoice.id, DAY, [ReturnLineDraft(invoice.lines[0].id, Decimal(1))])
    )
    o.services.returns.issue(o.rep, back.id)
    o.services.receipts.create(o.rep, ReceiptDraft(o.customer, 2_500_000, DAY, PaymentMethod.CASH))
    with services.db.write(SYSTEM) as s:
        theirs = add_identity(s, o.other, "فروشگاه همکار")
    o.services.invoices.create(o.other, InvoiceDraft(theirs, DAY, example_lines(o)))
    return o


@pytest.mark.parametrize(
    ("tab", "money", "count"),
    [
        ("quotes", {"جمع کل": "total"}, 1),
        ("invoices", {"جمع کل": "total", "مانده": "due"}, 2),
        ("returns", {"جمع کل": "total"}, 1),
        ("receipts", {"مبلغ": "amount"}, 1),
    ],
)
def test_each_document_list_exports_its_rows(qtbot, documents, save_to, tab, money, count) -> None:
    configure_application(QApplication.instance())
    panel = DocumentsPanel(documents.services, documents.rep)
    qtbot.addWidget(panel)
    panel.show()
    listed = getattr(panel, tab)
    panel.tabs.setCurrentWidget(listed)
    listed.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    model = listed.model
    assert model.total() == count  # the colleague's invoice is not the rep's

    headers, rows, _ = exported(qtbot, panel, save_to)

    assert headers == [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    expected = []
    for r in range(count):  # the list's text (Jalali dates, Persian digits) and amounts as integers
        texts = [model.data(model.index(r, c)) or None for c in range(model.columnCount())]
        for header, attribute in money.items():
            texts[headers.index(header)] = getattr(model.row_at(r), attribute)
        expected.append(texts)
    assert rows == expected
    assert all(isinstance(r[headers.index(h)], int) for r in rows for h in money)


def test_a_drill_down_exports_its_records(qtbot, world, save_to) -> None:  # noqa: F811
    configure_application(QApplication.instance())
    panel = ReportsPanel(world.services, world.admin)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitUntil(lambda: not panel.busy and panel.grid is not None, timeout=10_000)
    select(panel.chooser, "performance_rep")
    qtbot.waitUntil(lambda: not panel.busy and panel.grid is not None, timeout=10_000)
    total = next(r for r in range(panel.table.rowCount()) if panel.table.item(r, 0).text() == "جمع")
    panel.table.cellDoubleClicked.emit(total, 1)
    dialog = panel.drill_dialog
    qtbot.waitUntil(lambda: dialog.export_button.isEnabled(), timeout=5_000)

    headers, rows, sheet = exported(qtbot, dialog, save_to)

    assert headers == ["نوع", "عنوان", "مبلغ (ریال)"]
    assert [r[1] for r in rows] == [r.title for r in dialog.records]
    assert [r[2] for r in rows] == [r.amount for r in dialog.records]
    assert {r[0] for r in rows} == {"فرصت"}

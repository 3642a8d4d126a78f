"""A list's XLSX export (app/services/core/xlsx_export.py) through the lists' real service queries: the
rows and their order are the list's, a rep's file holds only what the rep may see, money is an integer
with a number format, dates are Jalali text, the sheet is right-to-left; a cancel leaves no file."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook

from app.persian import format_date
from app.services.core.actor import SYSTEM
from app.services.core.xlsx_export import MONEY_FORMAT, ExportCancelled, SheetColumn, paged, write_list
from app.services.documents.invoice_views import InvoiceQuery
from app.services.documents.invoices import InvoiceDraft
from app.services.opportunities.queries import OpportunityQuery
from tests.services.doc_helpers import DAY, add_identity, example_lines, issued_invoice, office
from tests.services.sales_helpers import build

OPPORTUNITY_COLUMNS = [
    SheetColumn("عنوان", lambda r: r.title),
    SheetColumn("مبلغ", lambda r: r.amount, money=True),
    SheetColumn("تاریخ بستن", lambda r: format_date(r.expected_close) if r.expected_close else ""),
]


def _export(path, columns, fetch, total, page=3):
    """Small pages, so that the rows cross several of them."""
    return write_list(path, "فهرست", columns, paged(fetch, page), total)


def _rows(path):
    sheet = load_workbook(path).active
    return sheet, [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)]


@pytest.fixture
def sales(services):
    sales = build(services)
    for i in range(7):  # amounts and dates out of order: the sort decides the rows' order
        sales.new(title=f"فرصت {i}", amount=(i * 37 % 7 + 1) * 1_000_000, expected_close=DAY + dt.timedelta(days=i % 3))
    other_customer = _customer_of(sales)
    sales.new(sales.other, identity_id=other_customer, title="فرصت همکار", amount=99_000_000)
    return sales


def _customer_of(sales):
    with sales.services.db.write(SYSTEM) as s:
        return add_identity(s, sales.other, "شرکت بتا")


def test_the_opportunity_export_holds_the_lists_rows_in_its_order(sales, tmp_path) -> None:
    service, rep = sales.services.opportunities, sales.rep
    query = OpportunityQuery(sort="amount", descending=True)
    total = service.count(rep, query)
    written = _export(
        tmp_path / "فرصت‌ها.xlsx", OPPORTUNITY_COLUMNS, lambda o, n: service.search(rep, query, o, n), total
    )

    listed = service.search(rep, query, 0, 100)
    sheet, rows = _rows(tmp_path / "فرصت‌ها.xlsx")
    assert written == total == len(listed) == 7
    assert rows == [[r.title, r.amount, format_date(r.expected_close)] for r in listed]
    assert [r[1] for r in rows] == sorted((r[1] for r in rows), reverse=True)
    assert "فرصت همکار" not in [r[0] for r in rows]  # the rep's file: only what the rep may see
    assert [c.value for c in sheet[1]] == ["عنوان", "مبلغ", "تاریخ بستن"]
    assert sheet.sheet_view.rightToLeft
    assert sheet["B2"].number_format == MONEY_FORMAT
    assert isinstance(sheet["B2"].value, int)


def test_an_administrators_export_holds_every_row_filtered_by_the_search(sales, tmp_path) -> None:
    service, admin = sales.services.opportunities, sales.admin
    query = OpportunityQuery(text="همکار")
    _export(tmp_path / "a.xlsx", OPPORTUNITY_COLUMNS, lambda o, n: service.search(admin, query, o, n), 1)
    assert [r[0] for r in _rows(tmp_path / "a.xlsx")[1]] == ["فرصت همکار"]


def test_the_invoice_export_holds_only_the_reps_invoices(services, tmp_path) -> None:
    o = office(services)
    mine = [issued_invoice(o).id, issued_invoice(o).id]
    with services.db.write(SYSTEM) as s:
        theirs = add_identity(s, o.other, "فروشگاه همکار")
    services.invoices.create(o.other, InvoiceDraft(theirs, DAY, example_lines(o)))
    query = InvoiceQuery(sort="number", descending=False)
    listed = services.invoices.search(o.rep, query, 0, 100)
    columns = [SheetColumn("شماره", lambda r: str(r.number or "")), SheetColumn("جمع کل", lambda r: r.total, True)]
    _export(tmp_path / "i.xlsx", columns, lambda off, n: services.invoices.search(o.rep, query, off, n), len(listed), 1)

    assert sorted(r.id for r in listed) == sorted(mine)
    assert _rows(tmp_path / "i.xlsx")[1] == [[str(r.number), r.total] for r in listed]
    assert services.invoices.count(o.admin, query) == 3


def test_a_cancelled_export_leaves_the_chosen_file_as_it_was(sales, tmp_path) -> None:
    target = tmp_path / "old.xlsx"
    target.write_bytes(b"the user's old file")
    service, rep = sales.services.opportunities, sales.rep
    pages = paged(lambda o, n: service.search(rep, OpportunityQuery(), o, n), 2)
    with pytest.raises(ExportCancelled):
        write_list(target, "فهرست", OPPORTUNITY_COLUMNS, pages, 7, cancelled=lambda: True)
    assert target.read_bytes() == b"the user's old file"


def test_formula_like_text_is_written_as_text(sales, tmp_path) -> None:
    sales.new(title="=HYPERLINK(1)")
    service, rep = sales.services.opportunities, sales.rep
    query = OpportunityQuery(text="HYPERLINK")
    _export(tmp_path / "f.xlsx", OPPORTUNITY_COLUMNS, lambda o, n: service.search(rep, query, o, n), 1)
    assert _rows(tmp_path / "f.xlsx")[1][0][0] == "'=HYPERLINK(1)"

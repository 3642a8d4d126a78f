"""The cardboard marks the rep's unpaid invoices past their due date: «فاکتور سررسیدگذشته», the days overdue
in Persian digits, the due date in Jalali and red; the row opens the invoice."""

from __future__ import annotations

import datetime as dt

from app.persian import format_date
from app.ui.activities.cardboard_dock import OVERDUE_COLOUR, CardboardPanel
from tests.services.doc_helpers import issued_invoice, office
from tests.ui.activity_ui import persian_widget


def test_an_unpaid_cash_invoice_is_overdue_the_day_after_its_issue(qtbot, services) -> None:
    o = office(services)
    late = issued_invoice(o, day=dt.date.today() - dt.timedelta(days=5))
    issued_invoice(o, day=dt.date.today())
    panel = persian_widget(CardboardPanel(services, o.rep))
    qtbot.addWidget(panel)
    panel.show()
    panel.refresh()
    [row] = panel.items_of("invoices_overdue")
    head = row.parent()
    assert head.text(0) == "فاکتور سررسیدگذشته (۱)"
    assert row.text(0).startswith("۵ روز از سررسید گذشته · صورتحساب ")
    assert row.text(2) == format_date(late.issue_date) and row.foreground(2).color() == OVERDUE_COLOUR
    opened = []
    panel.sig_open_record.connect(lambda kind, record_id: opened.append((kind, record_id)))
    panel.open_item(row)
    assert opened == [("invoice", late.id)]
    assert len(panel.items_of("invoices_awaiting")) == 2

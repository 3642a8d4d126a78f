"""Documents in the history tab and the recycle bin."""

from __future__ import annotations

import datetime as dt

from app.services.documents.quotes import QuoteDraft, QuoteQuery
from tests.services.doc_helpers import DAY, example_lines, invoice_draft, issued_invoice, office


def test_deleted_drafts_go_to_the_recycle_bin_and_come_back(services) -> None:
    o = office(services)
    quote = o.services.quotes.create(o.rep, QuoteDraft(o.customer, DAY, example_lines(o), DAY + dt.timedelta(30)))
    draft = o.services.invoices.create(o.rep, invoice_draft(o))
    o.services.quotes.delete(o.rep, quote.id)
    o.services.invoices.delete(o.rep, draft.id)
    deleted = {row.record_table: row for row in o.services.recycle_bin.deleted(o.admin)}
    assert deleted["quotes"].title == "پیش‌فاکتور 1" and deleted["quotes"].record_kind == "پیش‌فاکتور"
    assert deleted["invoices"].record_kind == "صورتحساب"
    o.services.recycle_bin.restore(o.admin, "quotes", quote.id)
    assert o.services.quotes.count(o.rep, QuoteQuery()) == 1


def test_an_invoice_history_shows_its_issue(services) -> None:
    o = office(services)
    invoice = issued_invoice(o)
    history = o.services.history.record_history(o.rep, "invoices", invoice.id)
    changes = {c.field for row in history for c in row.changes}
    assert {"state", "number"} <= changes
    assert any(row.record_kind == "ردیف صورتحساب" for row in history)

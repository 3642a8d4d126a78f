"""The «اسناد» tab of an opportunity follows documents issued elsewhere, reads off the GUI thread,
and a tab nobody looks at reads nothing until it is shown; as an own-documents rep."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from app.services.documents.invoice_views import InvoiceDraft
from app.services.documents.lines import LineDraft
import app.ui.documents.invoice_form  # noqa: F401  (registers the forms)
import app.ui.opportunities.opportunity_form  # noqa: F401
from app.ui.ops import op
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
    documents.open_row(0)
    assert tabs.currentWidget().property("record_key")[0] == "invoice"


def test_a_hidden_tab_reads_nothing_until_shown(qtbot, tabs, sales, calls) -> None:
    form = tabs.open_record("opportunity", sales.new(title="پرینتر برای شعبه"))
    documents = form.documents.tab
    assert not documents.isVisible()  # the form opens on «مشخصات»
    issue_invoice(sales, sales.customer, form.detail.id)
    issue_invoice(sales, sales.customer, form.detail.id)
    form.save()  # the form reloads itself: the same record again
    assert calls == []

    form.tabs.setCurrentWidget(documents)
    qtbot.waitUntil(lambda: len(documents.entries) == 2)
    assert calls == ["of_record"]  # one read for all that happened while hidden


def test_another_customers_invoice_costs_a_question_not_a_reload(qtbot, tabs, sales, calls) -> None:
    form = tabs.open_record("opportunity", sales.new(title="پرینتر برای شعبه"))
    documents = form.documents.tab
    form.tabs.setCurrentWidget(documents)
    qtbot.waitUntil(lambda: calls == ["of_record"])
    issue_invoice(sales, identity(sales.services, sales.rep, "شرکت بتا"))
    qtbot.waitUntil(lambda: calls == ["of_record", "concerns"])
    assert documents.entries == []

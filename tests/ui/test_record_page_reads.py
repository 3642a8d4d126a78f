"""A record page reads off the GUI thread: the identity's header balance (not at all for another
customer's document) and its «فرصت‌ها», and a record's «تاریخچه» only once its tab is shown; as an
own-documents rep."""

from __future__ import annotations

import app.ui.identities.identity_form  # noqa: F401  (registers the form)
from app.ui.ops import op
from app.ui.tasks import Task
from tests.services.sales_helpers import identity
from tests.ui.test_record_documents_ui import issue_invoice


def test_the_balance_follows_this_customers_invoices_only(qtbot, tabs, sales, monkeypatch) -> None:
    page = tabs.open_record("identity", sales.customer)
    qtbot.waitUntil(lambda: page.balance_label.text() == "مانده: بی‌حساب")
    balances, reads = sales.services.balances, []
    real = balances.identity_balance
    monkeypatch.setattr(balances, "identity_balance", lambda *a: reads.append(a[1]) or real(*a))

    issue_invoice(sales, identity(sales.services, sales.rep, "شرکت بتا"))
    qtbot.waitUntil(lambda: not Task._running)
    assert reads == []

    issue_invoice(sales, sales.customer)
    qtbot.waitUntil(lambda: page.balance_label.text() == "مانده: ۱۸۵٬۰۰۰٬۰۰۰ ریال بدهکار")
    assert set(reads) == {sales.customer}


def test_the_opportunities_tab_lists_one_added_elsewhere(qtbot, tabs, sales) -> None:
    page = tabs.open_record("identity", sales.customer)
    page.tabs.setCurrentWidget(page.opportunities)
    qtbot.waitUntil(lambda: not Task._running)
    assert page.opportunities.table.rowCount() == 0

    op(None, lambda: sales.new(title="پرینتر برای شعبه")).run()
    qtbot.waitUntil(lambda: page.opportunities.table.rowCount() == 1)
    assert page.opportunities.table.item(0, 0).text() == "پرینتر برای شعبه"


def test_a_records_history_is_read_only_when_its_tab_is_shown(qtbot, tabs, sales, monkeypatch) -> None:
    import app.ui.opportunities.opportunity_form  # noqa: F401  (registers the form)

    history, reads = sales.services.history, []
    real = history.record_history
    monkeypatch.setattr(history, "record_history", lambda *a: reads.append(a[1]) or real(*a))
    form = tabs.open_record("opportunity", sales.new(title="پرینتر برای شعبه"))
    form.amount.set_value(5_000_000)
    assert form.save()  # reloads the form, its history tab among the rest
    qtbot.waitUntil(lambda: not Task._running)
    assert reads == []

    form.tabs.setCurrentWidget(form.history)
    qtbot.waitUntil(lambda: form.history.rows() >= 2)  # created, then the amount
    assert reads == ["opportunities"]


def test_activities_and_files_tabs_read_only_when_shown(qtbot, tabs, sales, monkeypatch) -> None:
    import app.ui.opportunities.opportunity_form  # noqa: F401  (registers the form)

    reads: list[str] = []
    for service, name in ((sales.services.activities, "for_record"), (sales.services.attachments, "files")):
        real = getattr(service, name)
        counted = lambda *a, _real=real, _name=name, **k: reads.append(_name) or _real(*a, **k)  # noqa: E731
        monkeypatch.setattr(service, name, counted)
    form = tabs.open_record("opportunity", sales.new(title="پرینتر برای شعبه"))
    form.amount.set_value(5_000_000)
    assert form.save()  # reloads the form, its activities and files tabs among the rest
    assert reads == [] and form.activities.plan_button.isEnabled()

    form.tabs.setCurrentWidget(form.activities)
    assert reads == ["for_record"]
    form.tabs.setCurrentWidget(form.activities.files)
    assert reads == ["for_record", "files"]

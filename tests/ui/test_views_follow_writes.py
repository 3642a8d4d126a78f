"""A view refreshes itself after a write made in another part of the UI: the write's operation
publishes what it changed and no code tells the view (one story per area)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from app.models.enums import PaymentStatus
from app.services.core.labels import PAYMENT_STATUS
from app.ui import events
from app.ui.activities.activity_dialog import ActivityDialog
from app.ui.activities.cardboard_dock import CardboardPanel
from app.ui.activities.record_activities import RecordActivities
from app.ui.catalog.catalog_dialogs import ProductsPanel
from app.ui.common.combo import index_of
from app.ui.opportunities.admin_dialogs import SalesListsDialog
from app.ui.opportunities.opportunity_dock import OpportunityDock
from app.ui.opportunities.opportunity_form import OpportunityForm
from app.ui.qt_setup import configure_application
from app.ui.record_tabs import RecordTabs
from tests.services.activity_helpers import add_identity, add_opportunity
from tests.services.doc_helpers import invoice_draft, issued_invoice, office
from tests.services.sales_helpers import build
from tests.ui.activity_ui import persian_widget, when_dialog
from tests.ui.persian_typing import type_text

ON_HAND = 5  # ProductsPanel's «موجودی» column


@pytest.fixture(autouse=True)
def fresh_change_bus(monkeypatch):
    monkeypatch.setattr(events, "_bus", None)


@pytest.fixture
def yes(monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)


def test_the_filter_bar_offers_a_tag_typed_in_an_opportunity_form(qtbot, services) -> None:
    sales = build(services)
    dock = OpportunityDock(sales.services, sales.rep)
    qtbot.addWidget(dock)
    dock.show()
    tags = dock.filters.tag
    assert [tags.itemText(i) for i in range(tags.count())] == ["همه برچسب‌ها"]
    form = OpportunityForm(sales.services, sales.rep)
    qtbot.addWidget(form)
    form.set_identity(sales.customer, "شرکت آلفا")
    type_text(form.title_edit, "فروش صادراتی")
    form.tags.setText("صادراتی")
    assert form.save()
    assert [tags.itemText(i) for i in range(tags.count())] == ["همه برچسب‌ها", "صادراتی"]
    qtbot.waitUntil(lambda: dock.model.total() == 1)


def test_an_open_opportunity_offers_a_source_the_administrator_just_added(qtbot, services) -> None:
    sales = build(services)
    form = OpportunityForm(sales.services, sales.rep, sales.new(title="فروش"))
    qtbot.addWidget(form)
    form.show()  # a form in a background tab refills when shown again
    assert form.source.findText("نمایشگاه الکامپ") < 0
    lists = SalesListsDialog(sales.services, sales.admin)
    qtbot.addWidget(lists)
    lists.kind.setCurrentIndex(index_of(lists.kind, "sources"))
    lists.add_item("نمایشگاه الکامپ")
    qtbot.waitUntil(lambda: form.source.findText("نمایشگاه الکامپ") > 0)  # read off the GUI thread
    assert form.source.findText("نمایشگاه الکامپ") > 0 and not form.is_dirty()


def test_the_cardboard_shows_an_activity_planned_from_an_opportunity_form(qtbot, services, admin) -> None:
    identity = add_identity(services, admin, "شرکت آلفا")
    bare = add_opportunity(services, admin, identity, "نصب شبکه")
    cardboard = persian_widget(CardboardPanel(services, admin))
    qtbot.addWidget(cardboard)
    cardboard.show()
    cardboard.refresh()
    assert [i.text(0) for i in cardboard.items_of("no_plan")] == ["نصب شبکه"]
    panel = persian_widget(RecordActivities(services, admin))
    qtbot.addWidget(panel)
    panel.set_record(opportunity_id=bare.id)

    def fill(dialog: ActivityDialog) -> None:
        type_text(dialog.summary, "جلسه نمایش محصول")
        dialog.date.set_date_value(dt.date.today() + dt.timedelta(days=3))
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()

    failures = when_dialog(ActivityDialog, fill)
    panel.plan_button.click()
    assert not failures, failures
    qtbot.waitUntil(lambda: cardboard.items_of("no_plan") == [])
    assert [i.text(0) for i in cardboard.items_of("next_7_days")] == ["جلسه نمایش محصول — نصب شبکه"]


def test_an_open_invoice_says_paid_once_a_receipt_is_saved_in_another_tab(qtbot, services) -> None:
    configure_application(QApplication.instance())
    import app.ui.documents.invoice_form  # noqa: F401  (registers the forms)
    import app.ui.documents.receipt_form  # noqa: F401

    o = office(services)
    tabs = RecordTabs()
    tabs.resize(1200, 800)
    qtbot.addWidget(tabs)
    tabs.attach(o.services, o.rep)
    tabs.show()
    invoice = issued_invoice(o)
    invoice_form = tabs.open_record("invoice", invoice.id)
    assert invoice_form.info.text().startswith(PAYMENT_STATUS[PaymentStatus.UNPAID])
    invoice_form.new_receipt()
    receipt_form = tabs.currentWidget()
    assert receipt_form is not invoice_form and receipt_form.amount.value() == 8_470_000
    assert receipt_form.save()
    tabs.setCurrentWidget(invoice_form)
    assert invoice_form.info.text().startswith(PAYMENT_STATUS[PaymentStatus.PAID])


def test_the_catalogue_shows_stock_taken_by_an_invoice_issued_in_a_form(qtbot, services, yes) -> None:
    import app.ui.documents.invoice_form  # noqa: F401

    o = office(services)
    products = ProductsPanel(o.services, o.admin)
    qtbot.addWidget(products)
    products.show()
    row = next(r for r, p in enumerate(products._rows) if p.code == "A")
    assert products.table.item(row, ON_HAND).text() == "۱۰۰"
    tabs = RecordTabs()
    qtbot.addWidget(tabs)
    tabs.attach(o.services, o.rep)
    draft = o.services.invoices.create(o.rep, invoice_draft(o))
    form = tabs.open_record("invoice", draft.id)
    form.issue()
    assert form._view.is_issued
    row = next(r for r, p in enumerate(products._rows) if p.code == "A")
    assert products.table.item(row, ON_HAND).text() == "۹۷"

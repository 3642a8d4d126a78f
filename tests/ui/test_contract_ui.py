"""The contract form driven like a user: started from the identity page, lines typed, the schedule split
and saved, listed in the documents dock; refusals shown beside the schedule and the end date."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from app.models.enums import PaymentMethod, QuoteState
from app.services.documents.contract_payments import InstalmentShare
from app.services.documents.contract_views import ContractDraft, InstalmentDraft, split_schedule
from app.services.documents.lines import LineDraft
from app.services.documents.quotes import QuoteDraft
from app.services.documents.receipts import ReceiptDraft
from app.ui.documents.contract_form import ContractForm, EndDateDialog
from app.ui.documents.document_lines import DESC, PRICE
from app.ui.documents.documents_dock import DocumentsPanel
from app.ui.documents.pdf_preview import PdfPreviewDialog
from app.ui.qt_setup import configure_application
from app.ui.record_tabs import RecordTabs
from tests.conftest import TEST_OUTPUT
from tests.services.doc_helpers import DAY, office
from tests.ui.activity_ui import when_dialog

END = DAY + dt.timedelta(days=364)
LINES = [LineDraft("پشتیبانی سالانه", Decimal(1), 30_000_000, 0, 0)]


@pytest.fixture
def o(services):
    return office(services)


@pytest.fixture
def tabs(qtbot, o):
    configure_application(QApplication.instance())
    import app.ui.documents.receipt_form  # noqa: F401
    import app.ui.identities.identity_form  # noqa: F401

    widget = RecordTabs()
    widget.resize(1300, 900)
    qtbot.addWidget(widget)
    widget.attach(o.services, o.rep)
    widget.show()
    return widget


@pytest.fixture
def yes(monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)


def shot(widget, name: str) -> None:
    TEST_OUTPUT.mkdir(exist_ok=True)
    widget.grab().save(str(TEST_OUTPUT / f"contract_{name}.png"))


def test_a_contract_started_on_the_identity_page_is_typed_split_saved_and_listed(qtbot, tabs, o) -> None:
    page = tabs.open_record("identity", o.customer)
    page.quick.contract_button.click()
    form = tabs.currentWidget()
    assert isinstance(form, ContractForm) and form.identity.identity_id() == o.customer
    form.lines.add_line(None)
    form.lines.table.item(0, DESC).setText("پشتیبانی سالانه")
    form.lines.table.item(0, PRICE).setText("۱۲۰۰۰۰۰۰")
    form.schedule.count.setValue(4)
    form.schedule.split.click()
    assert form.lines.total() == 13_200_000  # with the VAT
    assert form.schedule.summary.text() == "جمع اقساط: ۱۳٬۲۰۰٬۰۰۰ ریال"  # equal to the amount: said once
    form.schedule.table.item(3, 1).setText("۲٬۰۰۰٬۰۰۰")  # the last one lowered: the sum now differs
    assert "مبلغ قرارداد: ۱۳٬۲۰۰٬۰۰۰ ریال" in form.schedule.summary.text()
    assert form.save() and not form.is_dirty()  # a draft may keep an incomplete schedule
    assert [i.amount for i in form._view.instalments] == [3_300_000, 3_300_000, 3_300_000, 2_000_000]
    shot(form, "draft")
    panel = DocumentsPanel(o.services, o.rep)
    qtbot.addWidget(panel)
    panel.refresh()
    panel.tabs.setCurrentWidget(panel.contracts)
    assert panel.contracts.model.total() == 1 and panel.contracts.model.row_at(0).id == form._view.id
    with qtbot.waitSignal(panel.sig_open_record) as opened:
        panel.contracts.sig_activated.emit(panel.contracts.model.row_at(0))
    assert opened.args == ["contract", form._view.id]


def test_signing_a_schedule_not_summing_to_the_amount_is_refused_beside_it(qtbot, tabs, o, yes) -> None:
    short = [InstalmentDraft(DAY, 10_000_000)]
    draft = o.services.contracts.create(o.rep, ContractDraft(o.customer, DAY, DAY, END, LINES, short))
    form = tabs.open_record("contract", draft.id)
    form.buttons["sign"].click()
    assert "جمع اقساط" in form.schedule.error.text() and form.schedule.error.isVisibleTo(form)
    assert o.services.contracts.get(o.rep, draft.id).number is None


def test_an_end_date_before_a_paid_instalment_is_refused_beside_the_end_date(qtbot, tabs, o) -> None:
    made = o.services.contracts.create(o.rep, ContractDraft(o.customer, DAY, DAY, END, LINES,
                                                            split_schedule(30_000_000, DAY, 3)))  # fmt: skip
    signed = o.services.contracts.sign(o.rep, made.id)
    last = signed.instalments[2]
    share = InstalmentShare(last.id, 1_000_000)
    o.services.receipts.create(o.rep, ReceiptDraft(o.customer, 1_000_000, DAY, PaymentMethod.CASH, instalments=[share]))
    form = tabs.open_record("contract", signed.id)
    assert form.buttons["end"].isVisibleTo(form) and not form.buttons["save"].isVisibleTo(form)

    def move(dialog: EndDateDialog) -> None:
        dialog.date.set_date_value(signed.instalments[1].due_date)
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()

    failures = when_dialog(EndDateDialog, move)
    form.buttons["end"].click()
    assert not failures, failures
    assert "قسط ۳" in form.rows["end_date"].error.text()
    assert o.services.contracts.get(o.rep, signed.id).end_date == END
    shot(form, "end_date_refused")

    def look(dialog: PdfPreviewDialog) -> None:
        pages.append((dialog.windowTitle(), dialog.document.pageCount()))
        dialog.reject()

    pages: list = []
    failures = when_dialog(PdfPreviewDialog, look)
    form.buttons["print"].click()  # «پیش‌نمایش و چاپ»
    assert not failures, failures
    assert pages == [("پیش‌نمایش — قرارداد ۱", 1)]


def test_an_accepted_quote_offers_a_contract_beside_the_invoice(qtbot, tabs, o) -> None:
    import app.ui.documents.quote_form  # noqa: F401

    quote = o.services.quotes.create(o.rep, QuoteDraft(o.customer, DAY, LINES, END))
    o.services.quotes.set_state(o.rep, quote.id, QuoteState.ACCEPTED)
    form = tabs.open_record("quote", quote.id)
    assert form.buttons["contract"].isVisibleTo(form) and form.buttons["invoice"].isVisibleTo(form)
    form.buttons["contract"].click()
    contract = tabs.currentWidget()
    assert isinstance(contract, ContractForm) and contract._view.quote_id == quote.id
    assert contract.lines.total() == 30_000_000 and contract.badge.text() == "پیش‌نویس"

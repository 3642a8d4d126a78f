"""The receipt form with a cheque: Sayad id, bank, branch and due date typed like a user, the cheque's
state moved by its buttons; a refund names the return it settles."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QMessageBox

from app.models.enums import ChequeState, MoneyDirection, PaymentMethod
from app.services.documents.receipts import ReceiptDraft
from app.services.documents.returns import ReturnDraft, ReturnLineDraft
from app.ui.qt_setup import configure_application
from app.ui.record_tabs import RecordTabs
from tests.services.doc_helpers import DAY, issued_invoice, office
from tests.ui.persian_typing import type_text
from tests.ui.test_documents_ui import shot


@pytest.fixture
def o(services):
    return office(services)


@pytest.fixture
def tabs(qtbot, o):
    configure_application(QApplication.instance())
    import app.ui.documents.receipt_form  # noqa: F401
    import app.ui.documents.return_form  # noqa: F401

    widget = RecordTabs()
    widget.resize(1100, 900)
    qtbot.addWidget(widget)
    widget.attach(o.services, o.rep)
    widget.show()
    yield widget


def _visible(form, key: str) -> bool:
    return form.rows[key].isVisibleTo(form)


def test_a_cheque_typed_in_the_form_is_saved_with_its_sayad_id(qtbot, tabs, o) -> None:
    form = tabs.open_record("receipt", None)
    form.identity.set_identity(o.customer, "فروشگاه لوازم اداری نگین")
    type_text(form.amount.edit, "۲۰۰۰۰۰۰")
    assert not _visible(form, "cheque_sayad")
    form.method.setCurrentIndex(form.method.findData(PaymentMethod.CHEQUE))
    for key in ("cheque_number", "cheque_sayad", "cheque_bank", "cheque_branch", "cheque_due"):
        assert _visible(form, key), key
    assert not _visible(form, "cheque_state")  # a state once saved
    type_text(form.cheque.number, "۴۵۶۷۸۹")
    type_text(form.cheque.bank, "ملت")
    type_text(form.cheque.branch, "میدان ونک")
    form.cheque.due.set_date_value(DAY + dt.timedelta(days=20))
    type_text(form.cheque.sayad, "۱۲۳۴۵۶۷۸۹۰۱۲۳۴۵")  # 15 digits
    assert not form.save()
    assert form.rows["cheque_sayad"].error.text() == "شناسه صیادی باید ۱۶ رقم باشد."
    type_text(form.cheque.sayad, "۶")
    assert form.save()
    view = o.services.receipts.get(o.rep, form._view.id)
    assert (view.cheque_sayad, view.cheque_bank, view.cheque_branch) == ("1234567890123456", "ملت", "میدان ونک")
    assert view.cheque_due == DAY + dt.timedelta(days=20) and view.cheque_state is ChequeState.RECEIVED
    assert form.cheque.sayad.text() == "۱۲۳۴۵۶۷۸۹۰۱۲۳۴۵۶" and _visible(form, "cheque_state")
    assert form.cheque.state_label.text() == "دریافت‌شده"
    shot(form, "receipt_cheque")


def test_the_cheque_state_buttons_follow_its_workflow(qtbot, tabs, o) -> None:
    draft = ReceiptDraft(o.customer, 1_000_000, DAY, PaymentMethod.CHEQUE, cheque_number="789012", cheque_bank="ملت",
                         cheque_due=DAY, cheque_sayad="1234567890123456")  # fmt: skip
    cheque = o.services.receipts.create(o.rep, draft)
    form = tabs.open_record("receipt", cheque.id)
    buttons = form.cheque.move_buttons
    assert {state: b.text() for state, b in buttons.items()} == {
        ChequeState.DEPOSITED: "واگذاری به بانک",
        ChequeState.CLEARED: "وصول (نقد در بانک صادرکننده)",
        ChequeState.RETURNED: "عودت به صادرکننده",
    }
    type_text(form.notes, "یادداشت")  # unsaved edits: a move would reload over them
    buttons[ChequeState.DEPOSITED].click()
    assert form.rows["cheque_state"].error.text() == "ابتدا تغییرات را ذخیره کنید."
    assert o.services.receipts.get(o.rep, cheque.id).cheque_state is ChequeState.RECEIVED
    assert form.save()
    form.cheque.move_buttons[ChequeState.DEPOSITED].click()
    assert o.services.receipts.get(o.rep, cheque.id).cheque_state is ChequeState.DEPOSITED
    assert form.cheque.state_label.text() == "واگذارشده به بانک"
    assert set(form.cheque.move_buttons) == {ChequeState.CLEARED, ChequeState.BOUNCED}
    assert not form.is_dirty()


def test_the_cheque_moves_wrap_in_a_narrow_record_area(qtbot, tabs, o) -> None:
    """The three moves of a received cheque did not fit the record area of a 1280-px screen with both docks:
    squeezed to 85 px each, «وصول (نقد در بانک صادرکننده)» was cut to its middle."""
    draft = ReceiptDraft(o.customer, 1_000_000, DAY, PaymentMethod.CHEQUE, cheque_number="789012", cheque_bank="ملت",
                         cheque_due=DAY, cheque_sayad="1234567890123456")  # fmt: skip
    form = tabs.open_record("receipt", o.services.receipts.create(o.rep, draft).id)
    tabs.resize(480, 900)
    qtbot.waitUntil(lambda: form.width() <= 480)
    assert len(form.cheque.move_buttons) == 3
    for button in form.cheque.move_buttons.values():
        assert form.rect().contains(QRect(button.mapTo(form, QPoint(0, 0)), button.size())), button.text()
        assert button.width() >= button.sizeHint().width(), button.text()
    assert len({b.y() for b in form.cheque.move_buttons.values()}) == 2


def test_a_refund_names_the_return_it_settles(qtbot, tabs, o, monkeypatch) -> None:
    # The customer still owes the rest of the invoice: the rep confirms the refund (asked since issue 15).
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    invoice = issued_invoice(o)
    ret = o.services.returns.create(o.rep, ReturnDraft(invoice.id, DAY, [ReturnLineDraft(invoice.lines[0].id, 1)]))
    ret = o.services.returns.issue(o.rep, ret.id)
    form = tabs.open_record("receipt", None)
    form.prefill_refund(o.customer, "فروشگاه لوازم اداری نگین", ret.id, 500_000)
    assert _visible(form, "sales_return_id")
    assert form.settles.text() == "برگشت از فروش شماره ۱ مورخ ۱۴۰۴/۰۹/۰۱"
    assert form.save()
    assert form._view.direction is MoneyDirection.OUT and form._view.sales_return_id == ret.id
    assert form.settles.text() == "برگشت از فروش شماره ۱ مورخ ۱۴۰۴/۰۹/۰۱" and _visible(form, "sales_return_id")
    shot(form, "payment_refund")


def test_the_receipts_list_filters_the_cheques_still_to_collect(qtbot, o) -> None:
    from app.ui.documents.documents_dock import RECEIPT_COLUMNS, UNCOLLECTED, DocumentsPanel

    receipts = o.services.receipts
    for n, days in enumerate((40, 5, 20)):
        draft = ReceiptDraft(o.customer, 1_000_000 + n, DAY, PaymentMethod.CHEQUE, cheque_number=str(n),
                             cheque_bank="ملت", cheque_due=DAY + dt.timedelta(days=days),
                             cheque_sayad=f"{n + 1}234567890123456")  # fmt: skip
        made = receipts.create(o.rep, draft)
    receipts.move_cheque(o.rep, made.id, ChequeState.CLEARED)  # the one due in 20 days is collected
    receipts.create(o.rep, ReceiptDraft(o.customer, 100, DAY, PaymentMethod.CASH))
    panel = DocumentsPanel(o.services, o.rep)
    qtbot.addWidget(panel)
    panel.refresh()
    assert panel.receipts.model.total() == 4
    button = next(b for b in panel.receipts.findChildren(QAbstractButton) if b.text() == UNCOLLECTED)
    button.click()
    assert panel.receipts.model.total() == 2
    column = {c.key: i for i, c in enumerate(RECEIPT_COLUMNS)}
    panel.receipts.table.sortByColumn(column["cheque_due"], Qt.SortOrder.AscendingOrder)
    model = panel.receipts.model
    assert [model.row_at(i).amount for i in range(2)] == [1_000_001, 1_000_000]  # nearest due first
    assert model.data(model.index(0, column["cheque_state"])) == "دریافت‌شده"
    panel.tabs.setCurrentIndex(3)
    panel.resize(900, 400)
    shot(panel, "dock_cheques")

"""The receipt / payment form (دریافت / پرداخت): amount, date, method (cheque details and a received
cheque's state when a cheque), reference, the return a payment settles, and how much of a receipt
settles each open invoice and contract instalment of the customer (partial and split:
receipt_allocations.py)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from app.models.enums import ChequeState, MoneyDirection, PaymentMethod
from app.persian import ValidationError, format_date, format_money
from app.persian import to_persian_digits as fa
from app.services.core.labels import CHEQUE_STATE, MONEY_DIRECTION, PAYMENT_METHOD
from app.services.documents.receipts import ReceiptDraft, ReceiptView
from app.ui.common.form_fields import FieldRow
from app.ui.common.jalali_date_edit import JalaliDateEdit
from app.ui.common.money_edit import MoneyEdit
from app.ui.common.record_form import register_form
from app.ui.documents.cheque_fields import ChequeFields
from app.ui.documents.document_form import DocumentForm
from app.ui.documents.money_checks import refund_confirmed
from app.ui.documents.receipt_allocations import AllocationTable
from app.ui.identities.identity_picker import IdentityPicker
from app.ui.qt_setup import make_ltr

if TYPE_CHECKING:
    from app.services.core.actor import Actor
    from app.services.core.registry import Services


def _settles(number: int | None, day: dt.date | None) -> str:
    """The return a payment settles, as the form shows it."""
    return f"برگشت از فروش شماره {fa(str(number))} مورخ {format_date(day)}" if number else ""


class ReceiptForm(DocumentForm):
    def __init__(self, services: Services, actor: Actor, record_id=None, parent: QWidget | None = None) -> None:
        super().__init__(services, actor, parent)
        self._view: ReceiptView | None = None
        self._opportunity_id = None
        self._return_id = None
        self._loading = True
        self.add_action("save", "ذخیره (Ctrl+S)", self.save)
        self.add_action("print", "پیش‌نمایش و چاپ", self.print_preview)
        self.add_action("delete", "حذف", self.delete)
        self.direction = QComboBox(objectName="direction")
        for value in MoneyDirection:
            self.direction.addItem(MONEY_DIRECTION[value], value)
        self.identity = IdentityPicker(services, actor)
        self.identity.setObjectName("identity_id")
        self.amount = MoneyEdit()
        self.amount.setObjectName("amount")
        self.received_on = JalaliDateEdit()
        self.method = QComboBox(objectName="method")
        for value in PaymentMethod:
            self.method.addItem(PAYMENT_METHOD[value], value)
        self.reference = make_ltr(QLineEdit(objectName="reference"))
        self.cheque = ChequeFields(self.move_cheque)
        self.settles = QLabel(objectName="settles")
        self.notes = QPlainTextEdit(objectName="notes")
        self.notes.setFixedHeight(50)
        fields = (
            ("direction", "نوع", self.direction),
            ("identity_id", "مشتری *", self.identity),
            ("amount", "مبلغ (ریال) *", self.amount),
            ("received_on", "تاریخ *", self.received_on),
            ("method", "روش پرداخت", self.method),
            ("reference", "شماره پیگیری / مرجع", self.reference),
            *self.cheque.rows(),
            ("sales_return_id", "بابت برگشت از فروش", self.settles),
            ("notes", "توضیحات", self.notes),
        )
        self.rows: dict[str, FieldRow] = {}
        self.form = QFormLayout()
        for key, label, widget in fields:
            self.rows[key] = FieldRow(widget)
            self.form.addRow(label, self.rows[key])
        self.allocations = AllocationTable()
        self.auto = QPushButton("تخصیص خودکار به قدیمی‌ترین بدهی‌ها")
        self.auto.clicked.connect(self.allocate_oldest_first)
        self.allocation_error = QLabel(objectName="fieldError", wordWrap=True)
        self.allocation_error.setStyleSheet("color: #c62828;")
        self.allocation_title = QLabel("<b>تسویه صورتحساب‌ها و اقساط قرارداد</b>")
        self.allocation_note = QLabel(objectName="allocationNote", wordWrap=True)
        self.allocation_note.setStyleSheet("color: #616161;")
        self.body.addLayout(self.form)
        self._allocation_widgets = (
            self.allocation_title, self.auto, self.allocations, self.allocation_note, self.allocation_error
        )  # fmt: skip
        for widget in self._allocation_widgets:
            self.body.addWidget(widget)
        self.body.addStretch()
        self.method.currentIndexChanged.connect(lambda *_: self._method_changed())
        self.direction.currentIndexChanged.connect(lambda *_: self._direction_changed())
        self.identity.sig_picked.connect(lambda *_: self._load_open_invoices())
        self.amount.edit.editingFinished.connect(self._fit_allocations)
        for signal in (
            self.amount.sig_value_changed, self.reference.textEdited, *self.cheque.edited_signals(),
            self.cheque.due.dateChanged, self.notes.textChanged, self.received_on.dateChanged,
            self.allocations.itemChanged,
        ):  # fmt: skip
            signal.connect(lambda *_: self._touched())
        if record_id is not None:
            self.load(services.receipts.get(actor, record_id))
        else:
            self.received_on.set_date_value(dt.date.today())
            self._method_changed()
            self._show_state()
        self._loading = False

    def _direction(self) -> MoneyDirection:
        return MoneyDirection(self.direction.currentData())  # Qt hands str-enums back as plain str

    def _method(self) -> PaymentMethod:
        return PaymentMethod(self.method.currentData())

    def _touched(self) -> None:
        if not self._loading:
            self.set_dirty(True)

    def title(self) -> str:
        view = self._view
        kind = MONEY_DIRECTION[view.direction if view else self._direction()]
        return f"{kind} {fa(str(view.number))}" if view else f"{kind} جدید"

    # --- prefill (from an invoice or a return) ------------------------------------------
    def prefill_for_invoice(self, identity_id, name: str, invoice_id, due: int, opportunity_id=None) -> None:
        """A receipt of `due` for one invoice, or one contract instalment (`invoice_id` is then its id)."""
        self._loading = True
        self.identity.set_identity(identity_id, name)
        self._opportunity_id = opportunity_id
        self.amount.set_value(due or None)
        self._load_open_invoices({invoice_id: due})
        self._loading = False
        self.set_dirty(True)

    def prefill_refund(self, identity_id, name: str, return_id, amount: int, opportunity_id=None) -> None:
        self._loading = True
        self.direction.setCurrentIndex(self.direction.findData(MoneyDirection.OUT))
        self.method.setCurrentIndex(self.method.findData(PaymentMethod.BANK_TRANSFER))
        self.identity.set_identity(identity_id, name)
        self._return_id, self._opportunity_id = return_id, opportunity_id
        self.amount.set_value(amount)
        settled = self.run(lambda: self._services.returns.get(self._actor, return_id))
        if settled is not None:
            self.settles.setText(_settles(settled.number, settled.issue_date))
        self._direction_changed()
        self._method_changed()
        self._loading = False
        self.set_dirty(True)

    # --- view ----------------------------------------------------------------------
    def load(self, view: ReceiptView) -> None:
        self._loading = True
        self._view = view
        self._opportunity_id, self._return_id = view.opportunity_id, view.sales_return_id
        self.direction.setCurrentIndex(self.direction.findData(view.direction))
        self.identity.set_identity(view.identity_id, view.identity_name)
        self.amount.set_value(view.amount)
        self.received_on.set_date_value(view.received_on)
        self.method.setCurrentIndex(self.method.findData(view.method))
        self.reference.setText(fa(view.reference))
        self.cheque.load(view)
        self.settles.setText(_settles(view.sales_return_number, view.sales_return_date))
        self.notes.setPlainText(view.notes)
        chosen = {a.invoice_id: a.amount for a in view.allocations}
        self._load_open_invoices(chosen | {i.instalment_id: i.amount for i in view.instalments})
        self.allocation_note.clear()
        self._method_changed()
        self._loading = False
        self.set_dirty(False)
        self._show_state()
        self.sig_title_changed.emit(self.title())

    def _show_state(self) -> None:
        self.heading.setText(self.title())
        self.direction.setEnabled(self._view is None)
        self.buttons["print"].setEnabled(self._view is not None)
        self.buttons["delete"].setVisible(self._view is not None)
        self._direction_changed()

    def _method_changed(self) -> None:
        cheque = self._method() is PaymentMethod.CHEQUE
        for key, _label, _editor in self.cheque.rows():
            self.form.setRowVisible(self.rows[key], cheque)
        # The state row only once the saved receipt is a received cheque (it has a state then).
        state = self._view.cheque_state if self._view else None
        self.form.setRowVisible(self.rows["cheque_state"], cheque and state is not None)
        self.form.setRowVisible(self.rows["sales_return_id"], bool(self.settles.text()))
        self._touched()

    def _direction_changed(self) -> None:
        incoming = self._direction() is MoneyDirection.IN
        for widget in self._allocation_widgets:
            widget.setVisible(incoming)
        if self._view is None:
            self.heading.setText(self.title())

    def _load_open_invoices(self, chosen: dict | None = None) -> None:
        """The customer's open invoices and instalments; `chosen`: id -> this receipt's part of it."""
        identity_id = self.identity.identity_id()
        items: list = []
        if identity_id is not None and self._direction() is MoneyDirection.IN:
            receipt_id = self._view.id if self._view else None
            sv, actor = self._services, self._actor
            found = self.run(
                lambda: (
                    sv.receipts.open_invoices(actor, identity_id, receipt_id)
                    + sv.instalments.open_instalments(actor, identity_id, receipt_id)
                )
            )
            items = found or []
        was = self._loading
        self._loading = True
        self.allocations.show_open(items, chosen or {})
        self._loading = was

    def allocate_oldest_first(self) -> None:
        self.allocation_note.clear()  # allocated afresh: nothing was lowered
        try:
            amount = self.amount.value() or 0
        except ValidationError:
            amount = 0
        self.allocations.allocate_oldest_first(amount)

    def _fit_allocations(self) -> None:
        """A lowered amount takes the allocations down with it at once (the newest shares first), saying
        so under the table, so the saved receipt never allocates more than it received."""
        try:
            amount = self.amount.value() or 0
        except ValidationError:
            return  # unreadable: saving names the field at fault
        if self.allocations.fit_to(amount):
            self.allocation_note.setText(f"تخصیص‌ها به اندازهٔ مبلغ دریافت ({format_money(amount)}) کم شد.")

    def show_errors(self, errors: dict[str, str]) -> None:
        first = None
        for key, row in self.rows.items():
            row.set_error(errors.get(key))
            if key in errors and first is None:
                first = row.editor
        shares = [k for k in errors if k.startswith(("allocations", "instalments"))]
        self.allocation_error.setText("\n".join(errors[k] for k in shares))
        others = [m for k, m in errors.items() if k not in self.rows and k not in shares]
        if others:
            super().show_errors({"other": "\n".join(others)})
        if first is not None:
            first.setFocus()

    def save(self) -> bool:
        try:
            amount = self.amount.value()
        except ValidationError as exc:
            self.show_errors({"amount": exc.message})
            return False
        direction = self._direction()
        if direction is MoneyDirection.IN:
            self._fit_allocations()
        elif self._view is None and self.identity.identity_id() is not None:
            if not refund_confirmed(self, self._services, self._actor, self.identity.identity_id(), amount or 0):
                return False
        try:
            allocations, instalments = self.allocations.chosen()
        except ValidationError as exc:
            self.allocation_error.setText(exc.message)
            return False
        draft = ReceiptDraft(
            self.identity.identity_id(), amount or 0, self.received_on.date_value(), self._method(),
            direction, self.reference.text(), self.cheque.number.text(), self.cheque.bank.text(),
            self.cheque.due.date_value(), self.cheque.sayad.text(), self.cheque.branch.text(), self._opportunity_id,
            self._return_id if direction is MoneyDirection.OUT else None, self.notes.toPlainText(),
            allocations if direction is MoneyDirection.IN else [], self._view.version if self._view else None,
            instalments if direction is MoneyDirection.IN else [],
        )  # fmt: skip
        receipts = self._services.receipts
        if self._view is None:
            view = self.run(lambda: receipts.create(self._actor, draft))
        else:
            view = self.run(lambda: receipts.update(self._actor, self._view.id, draft))
        if view is None:
            return False
        self.load(view)
        self.status(
            f"{MONEY_DIRECTION[view.direction]} شماره {fa(str(view.number))} ثبت شد: {format_money(view.amount)}"
        )
        return True

    def move_cheque(self, state: ChequeState) -> None:
        """Moves the saved cheque to `state`; unsaved edits would be lost by the reload, so save first."""
        if self.is_dirty():
            self.show_errors({"cheque_state": "ابتدا تغییرات را ذخیره کنید."})
            return
        view = self._view
        moved = self.run(lambda: self._services.receipts.move_cheque(self._actor, view.id, state, view.version))
        if moved is not None:
            self.load(moved)
            self.status(f"وضعیت چک {fa(moved.cheque_number)}: {CHEQUE_STATE[state]}")

    def delete(self) -> None:
        if QMessageBox.question(self, "حذف", "این سند حذف شود؟") != QMessageBox.StandardButton.Yes:
            return
        if self.run(lambda: self._services.receipts.delete(self._actor, self._view.id) or True):
            self.set_dirty(False)
            if self._tabs is not None:
                self._tabs.close_tab(self._tabs.indexOf(self))

    def print_preview(self) -> None:
        view = self._view
        if view is not None:
            kind = "receipt" if view.direction is MoneyDirection.IN else "payment"
            self.preview(kind, view.id, self.title(), f"{kind}-{view.number}.pdf")


register_form("receipt", ReceiptForm)

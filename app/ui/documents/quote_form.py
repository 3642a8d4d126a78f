"""The quote form (پیش‌فاکتور): edit, send, accept (may close the opportunity as won), reject,
back to draft, make the invoice from it, print."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFormLayout, QMessageBox, QWidget

from app.models.enums import QuoteState, Settlement
from app.services.core.labels import QUOTE_STATE
from app.services.documents.doc_numbers import shown
from app.services.documents.quotes import DEFAULT_VALIDITY_DAYS, QuoteDraft, QuoteView
from app.ui.common.form_fields import FieldRow
from app.ui.common.jalali_date_edit import JalaliDateEdit
from app.ui.common.record_form import register_form
from app.ui.documents.document_form import SalesDocumentForm

if TYPE_CHECKING:
    from app.services.core.actor import Actor
    from app.services.core.registry import Services

TITLE = "پیش‌فاکتور"


class QuoteForm(SalesDocumentForm):
    WATCHED = ("quotes",)  # its state moves when an invoice is made from it or someone else answers it
    MESSAGES_TABLE = "quotes"

    def __init__(self, services: Services, actor: Actor, record_id=None, parent: QWidget | None = None) -> None:
        super().__init__(services, actor, parent)
        self._view: QuoteView | None = None
        self.add_action("save", "ذخیره (Ctrl+S)", self.save)
        self.add_action("send", "ارسال‌شده", lambda: self.move(QuoteState.SENT))
        self.add_action("accept", "پذیرش مشتری", self.accept)
        self.add_action("reject", "رد مشتری", lambda: self.move(QuoteState.REJECTED))
        self.add_action("draft", "برگشت به پیش‌نویس", lambda: self.move(QuoteState.DRAFT))
        self.add_action("invoice", "صدور صورتحساب", self.make_invoice)
        self.add_action("contract", "قرارداد", self.make_contract)  # instead of an invoice (seed 000)
        self.add_action("print", "پیش‌نمایش و چاپ", self.print_preview)
        self.add_action("delete", "حذف", self.delete)
        self.valid_until = JalaliDateEdit()
        self.valid_until.setObjectName("valid_until")
        self.valid_until.setNullable(True)

        def extra(form: QFormLayout) -> None:
            self.rows["valid_until"] = FieldRow(self.valid_until)
            form.addRow("اعتبار تا", self.rows["valid_until"])

        self.build_header_fields(extra)
        self.valid_until.dateChanged.connect(lambda *_: self._mark_dirty())
        if record_id is not None:
            self.load(services.quotes.get(actor, record_id))
        else:
            self._loading = True
            today = dt.date.today()
            self.issue_date.set_date_value(today)
            self.valid_until.set_date_value(today + dt.timedelta(days=DEFAULT_VALIDITY_DAYS))
            self._loading = False
            self._show_state()

    def fetch(self, record_id) -> QuoteView:
        return self._services.quotes.get(self._actor, record_id)

    def title(self) -> str:
        return f"{TITLE} {shown(self._view.number_text)}" if self._view else f"{TITLE} جدید"

    def _load_extra(self, view: QuoteView) -> None:
        self.valid_until.set_date_value(view.valid_until)

    def _show_state(self) -> None:
        view = self._view
        state = view.state if view else QuoteState.DRAFT
        self.set_badge(state.value, QUOTE_STATE[state])
        self.heading.setText(self.title())
        editable = view is None or view.editable
        self.set_editable(editable)
        self.valid_until.setReadOnly(not editable)
        exists = view is not None
        shown = {
            "save": editable,
            "send": exists and state in (QuoteState.DRAFT, QuoteState.REJECTED),
            "accept": exists and state in (QuoteState.DRAFT, QuoteState.SENT),
            "reject": exists and state in (QuoteState.DRAFT, QuoteState.SENT),
            "draft": exists and state is not QuoteState.DRAFT and not view.invoice_issued,
            "invoice": exists and state is QuoteState.ACCEPTED and not view.invoice_issued,
            "contract": exists and state is QuoteState.ACCEPTED and not view.invoice_issued,
            "print": exists,
            "delete": exists and not view.invoice_issued,
        }
        for key, visible in shown.items():
            self.buttons[key].setVisible(visible)
        self.info.setText("از این پیش‌فاکتور صورتحساب صادر شده است." if exists and view.invoice_issued else "")

    def _draft(self) -> QuoteDraft | None:
        lines = self._draft_lines()
        if lines is None:
            return None
        return QuoteDraft(
            self.identity.identity_id(),
            self.issue_date.date_value(),
            lines,
            self.valid_until.date_value(),
            self.opportunity.value(),
            self.price_list.currentData(),
            Settlement(self.settlement.currentData()),
            self.notes.toPlainText(),
            self._view.version if self._view else None,
        )

    def save(self) -> bool:
        if self._view is not None and not self._view.editable:
            return True
        return self.save_draft(self._services.quotes, "پیش‌فاکتور ذخیره شد.")

    def move(self, state: QuoteState, close_opportunity: bool = False) -> None:
        if self.is_dirty() and not self.save():
            return
        view = self.run(lambda: self._services.quotes.set_state(self._actor, self._view.id, state, close_opportunity))
        if view is not None:
            self.load(view)

    def accept(self) -> None:
        close = False
        if self._view is not None and self._view.opportunity_id is not None:
            answer = QMessageBox.question(
                self,
                "پذیرش پیش‌فاکتور",
                f"فرصت «{self._view.opportunity_title}» هم به‌عنوان «برنده» بسته شود؟",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No | QMessageBox.StandardButton.Cancel,
            )
            if answer == QMessageBox.StandardButton.Cancel:
                return
            close = answer == QMessageBox.StandardButton.Yes
        self.move(QuoteState.ACCEPTED, close)

    def make_invoice(self) -> None:
        invoice = self.run(lambda: self._services.invoices.from_quote(self._actor, self._view.id))
        if invoice is not None:
            self.sig_open_record.emit("invoice", invoice.id)

    def make_contract(self) -> None:
        contract = self.run(lambda: self._services.contracts.from_quote(self._actor, self._view.id))
        if contract is not None:
            self.sig_open_record.emit("contract", contract.id)

    def delete(self) -> None:
        self.delete_draft(self._services.quotes, "این پیش‌فاکتور حذف شود؟")

    def print_preview(self) -> None:
        if self._view is not None:
            self.preview("quote", self._view.id, self.title(), f"quote-{self._view.number_text}.pdf")


register_form("quote", QuoteForm)

"""The invoice form (صورتحساب فروش کالا و خدمات): a draft is edited and issued; an issued invoice is
read-only and offers print, a receipt for what is still due, and a return."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox, QWidget

from app.models.enums import DocumentState, Settlement
from app.persian import format_money
from app.persian import to_persian_digits as fa
from app.services.core.labels import DOCUMENT_STATE, PAYMENT_STATUS
from app.services.documents.doc_numbers import shown
from app.services.documents.invoice_views import InvoiceDraft, InvoiceView
from app.services.documents.returns import ReturnDraft, ReturnLineDraft
from app.ui.common.record_form import register_form
from app.ui.documents.document_form import SalesDocumentForm

if TYPE_CHECKING:
    from app.services.core.actor import Actor
    from app.services.core.registry import Services

TITLE = "صورتحساب"


class InvoiceForm(SalesDocumentForm):
    WATCHED = ("invoices", "receipts", "sales_returns")  # paid and returned amounts come from these
    MESSAGES_TABLE = "invoices"

    def __init__(self, services: Services, actor: Actor, record_id=None, parent: QWidget | None = None) -> None:
        super().__init__(services, actor, parent)
        self._view: InvoiceView | None = None
        self._quote_id = None
        self.add_action("save", "ذخیره پیش‌نویس (Ctrl+S)", self.save)
        self.add_action("issue", "صدور صورتحساب", self.issue)
        self.add_action("print", "پیش‌نمایش و چاپ", self.print_preview)
        self.add_action("receipt", "ثبت دریافت", self.new_receipt)
        self.add_action("return", "برگشت از فروش", self.new_return)
        self.add_action("delete", "حذف پیش‌نویس", self.delete)
        self.build_header_fields()
        self.price_list.setToolTip(  # invoices have no list column: the quote's or opportunity's is shown
            "ردیف‌های تازه با این لیست قیمت‌گذاری می‌شوند؛ صورتحساب لیست پیش‌فاکتور یا فرصت خود را نشان می‌دهد."
        )
        if record_id is not None:
            self.load(services.invoices.get(actor, record_id))
        else:
            self._loading = True
            self.issue_date.set_date_value(dt.date.today())
            self._loading = False
            self._show_state()

    def fetch(self, record_id) -> InvoiceView:
        return self._services.invoices.get(self._actor, record_id)

    def title(self) -> str:
        view = self._view
        if view is None:
            return f"{TITLE} جدید"
        return f"{TITLE} {shown(view.number_text)}" if view.number_text else f"{TITLE} (پیش‌نویس)"

    def _load_extra(self, view: InvoiceView) -> None:
        self._quote_id = view.quote_id

    def _show_state(self) -> None:
        view = self._view
        issued = view is not None and view.is_issued
        state = view.state if view else DocumentState.DRAFT
        self.set_badge(state.value, DOCUMENT_STATE[state])
        self.heading.setText(self.title())
        self.set_editable(not issued)
        self.buttons["save"].setVisible(not issued)
        self.buttons["issue"].setVisible(not issued)
        self.buttons["delete"].setVisible(view is not None and not issued)
        self.buttons["print"].setEnabled(view is not None)
        self.buttons["receipt"].setVisible(issued)
        self.buttons["return"].setVisible(issued)
        if issued:
            info = f"{PAYMENT_STATUS[view.payment_status]} · پرداخت‌شده {format_money(view.paid)}"
            if view.returned:
                info += f" · برگشتی {format_money(view.returned)}"
            info += f" · مانده {format_money(view.due)}"
            self.info.setText(info)
        else:
            self.info.setText("")

    def _draft(self) -> InvoiceDraft | None:
        lines = self._draft_lines()
        if lines is None:
            return None
        return InvoiceDraft(
            self.identity.identity_id(),
            self.issue_date.date_value(),
            lines,
            self.opportunity.value(),
            Settlement(self.settlement.currentData()),
            self.notes.toPlainText(),
            self._quote_id,
            self._view.version if self._view else None,
        )

    def save(self) -> bool:
        if self._view is not None and self._view.is_issued:
            return True
        return self.save_draft(self._services.invoices, "پیش‌نویس صورتحساب ذخیره شد.")

    def issue(self) -> None:
        if not self.save():
            return
        answer = QMessageBox.question(
            self,
            "صدور صورتحساب",
            "پس از صدور، صورتحساب شماره می‌گیرد و دیگر قابل تغییر نیست (اصلاح فقط با برگشت از فروش). صادر شود؟",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        view = self.run(lambda: self._services.invoices.issue(self._actor, self._view.id, self._view.version))
        if view is not None:
            self.load(view)
            number = f"شماره {fa(str(view.number))}" if view.number else shown(view.number_text)
            self.status(f"صورتحساب {number} صادر شد.")

    def delete(self) -> None:
        self.delete_draft(self._services.invoices, "پیش‌نویس این صورتحساب حذف شود؟")

    def print_preview(self) -> None:
        if self._view is None:
            return
        number = self._view.number or self._view.provisional_number or "draft"
        self.preview("invoice", self._view.id, self.title(), f"invoice-{number}.pdf")

    def new_receipt(self) -> None:
        view = self._view
        form = self.open_new("receipt")
        if form is not None and view is not None:
            form.prefill_for_invoice(view.identity_id, view.identity_name, view.id, view.due, view.opportunity_id)

    def new_return(self) -> None:
        """A draft return of everything still returnable; the user lowers the quantities there."""
        view = self._view
        left = self.run(lambda: self._services.returns.returnable(self._actor, view.id))
        if left is None:
            return
        lines = [ReturnLineDraft(r.invoice_line_id, r.remaining) for r in left if r.remaining > 0]
        if not lines:
            self.status("همه اقلام این صورتحساب قبلاً برگشت خورده است.")
            return
        day = max(dt.date.today(), view.issue_date)
        ret = self.run(lambda: self._services.returns.create(self._actor, ReturnDraft(view.id, day, lines)))
        if ret is not None:
            self.sig_open_record.emit("return", ret.id)


register_form("invoice", InvoiceForm)

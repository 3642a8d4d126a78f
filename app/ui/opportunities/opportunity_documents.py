"""The opportunity's documents: «صدور پیش‌فاکتور», «صدور فاکتور» and «قرارداد» (a draft with the
opportunity's products, prices and discounts copied, a contract's from its accepted quote, opened in its
own tab; as many quotes as the negotiation needs) and the «اسناد» tab with its quotes, invoices,
contracts, receipts and returns and its balance."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QPushButton

from app.ui.documents.record_documents import RecordDocuments
from app.ui.ops import op

if TYPE_CHECKING:
    from app.services.core.actor import Actor
    from app.services.core.registry import Services
    from app.ui.opportunities.opportunity_form import OpportunityForm


class OpportunityDocuments:
    """The issue buttons for the form's header strip and the «اسناد» tab, kept in step with the form."""

    def __init__(self, form: OpportunityForm, services: Services, actor: Actor) -> None:
        self._form, self._services, self._actor = form, services, actor
        self.quote_button = QPushButton("صدور پیش‌فاکتور", objectName="issueQuote")
        self.invoice_button = QPushButton("صدور فاکتور", objectName="issueInvoice")
        # Some companies sign a contract instead of issuing an invoice (seed 000).
        self.contract_button = QPushButton("قرارداد", objectName="newContract")
        self.quote_button.clicked.connect(lambda: self.issue("quote"))
        self.invoice_button.clicked.connect(lambda: self.issue("invoice"))
        self.contract_button.clicked.connect(lambda: self.issue("contract"))
        self.tab = RecordDocuments(services, actor)
        self.tab.sig_open_record.connect(form.sig_open_record)

    def show_for(self, opportunity_id) -> None:
        """The form shows a saved opportunity (or a new one: None)."""
        for button in (self.quote_button, self.invoice_button, self.contract_button):
            button.setVisible(opportunity_id is not None)
        if opportunity_id is not None:
            self.tab.set_record(opportunity_id=opportunity_id)

    def issue(self, kind: str) -> None:
        """Saves pending edits first (the copy is made from the stored products), then opens the draft."""
        form = self._form
        if form.detail is None or (form.is_dirty() and not form.save()):
            return
        opportunity_id, actor = form.detail.id, self._actor
        sv = self._services
        make = {"quote": sv.quotes, "invoice": sv.invoices, "contract": sv.contracts}[kind].from_opportunity
        view = op(form, lambda: make(actor, opportunity_id)).run()
        if view is not None:
            form.sig_open_record.emit(kind, view.id)

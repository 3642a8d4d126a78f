"""The identity page's «+ فرصت», «+ فعالیت», «+ پیش‌فاکتور» and «+ قرارداد»: each starts the new record with the
identity already filled in (a saved identity only; pending edits are saved first)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QPushButton, QWidget

if TYPE_CHECKING:
    from app.services.core.actor import Actor
    from app.services.core.registry import Services
    from app.ui.identities.identity_form import IdentityForm


def record_tabs(widget: QWidget):
    """The main window's record tabs holding `widget` (None when it is shown on its own)."""
    parent = widget.parentWidget()
    while parent is not None and not hasattr(parent, "open_record"):
        parent = parent.parentWidget()
    return parent


class IdentityActions:
    """The four buttons for the identity form's header."""

    def __init__(self, form: IdentityForm, services: Services, actor: Actor) -> None:
        self._form, self._services, self._actor = form, services, actor
        self.opportunity_button = QPushButton("+ فرصت", objectName="newOpportunityForIdentity")
        self.activity_button = QPushButton("+ فعالیت", objectName="newActivityForIdentity")
        self.quote_button = QPushButton("+ پیش‌فاکتور", objectName="newQuoteForIdentity")
        self.opportunity_button.clicked.connect(lambda: self.new_record("opportunity"))
        self.activity_button.clicked.connect(self.new_activity)
        self.contract_button = QPushButton("+ قرارداد", objectName="newContractForIdentity")
        self.quote_button.clicked.connect(lambda: self.new_record("quote"))
        self.contract_button.clicked.connect(lambda: self.new_record("contract"))
        self.buttons = (self.opportunity_button, self.activity_button, self.quote_button, self.contract_button)

    def show_for(self, saved: bool, merged: bool) -> None:
        for button in self.buttons:
            button.setVisible(saved)
            button.setEnabled(not merged)

    def _ready(self) -> bool:
        form = self._form
        return form.identity_id is not None and (not form.is_dirty() or form.save())

    def new_record(self, kind: str) -> None:
        """A new opportunity, quote or contract tab for this identity."""
        tabs = record_tabs(self._form)
        if tabs is None or not self._ready():
            return
        identity_id, name = self._form.identity_id, self._form.title()
        if kind == "opportunity":
            from app.ui.opportunities.opportunity_form import open_new_for_identity  # the opportunities area

            open_new_for_identity(tabs, identity_id, name)
        else:
            tabs.open_record(kind, None).prefill(identity_id, name)

    def new_activity(self) -> None:
        """«فعالیت جدید» for this identity; the activities tab and the timeline follow the write."""
        if not self._ready():
            return
        from app.ui.activities.activity_actions import plan_activity  # the activities area

        plan_activity(self._form, self._services, self._actor, self._form.identity_id)

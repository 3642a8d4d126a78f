"""«فرصت» on a draft quote or invoice: a pick list of the customer's opportunities (none until a
customer is chosen), so a document can be linked to, or moved between, that customer's deals."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QComboBox, QWidget

from app.services.core.errors import ServiceError
from app.services.core.labels import OPPORTUNITY_STATUS
from app.services.opportunities.queries import OpportunityQuery
from app.ui.common.combo import select

if TYPE_CHECKING:
    from app.services.core.actor import Actor
    from app.services.core.registry import Services

NONE = "— بدون فرصت —"
MAX_OPPORTUNITIES = 500


class OpportunityChoice(QComboBox):
    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="opportunity_id")
        self._services, self._actor = services, actor
        self.addItem(NONE, None)

    def value(self) -> uuid.UUID | None:
        return self.currentData()

    def show_for(self, identity_id: uuid.UUID | None, chosen: uuid.UUID | None, title: str | None = None) -> None:
        """Offers `identity_id`'s opportunities with `chosen` selected (kept, under `title`, even when
        the list no longer holds it: closed long ago or beyond what the actor may list)."""
        self.blockSignals(True)
        self.clear()
        self.addItem(NONE, None)
        rows = []
        if identity_id is not None:
            query = OpportunityQuery(identity_id=identity_id, status=None, sort="title")
            try:
                rows = self._services.opportunities.search(self._actor, query, 0, MAX_OPPORTUNITIES)
            except ServiceError:
                rows = []  # the customer is not visible to the actor: only «بدون فرصت» is offered
        for row in rows:
            self.addItem(f"{row.title} ({OPPORTUNITY_STATUS[row.status]})", row.id)
        if chosen is not None and all(row.id != chosen for row in rows):
            self.addItem(title or "—", chosen)
        select(self, chosen)
        self.blockSignals(False)

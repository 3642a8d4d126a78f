"""The automatic probability as a column of the opportunity list: each loaded page's open deals are
estimated in one background call, and the cells fill in when it returns (closed deals stay empty)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal

from app.services.opportunities.auto_probability_model import Estimate
from app.ui import format as fmt
from app.ui.common.lazy_table import Column
from app.ui.ops import op

if TYPE_CHECKING:
    from app.services.core.actor import Actor
    from app.services.core.registry import Services

AUTO_KEY = "auto_probability"
HEADER = "احتمال خودکار"


def auto_probability_column() -> Column:
    """Its text comes from AutoProbabilityCells (the list) or the export's own estimates, not the row."""
    return Column(AUTO_KEY, HEADER, lambda row: "", None)


def cell_text(estimate: Estimate | None) -> str:
    return "" if estimate is None else fmt.percent(estimate.percent)


class AutoProbabilityCells(QObject):
    sig_ready = Signal()
    """Estimates arrived: the column's cells should repaint."""

    def __init__(self, services: Services, actor: Actor, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._services, self._actor = services, actor
        self._estimates: dict[uuid.UUID, Estimate] = {}
        self._generation = 0  # answers to a list since reloaded are dropped

    def clear(self) -> None:
        self._estimates = {}
        self._generation += 1

    def ask(self, ids: Iterable[uuid.UUID]) -> None:
        wanted = [i for i in ids if i not in self._estimates]
        if not wanted:
            return
        service, actor, generation = self._services.auto_probability, self._actor, self._generation
        task = op(None, lambda: service.estimates(actor, wanted))
        # A passive column: a refusal (a deal gone meanwhile) leaves its cells empty, without a message.
        task.bound_to(self).success(lambda found: self._arrived(generation, found))
        task.failure(lambda _error: True).run_in_background()

    def _arrived(self, generation: int, found: dict[uuid.UUID, Estimate]) -> None:
        if generation == self._generation and found:
            self._estimates |= found
            self.sig_ready.emit()

    def data(self, opportunity_id: uuid.UUID, role: int) -> Any:
        estimate = self._estimates.get(opportunity_id)
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_text(estimate)
        if role == Qt.ItemDataRole.ToolTipRole and estimate is not None:
            return "\n".join(f.text for f in estimate.factors) or None
        return None

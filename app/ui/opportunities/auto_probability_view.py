"""The automatic probability beside the manual one on the opportunity form: the figure and the
factors that raised or lowered it («منبع: نمایشگاه +۱۲٪»), estimated off the GUI thread.

It asks again when an opportunity or the settings change anywhere (a close elsewhere teaches the
model), so the figure is current without the user asking.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.persian import to_persian_digits
from app.services.core.changes import Changes
from app.services.opportunities.auto_probability_model import Estimate
from app.ui.events import change_bus
from app.ui.ops import op

if TYPE_CHECKING:
    from app.services.core.actor import Actor
    from app.services.core.registry import Services

UNSAVED = "پس از ذخیره برآورد می‌شود"
CLOSED_OR_NONE = "—"
NO_HISTORY = "هنوز فرصت بسته‌شده‌ای برای یادگیری نیست"
SHOWN_FACTORS = 4  # the strongest on the form; all of them in its tooltip
_WATCHED = frozenset({"opportunities", "opportunity_tags", "settings", "identities", "identity_emails"})


def estimate_text(estimate: Estimate) -> str:
    return f"احتمال خودکار: {to_persian_digits(str(estimate.percent))}٪"


def factors_text(estimate: Estimate, shown: int | None = SHOWN_FACTORS) -> str:
    closes, base = to_persian_digits(str(estimate.closes)), to_persian_digits(str(estimate.base_percent))
    learned = f"از {closes} فرصت بسته‌شده؛ پایه {base}٪"
    factors = [f.text for f in estimate.factors[:shown]]
    if shown is not None and len(estimate.factors) > shown:
        factors.append("…")
    return " · ".join([*factors, learned])


class AutoProbabilityView(QWidget):
    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services, self._actor = services, actor
        self._opportunity_id: uuid.UUID | None = None
        self._open = False
        self.figure = QLabel(objectName="autoProbability")
        self.figure.setStyleSheet("font-weight: bold")
        self.factors = QLabel(objectName="autoProbabilityFactors", wordWrap=True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.figure)
        layout.addWidget(self.factors)
        self.show_for(None, False)
        change_bus().sig_changes.connect(self._changed)

    def show_for(self, opportunity_id: uuid.UUID | None, is_open: bool) -> None:
        """The estimate of this opportunity (none for a new or closed one), asked in the background."""
        self._opportunity_id, self._open = opportunity_id, is_open
        if opportunity_id is None or not is_open:
            self.figure.setText(f"احتمال خودکار: {UNSAVED if opportunity_id is None else CLOSED_OR_NONE}")
            self.factors.clear()
            self.factors.setToolTip("")
            return
        self._ask()

    def _ask(self) -> None:
        service, actor, asked = self._services.auto_probability, self._actor, self._opportunity_id
        task = op(self, lambda: service.estimate(actor, asked))
        # Passive text: a deal merged away or hidden meanwhile shows nothing rather than a message.
        task.success(lambda estimate: self._show(asked, estimate)).failure(lambda _error: True).run_in_background()

    def _show(self, asked: uuid.UUID, estimate: Estimate | None) -> None:
        if asked != self._opportunity_id:  # the form moved on to another opportunity meanwhile
            return
        if estimate is None:
            self.figure.setText(f"احتمال خودکار: {CLOSED_OR_NONE}")
            self.factors.setText(NO_HISTORY)
            self.factors.setToolTip("")
            return
        self.figure.setText(estimate_text(estimate))
        self.factors.setText(factors_text(estimate))
        self.factors.setToolTip("\n".join(f.text for f in estimate.factors))

    def _changed(self, changes: Changes) -> None:
        if self._opportunity_id is not None and self._open and changes.tables & _WATCHED:
            self._ask()

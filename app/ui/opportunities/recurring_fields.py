"""The opportunity form's recurring revenue (درآمد تکرارشونده, seed 004): the amount charged each period
beside the one-off amount, the plan (its period), and the monthly recurring revenue they make."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from app.persian import ValidationError, format_number
from app.services.core.errors import ValidationFailed
from app.services.opportunities.recurring import PlanRow, monthly
from app.ui.common.combo import index_of
from app.ui.common.money_edit import MoneyEdit

NO_PLAN = "بدون درآمد تکرارشونده"


def plan_label(plan: PlanRow) -> str:
    return f"{plan.name} (هر {format_number(plan.months)} ماه)"


class RecurringFields(QObject):
    """Two editors for two form rows: `amount_box` (the amount and its MRR) and `plan` (a combo)."""

    sig_changed = Signal()

    def __init__(self, plans: list[PlanRow], parent: QWidget) -> None:
        super().__init__(parent)
        self._months: dict[uuid.UUID, int] = {}
        self.amount = MoneyEdit()
        self.amount.setObjectName("recurringAmount")
        self.monthly = QLabel(objectName="monthlyRecurring")
        self.amount_box = QWidget()
        row = QHBoxLayout(self.amount_box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.amount, 1)
        row.addWidget(self.monthly)
        self.plan = QComboBox(objectName="recurring_plan_id")
        self.set_plans(plans)
        self.amount.sig_value_changed.connect(self._changed)
        self.plan.currentIndexChanged.connect(self._changed)
        self._show_monthly()

    def set_plans(self, plans: list[PlanRow]) -> None:
        """The active plans, keeping the chosen one (even one deactivated since) without a change signal."""
        current, current_text = self.plan.currentData(), self.plan.currentText()
        self._months |= {p.id: p.months for p in plans}
        self.plan.blockSignals(True)
        self.plan.clear()
        self.plan.addItem(NO_PLAN, None)
        for p in plans:
            self.plan.addItem(plan_label(p), p.id)
        if current is not None and index_of(self.plan, current) < 0:
            self.plan.addItem(current_text, current)
        self.plan.setCurrentIndex(max(index_of(self.plan, current), 0))
        self.plan.blockSignals(False)

    def set_values(self, amount: int | None, plan_id: uuid.UUID | None) -> None:
        """A saved opportunity's pair (a plan deactivated since stays chosen, named as such)."""
        if plan_id is not None and index_of(self.plan, plan_id) < 0:
            self.plan.addItem("طرح غیرفعال", plan_id)
        self.amount.set_value(amount)
        self.plan.setCurrentIndex(max(index_of(self.plan, plan_id), 0))
        self._show_monthly()

    def values(self) -> tuple[int | None, uuid.UUID | None]:
        """(amount, plan id) as typed; the service checks they come together."""
        try:
            amount = self.amount.value()
        except ValidationError as exc:
            raise ValidationFailed({"recurring_amount": exc.message}) from None
        return amount or None, self.plan.currentData()

    def _changed(self, *_args) -> None:
        self._show_monthly()
        self.sig_changed.emit()

    def _show_monthly(self) -> None:
        try:
            amount = self.amount.value()
        except ValidationError:
            amount = None
        mrr = monthly(amount, self._months.get(self.plan.currentData()))
        self.monthly.setText(f"ماهانه {format_number(mrr)} ریال" if mrr else "")

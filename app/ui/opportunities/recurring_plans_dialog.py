"""«طرح‌های تکرارشونده» under the sales settings (seed 004): the administrator's recurring plans, each a
number of months (monthly 1, quarterly 3, yearly 12 ... or one of their own). A plan is deactivated, never
deleted, so the opportunities on it keep their monthly recurring revenue."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.persian import format_number
from app.services.opportunities.recurring import MAX_MONTHS
from app.ui.common.form_dialog import FormDialog, buttons_row
from app.ui.errors import show_error
from app.ui.ops import op

if TYPE_CHECKING:
    from app.services.core.actor import Actor
    from app.services.core.registry import Services


class PlanDialog(FormDialog):
    def __init__(self, services: Services, actor: Actor, plan=None, parent=None) -> None:
        super().__init__("طرح تکرارشونده", parent)
        self._s, self._a, self._plan = services, actor, plan
        self.name = self.form.add_line("name", "نام طرح", required=True)
        self.months = self.add("months", "هر چند ماه", QSpinBox(minimum=1, maximum=MAX_MONTHS, suffix=" ماه"))
        self.active = self.add("is_active", "", QCheckBox("فعال", checked=True))
        if plan is not None:
            self.name.setText(plan.name)
            self.months.setValue(plan.months)
            self.active.setChecked(plan.is_active)

    def submit(self) -> Callable[[], object]:
        plans, actor, plan_id = self._s.recurring_plans, self._a, self._plan.id if self._plan else None
        name, months, active = self.name.text(), self.months.value(), self.active.isChecked()
        return lambda: plans.save_plan(actor, name, months, plan_id, active)


class RecurringPlansDialog(QDialog):
    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("طرح‌های تکرارشونده")
        self.resize(420, 320)
        self._s, self._a = services, actor
        self.table = QTableWidget(0, 3, objectName="recurringPlans")
        self.table.setHorizontalHeaderLabels(["طرح", "دوره", "وضعیت"])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.cellDoubleClicked.connect(lambda _r, _c: self.edit())
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText("بستن")
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(
            buttons_row(
                ("افزودن…", lambda: self.edit(new=True)), ("ویرایش…", self.edit), ("فعال / غیرفعال", self.toggle)
            )
        )
        layout.addWidget(close)
        self.refresh()

    def refresh(self) -> None:
        self._rows = self._s.recurring_plans.plans(self._a, include_inactive=True)
        self.table.setRowCount(len(self._rows))
        for row, plan in enumerate(self._rows):
            cells = (plan.name, f"هر {format_number(plan.months)} ماه", "فعال" if plan.is_active else "غیرفعال")
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if not plan.is_active:
                    item.setForeground(Qt.GlobalColor.gray)
                self.table.setItem(row, column, item)

    def _selected(self):
        row = self.table.currentRow()
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def edit(self, new: bool = False) -> None:
        plan = None if new else self._selected()
        if (new or plan is not None) and PlanDialog(self._s, self._a, plan, self).exec():
            self.refresh()

    def toggle(self) -> None:
        plan = self._selected()
        if plan is None:
            return
        plans, actor = self._s.recurring_plans, self._a
        write = op(self, lambda: plans.save_plan(actor, plan.name, plan.months, plan.id, not plan.is_active))
        write.validation(lambda errors: show_error(self, "\n".join(errors.values()))).run()
        if write.succeeded:
            self.refresh()

"""Saved reports «علاقه‌مندی‌ها»: the report, its filters, the pivot's fields and the chart, kept as the
user's own favourites (app/services/core/saved_searches.py, list «reports»). Private to their owner."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QInputDialog, QPushButton, QWidget

from app.ui.common.combo import select
from app.ui.errors import show_error
from app.ui.ops import op

if TYPE_CHECKING:
    from app.services.core.saved_searches import SavedSearchRow
    from app.ui.reports.reports_panel import ReportsPanel

ENTITY = "reports"
PIVOT_FIELDS = ("rows", "sub_rows", "columns", "measure")


def state_of(panel: ReportsPanel) -> dict:
    bar = panel.pivot_bar
    return {
        "report": panel.chooser.currentData(),
        "filters": panel.filters.state(),
        "pivot": {name: getattr(bar, name).currentData() for name in PIVOT_FIELDS},
        "chart": panel.chart_kind.currentData(),
    }


def apply_state(panel: ReportsPanel, state: dict) -> None:
    """Shows a favourite and computes it once."""
    bar = panel.pivot_bar
    widgets = (panel.chooser, panel.chart_kind, *(getattr(bar, name) for name in PIVOT_FIELDS))
    blocked = [w.blockSignals(True) for w in widgets]
    select(panel.chooser, state.get("report"))
    for name in PIVOT_FIELDS:
        select(getattr(bar, name), state.get("pivot", {}).get(name))
    select(panel.chart_kind, state.get("chart"))
    for widget, was_blocked in zip(widgets, blocked, strict=True):
        widget.blockSignals(was_blocked)
    panel.filters.set_state(state.get("filters", {}))
    panel.chosen()


class FavouritesBar(QWidget):
    def __init__(self, panel: ReportsPanel) -> None:
        super().__init__(panel)
        self.panel = panel
        self.saved = QComboBox()
        self.saved.setPlaceholderText("علاقه‌مندی‌ها")
        self.saved.setMinimumWidth(160)
        self.saved.activated.connect(lambda index: self._apply(index))
        save = QPushButton("ذخیره در علاقه‌مندی‌ها…")
        save.clicked.connect(lambda: self._ask_name())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.saved)
        layout.addWidget(save)

    def load(self) -> None:
        service, actor = self.panel.services.saved_searches, self.panel.actor
        op(self, lambda: service.list(actor, ENTITY)).success(self._fill).run_in_background()

    def _fill(self, rows: list[SavedSearchRow]) -> None:
        self.saved.clear()
        for row in rows:
            self.saved.addItem(row.name, row.definition)
        self.saved.setCurrentIndex(-1)

    def _apply(self, index: int) -> None:
        if index >= 0:
            apply_state(self.panel, self.saved.itemData(index))

    def _ask_name(self) -> None:
        name, ok = QInputDialog.getText(self, "ذخیره گزارش", "نام علاقه‌مندی:")
        if ok:
            self.save_as(name)

    def save_as(self, name: str) -> bool:
        if self.panel.grid is None:
            show_error(self, "هنوز گزارشی محاسبه نشده است.")
            return False
        service, actor, state = self.panel.services.saved_searches, self.panel.actor, state_of(self.panel)
        saved = op(self, lambda: service.save(actor, name, state, ENTITY)).run()
        if saved is not None:
            self.load()
        return saved is not None

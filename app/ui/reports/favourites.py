"""Saved reports «علاقه‌مندی‌ها»: the report, its filters, the pivot's fields and the chart, kept as the
user's favourites (app/services/core/saved_searches.py, list «reports»): private, or shared with the
user's team, whose members see it marked and read-only; only its owner replaces or removes it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)

from app.ui.common.combo import select
from app.ui.errors import show_error
from app.ui.ops import op

if TYPE_CHECKING:
    from app.services.core.saved_searches import SavedSearchRow
    from app.ui.reports.reports_panel import ReportsPanel

ENTITY = "reports"
PIVOT_FIELDS = ("rows", "sub_rows", "third_rows", "columns", "measure")  # after the source, which refills them
SHARE = "اشتراک با تیم"


def shown_name(row: SavedSearchRow) -> str:
    """The name in the list, marked when shared: by the user, or by a teammate (read-only)."""
    if not row.mine:
        return f"{row.name} — از {row.owner_name} (فقط خواندنی)"
    return f"{row.name} (مشترک با تیم)" if row.shared else row.name


class SaveDialog(QDialog):
    """The favourite's name and whether the team shares it."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle("ذخیره گزارش")
        self.name = QLineEdit()
        self.shared = QCheckBox(SHARE)
        self.shared.setToolTip("هم‌تیمی‌ها آن را می‌بینند ولی نمی‌توانند تغییرش دهند")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("ذخیره")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("انصراف")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QFormLayout(self)
        layout.addRow("نام علاقه‌مندی:", self.name)
        layout.addRow(self.shared)
        layout.addRow(buttons)


def state_of(panel: ReportsPanel) -> dict:
    bar = panel.pivot_bar
    return {
        "report": panel.chooser.currentData(),
        "filters": panel.filters.state(),
        "pivot": {"source": bar.source.currentData()}
        | {name: getattr(bar, name).currentData() for name in PIVOT_FIELDS},
        "chart": panel.chart_kind.currentData(),
    }


def apply_state(panel: ReportsPanel, state: dict) -> None:
    """Shows a favourite and computes it once."""
    bar = panel.pivot_bar
    widgets = (panel.chooser, panel.chart_kind, *(getattr(bar, name) for name in PIVOT_FIELDS))
    blocked = [w.blockSignals(True) for w in widgets]
    select(panel.chooser, state.get("report"))
    bar.show_source(state.get("pivot", {}).get("source"))
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
        self.rows: list[SavedSearchRow] = []
        self.dialog: SaveDialog | None = None  # the one asking for a name, while open
        self.save_button = QPushButton("ذخیره در علاقه‌مندی‌ها…")
        self.save_button.clicked.connect(lambda: self._ask_name())
        self.delete_button = QPushButton("حذف")
        self.delete_button.setToolTip("حذف علاقه‌مندی انتخاب‌شده (فقط علاقه‌مندی‌های خودتان)")
        self.delete_button.clicked.connect(lambda: self.delete_current())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.saved)
        layout.addWidget(self.save_button)
        layout.addWidget(self.delete_button)

    def load(self) -> None:
        service, actor = self.panel.services.saved_searches, self.panel.actor
        op(self, lambda: service.list(actor, ENTITY)).success(self._fill).run_in_background()

    def _fill(self, rows: list[SavedSearchRow]) -> None:
        self.rows = rows
        self.saved.clear()
        for row in rows:
            self.saved.addItem(shown_name(row), row.definition)
        self.saved.setCurrentIndex(-1)

    def _apply(self, index: int) -> None:
        if index >= 0:
            apply_state(self.panel, self.saved.itemData(index))

    def _ask_name(self) -> None:
        self.dialog = SaveDialog(self)
        self.dialog.accepted.connect(lambda: self.save_as(self.dialog.name.text(), self.dialog.shared.isChecked()))
        self.dialog.open()

    def save_as(self, name: str, shared: bool = False) -> bool:
        if self.panel.grid is None:
            show_error(self, "هنوز گزارشی محاسبه نشده است.")
            return False
        service, actor, state = self.panel.services.saved_searches, self.panel.actor, state_of(self.panel)
        saved = op(self, lambda: service.save(actor, name, state, ENTITY, shared)).run()
        if saved is not None:
            self.load()
        return saved is not None

    def delete_current(self) -> bool:
        """Removes the chosen favourite; a teammate's shared one is refused (the service says why)."""
        index = self.saved.currentIndex()
        if index < 0:
            show_error(self, "ابتدا یک علاقه‌مندی را انتخاب کنید.")
            return False
        service, actor, row = self.panel.services.saved_searches, self.panel.actor, self.rows[index]
        done = op(self, lambda: service.delete(actor, row.id) or True).run()
        if done:
            self.load()
        return bool(done)

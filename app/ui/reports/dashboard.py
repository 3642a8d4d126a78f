"""The manager's dashboard «داشبورد»: headline figures and a small chart and table per report, under the
reports' filters, in a tab of the main window (opened from the «گزارش‌ها» dock).

Everything is computed in one background operation (dashboard_data.compute); a result that arrives after
the filters changed again is dropped. A write to what the reports count computes it again (once for a burst
of changes, and only when the tab is shown). A click on a figure, a bar, a point, a slice or a double-click on
a table row lists the records behind it. The cards flow in as many columns as the tab's width allows.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.services.core.actor import Actor
from app.services.core.registry import Services
from app.services.reports.service import ReportService
from app.ui.common.record_form import RecordForm, register_form
from app.ui.errors import show_error
from app.ui.events import RefreshWhenShown, change_bus
from app.ui.ops import op
from app.ui.reports import DASHBOARD, DASHBOARD_TITLE
from app.ui.reports.chart import ChartView, chart_data
from app.ui.reports.dashboard_data import CARDS, Card, DashboardData, Figure, compute
from app.ui.reports.drill_dialog import DrillDialog
from app.ui.reports.filters import FilterBar
from app.ui.reports.table import fill_table, open_drill

FIGURES = 6  # dashboard_data.compute's headline figures
# The tables the reports read: a change in one of them changes the figures.
COUNTED = frozenset({"opportunities", "opportunity_lines", "identities", "activities", "invoices",
                     "sales_returns", "sales_teams", "users"})  # fmt: skip
CARD_WIDTH = 460  # a card's least width: the tab holds as many columns of them as fit


class CardBox(QGroupBox):
    """One report: its chart above, its figures below."""

    def __init__(self, card: Card, parent: QWidget | None = None) -> None:
        super().__init__(card.title, parent)
        self.card = card
        self.chart = ChartView()
        self.chart.kind = card.chart
        self.chart.setMinimumWidth(CARD_WIDTH - 20)
        self.chart.setCursor(Qt.CursorShape.PointingHandCursor)
        self.chart.setToolTip("برای دیدن رکوردها روی ستون، نقطه یا برش کلیک کنید")
        self.table = QTableWidget()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setMinimumHeight(120)
        self.table.setMaximumHeight(170)
        layout = QVBoxLayout(self)
        layout.addWidget(self.chart)
        layout.addWidget(self.table)


class DashboardForm(RefreshWhenShown, RecordForm):
    def __init__(self, services: Services, actor: Actor, _key=None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.actor = services, actor
        self.service = ReportService(services.db)
        self.data: DashboardData | None = None
        self.drill_dialog: DrillDialog | None = None  # the last one opened
        self._generation = 0
        self._tasks: list = []
        self._columns = 0
        self.filters = FilterBar(two_rows=True)
        self.status = QLabel("در حال محاسبه…")
        buttons = QHBoxLayout()
        for text, slot in (
            ("بازخوانی", self.refresh),
            ("ذخیره تصویر یا PDF…", self._ask_save),
            ("چاپ…", self._print),
            ("خروجی اکسل…", self._ask_export),
        ):
            button = QPushButton(text)
            button.clicked.connect(lambda _checked=False, slot=slot: slot())
            buttons.addWidget(button)
        buttons.addWidget(self.status, 1)
        self.figure_buttons: list[QToolButton] = []
        figures = QGridLayout()  # three a row: the tab may be narrow between the docks
        for index in range(FIGURES):
            tile = QToolButton()
            tile.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            tile.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            tile.clicked.connect(lambda _checked=False, index=index: self.open_figure(index))
            figures.addWidget(tile, index // 3, index % 3)
            self.figure_buttons.append(tile)
        self.cards = {card.key: CardBox(card) for card in CARDS}
        for key, box in self.cards.items():
            box.chart.sig_picked.connect(lambda row, series, key=key: self.open_point(key, row, series))
            box.table.cellDoubleClicked.connect(lambda row, column, key=key: self.open_cell(key, row, column))
        self.card_grid = QGridLayout()
        layout = QVBoxLayout(self)
        layout.addWidget(self.filters)
        layout.addLayout(buttons)
        layout.addLayout(figures)
        layout.addLayout(self.card_grid)
        layout.addStretch(1)
        self._flow(1)
        self.filters.sig_changed.connect(self.refresh)
        self._again = QTimer(self, singleShot=True, interval=500)  # a burst of writes: one computation
        self._again.timeout.connect(lambda: self.refresh_or_defer(self.refresh))
        change_bus().sig_changes.connect(self._changed)
        self._run(lambda: self.service.choices(self.actor), self._choices)

    def title(self) -> str:
        return DASHBOARD_TITLE

    # --- computing ------------------------------------------------------------------------------
    def _run(self, fn, done) -> None:
        task = op(self, fn).success(done).run_in_background()
        self._tasks.append(task)
        task.sig_finished.connect(lambda _payload: self._tasks.remove(task))
        task.sig_failed.connect(lambda _exc: self._tasks.remove(task))

    @property
    def busy(self) -> bool:
        return bool(self._tasks)

    def _choices(self, choices) -> None:
        self.filters.set_choices(choices)
        self.refresh()

    def refresh(self) -> None:
        self._generation += 1
        generation, f = self._generation, self.filters.value()
        self.status.setText("در حال محاسبه…")
        self._run(lambda: compute(self.service, self.actor, f), lambda data: self._computed(generation, data))

    def _changed(self, changes) -> None:
        if changes.tables & COUNTED:
            self._again.start()

    def _computed(self, generation: int, data: DashboardData) -> None:
        if generation != self._generation:
            return  # the filters changed meanwhile: a newer result is on its way
        self.data = data
        self.status.setText("")
        for tile, figure in zip(self.figure_buttons, data.figures, strict=True):
            tile.setText(f"{figure.label}\n{figure.text}")
            tile.setToolTip("برای دیدن رکوردها کلیک کنید" if figure.drill else "")
        for key, box in self.cards.items():
            grid = data.grids[key]
            fill_table(box.table, grid)
            box.chart.set_chart(chart_data(grid, list(box.card.columns)), box.card.chart)

    # --- drill-down -----------------------------------------------------------------------------
    def _opened(self, dialog: DrillDialog | None) -> DrillDialog | None:
        if dialog is not None:
            dialog.sig_open_record.connect(self.sig_open_record)
            self.drill_dialog = dialog
        return dialog

    def open_cell(self, key: str, row: int, column: int) -> DrillDialog | None:
        if self.data is None:
            return None
        return self._opened(open_drill(self, self.service, self.actor, self.data.grids[key], row, column))

    def open_point(self, key: str, row: int, series: int) -> DrillDialog | None:
        """A bar, point or slice: the chart's category is the grid's row (the total row is no category)."""
        return self.open_cell(key, row, self.cards[key].chart.data.columns[series])

    def open_figure(self, index: int) -> DrillDialog | None:
        if self.data is None or self.data.figures[index].drill is None:
            return None
        figure: Figure = self.data.figures[index]
        dialog = DrillDialog(self.service, self.actor, figure.drill, figure.label, self)
        dialog.show()
        return self._opened(dialog)

    # --- layout and output ----------------------------------------------------------------------
    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._flow(max(1, event.size().width() // (CARD_WIDTH + 20)))

    def _flow(self, columns: int) -> None:
        if columns == self._columns:
            return
        self._columns = columns
        for index, box in enumerate(self.cards.values()):
            self.card_grid.removeWidget(box)
            self.card_grid.addWidget(box, index // columns, index % columns)

    # The output module is imported when used: it pulls in openpyxl, which no start needs.
    def _print(self) -> None:
        from app.ui.reports.dashboard_output import print_dashboard

        print_dashboard(self)

    def _ask_save(self) -> None:
        from app.ui.reports.dashboard_output import save_dashboard

        path, _ = QFileDialog.getSaveFileName(
            self, "ذخیره داشبورد", str(Path.home() / "داشبورد.pdf"), "PDF (*.pdf);;PNG (*.png)"
        )
        if path and not save_dashboard(self, Path(path)):
            show_error(self, "داشبورد ذخیره نشد؛ مسیر یا دسترسی را بررسی کنید.")

    def _ask_export(self) -> None:
        if self.data is None:
            show_error(self, "داشبورد هنوز محاسبه نشده است.")
            return
        path, _ = QFileDialog.getSaveFileName(self, "خروجی اکسل", str(Path.home() / "داشبورد.xlsx"), "Excel (*.xlsx)")
        if path:
            from app.ui.reports.dashboard_output import write_dashboard_xlsx

            try:
                write_dashboard_xlsx(self, Path(path).with_suffix(".xlsx"))
            except OSError:
                show_error(self, "فایل ذخیره نشد؛ مسیر یا دسترسی را بررسی کنید.")


register_form(DASHBOARD[0], DashboardForm)

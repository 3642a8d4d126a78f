"""The «گزارش‌ها» dock: a report (or the pivot) chosen above, the filter bar, the figures as a table.

Figures are computed off the GUI thread (an operation in the background); a result that arrives after
the filters changed again is dropped. Double-click on a figure lists the records behind it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.core.actor import Actor
from app.services.core.registry import Services
from app.services.reports.periods import ReportFilter
from app.services.reports.pivot import DIMENSIONS, MEASURES, SOURCES, Pivot, PivotService
from app.services.reports.service import REPORTS, ReportService
from app.ui.common.combo import select
from app.ui.errors import show_error
from app.ui.ops import op
from app.ui.reports import DASHBOARD
from app.ui.reports.chart import KINDS, ChartView, chart_data
from app.ui.reports.drill_dialog import DrillDialog
from app.ui.reports.favourites import FavouritesBar
from app.ui.reports.filters import FilterBar
from app.ui.reports.grid import Grid, from_pivot, from_report
from app.ui.reports.paper import ask_printer, render_chart
from app.ui.reports.table import fill_table, open_drill

PIVOT = "pivot"
NONE = "—"
DEFAULT_COLUMNS = {"opportunities": "status", "activities": "activity_state", "documents": "rep"}


class PivotBar(QWidget):
    """The pivot's source (opportunities, activities, documents), up to three row dimensions, its column
    dimension and its measure; the dimensions and measures offered are the source's."""

    sig_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.source = QComboBox()
        for key, spec in SOURCES.items():
            self.source.addItem(spec.label, key)
        self.rows, self.sub_rows, self.third_rows, self.columns, self.measure = (QComboBox() for _ in range(5))
        for combo in (self.rows, self.sub_rows, self.third_rows, self.columns, self.measure):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)  # refilled per source
        self._fill()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        labelled = (
            ("منبع:", self.source),
            ("سطر:", self.rows),
            ("زیرسطر:", self.sub_rows),
            ("سطح سوم:", self.third_rows),
            ("ستون:", self.columns),
            ("سنجه:", self.measure),
        )
        for label, combo in labelled:
            layout.addWidget(QLabel(label))
            layout.addWidget(combo)
            if combo is not self.source:
                combo.currentIndexChanged.connect(lambda _index: self.sig_changed.emit())
        self.source.currentIndexChanged.connect(lambda _index: self._source_changed())
        layout.addStretch(1)

    def _fill(self) -> None:
        """The chosen source's dimensions and measures, with its usual rows and columns preselected."""
        source = self.source.currentData()
        spec = SOURCES[source]
        combos = (self.rows, self.sub_rows, self.third_rows, self.columns, self.measure)
        blocked = [combo.blockSignals(True) for combo in combos]
        for combo in combos:
            combo.clear()
        for combo in combos[:4]:
            if combo is not self.rows:
                combo.addItem(NONE, None)
            for key in spec.dimensions:
                combo.addItem(DIMENSIONS[key], key)
        for key in spec.measures:
            self.measure.addItem(MEASURES[key][0], key)
        select(self.rows, "rep" if source != "documents" else "document_kind")
        select(self.columns, DEFAULT_COLUMNS[source])
        for combo, was_blocked in zip(combos, blocked, strict=True):
            combo.blockSignals(was_blocked)

    def _source_changed(self) -> None:
        self._fill()
        self.sig_changed.emit()

    def show_source(self, source: str | None) -> None:
        """Chooses a source (a favourite's) and refills the other combos for it, announcing nothing."""
        was_blocked = self.source.blockSignals(True)
        select(self.source, source or "opportunities")
        self.source.blockSignals(was_blocked)
        self._fill()

    def value(self) -> tuple[list[str], list[str], str, str]:
        """(rows, columns, measure, source); a dimension chosen twice counts once, as a row."""
        levels = (self.rows, self.sub_rows, self.third_rows)
        rows = list(dict.fromkeys(d for d in (combo.currentData() for combo in levels) if d))
        columns = [d for d in (self.columns.currentData(),) if d and d not in rows]
        return rows, columns, self.measure.currentData(), self.source.currentData()


class ReportsPanel(QWidget):
    sig_open_record = Signal(str, object)  # kind, id

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.actor = services, actor
        self.service, self.pivots = ReportService(services.db), PivotService(services.db)
        self.grid: Grid | None = None
        self.drill_dialog: DrillDialog | None = None  # the last one opened
        self._pivot: tuple[Pivot, ReportFilter] | None = None  # the pivot shown, to expand and collapse
        self.collapsed: set[tuple] = set()
        self._generation = 0
        self._started = False
        self._tasks: list = []  # the running operations, kept until they end
        self.chooser = QComboBox()
        for key, title in REPORTS.items():
            self.chooser.addItem(title, key)
        self.chooser.addItem("جدول محوری", PIVOT)
        self.filters = FilterBar()
        self.pivot_bar = PivotBar()
        self.pivot_bar.hide()
        self.status = QLabel()
        export = QPushButton("خروجی اکسل…")
        export.clicked.connect(lambda: self._ask_export())
        dashboard = QPushButton("داشبورد")
        dashboard.setToolTip("داشبورد مدیر فروش در یک زبانه")
        dashboard.clicked.connect(lambda: self.sig_open_record.emit(*DASHBOARD))
        self.table = QTableWidget()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.cellDoubleClicked.connect(lambda row, column: self.open_cell(row, column))
        self.chart_kind = QComboBox()
        self.chart_kind.addItem("بدون نمودار", None)
        for key, label in KINDS.items():
            self.chart_kind.addItem(label, key)
        self.chart_kind.currentIndexChanged.connect(lambda _index: self._draw())
        self.chart = ChartView()
        self.chart.hide()
        save_chart = QPushButton("ذخیره نمودار…")
        save_chart.clicked.connect(lambda: self._ask_save_chart())
        print_chart = QPushButton("چاپ نمودار…")
        print_chart.clicked.connect(lambda: self._print_chart())
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.chart)
        top = QHBoxLayout()
        top.addWidget(dashboard)  # first: the dock is narrow, the rest of the row may scroll out of sight
        top.addWidget(QLabel("گزارش:"))
        top.addWidget(self.chooser, 1)
        top.addWidget(QLabel("نمودار:"))
        top.addWidget(self.chart_kind)
        top.addWidget(save_chart)
        top.addWidget(print_chart)
        top.addWidget(export)
        self.favourites = FavouritesBar(self)
        favourites = QHBoxLayout()
        favourites.addWidget(self.favourites)
        favourites.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(favourites)
        layout.addWidget(self.filters)
        layout.addWidget(self.pivot_bar)
        layout.addWidget(self.status)
        layout.addWidget(splitter, 1)
        self.chooser.currentIndexChanged.connect(lambda _index: self.chosen())
        self.filters.sig_changed.connect(lambda: self.refresh())
        self.pivot_bar.sig_changed.connect(lambda: self.refresh())

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        if not self._started:  # nothing is computed until the dock is first seen
            self._started = True
            self._run(lambda: self.service.choices(self.actor), self._choices)
            self.favourites.load()

    def _run(self, fn, done) -> None:
        task = op(self, fn).success(done).run_in_background()
        self._tasks.append(task)
        task.sig_finished.connect(lambda _payload: self._tasks.remove(task))
        task.sig_failed.connect(lambda _exc: self._tasks.remove(task))

    def _choices(self, choices) -> None:
        self.filters.set_choices(choices)
        self.refresh()

    def chosen(self) -> None:
        self.pivot_bar.setVisible(self.chooser.currentData() == PIVOT)
        self.refresh()

    def refresh(self) -> None:
        if not self._started:  # F5 on a dock never shown: it computes when first seen, not before
            return
        self._generation += 1
        generation, key, f = self._generation, self.chooser.currentData(), self.filters.value()
        if key == PIVOT:
            rows, columns, measure, source = self.pivot_bar.value()

            def compute() -> tuple[Pivot, ReportFilter]:
                return self.pivots.pivot(self.actor, f, rows, columns, measure, source), f
        else:

            def compute() -> Grid:
                return from_report(self.service.report(self.actor, key, f))

        self.status.setText("در حال محاسبه…")
        self._run(compute, lambda result: self._computed(generation, result))

    def _computed(self, generation: int, result) -> None:
        if generation != self._generation:
            return  # the filters changed meanwhile: a newer result is on its way
        if isinstance(result, Grid):
            self._pivot = None
            self._show(result)
        else:
            self._pivot, self.collapsed = result, set()
            self._show(from_pivot(*result))

    @property
    def busy(self) -> bool:
        return bool(self._tasks)

    def _show(self, grid: Grid) -> None:
        self.grid = grid
        self.status.setText(grid.title)
        fill_table(self.table, grid)
        self._draw()

    def _draw(self) -> None:
        kind = self.chart_kind.currentData()
        self.chart.setVisible(kind is not None)
        if kind is not None and self.grid is not None:
            self.chart.set_chart(chart_data(self.grid), kind)

    def _ask_save_chart(self) -> None:
        if self.grid is None or self.chart_kind.currentData() is None:
            show_error(self, "ابتدا نوع نمودار را انتخاب کنید.")
            return
        path, _ = QFileDialog.getSaveFileName(
            self, "ذخیره نمودار", str(Path.home() / "نمودار.png"), "PNG (*.png);;PDF (*.pdf)"
        )
        if path and not self.chart.save(Path(path), self.grid.title):
            show_error(self, "نمودار ذخیره نشد؛ مسیر یا دسترسی را بررسی کنید.")

    def _print_chart(self) -> None:
        if self.grid is None or self.chart_kind.currentData() is None:
            show_error(self, "ابتدا نوع نمودار را انتخاب کنید.")
            return
        printer = ask_printer(self, self.grid.title)
        if printer is not None and not render_chart(self.chart, self.grid.title, printer):
            show_error(self, "چاپ انجام نشد. چاپگر را بررسی کنید و دوباره امتحان کنید.")

    def open_cell(self, row: int, column: int) -> DrillDialog | None:
        """Lists the records behind a figure (None for a cell without any); on a pivot group's name,
        expands or collapses the group."""
        if self.grid is None:
            return None
        cell = self.grid.rows[row][column]
        if cell.group is not None and self._pivot is not None:  # a pivot group: expand or collapse it
            self.collapsed ^= {cell.group}
            self._show(from_pivot(*self._pivot, frozenset(self.collapsed)))
            return None
        dialog = open_drill(self, self.service, self.actor, self.grid, row, column)
        if dialog is not None:
            dialog.sig_open_record.connect(self.sig_open_record)
            self.drill_dialog = dialog
        return dialog

    def _ask_export(self) -> None:
        if self.grid is None:
            show_error(self, "هنوز گزارشی محاسبه نشده است.")
            return
        path, _ = QFileDialog.getSaveFileName(self, "خروجی اکسل", str(Path.home() / "گزارش.xlsx"), "Excel (*.xlsx)")
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> bool:
        from app.ui.reports.export import write_xlsx  # openpyxl, imported only for an export

        if path.suffix.lower() != ".xlsx":
            path = path.with_suffix(".xlsx")
        try:
            kind = self.chart_kind.currentData()  # the chart shown goes with its figures
            write_xlsx(self.grid, path, None if kind is None else (self.chart.data, kind))
        except OSError:
            show_error(self, "فایل ذخیره نشد؛ مسیر یا دسترسی را بررسی کنید.")
            return False
        return True

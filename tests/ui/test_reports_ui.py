"""The «گزارش‌ها» dock with real widgets over the hand-made world of tests/services/test_reports.py."""

from __future__ import annotations

import datetime as dt
import subprocess
import unicodedata

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from app.services.reports.periods import PeriodKind
from app.ui.common.combo import select
from app.ui.main_window import MainWindow
from app.ui.qt_setup import configure_application
from app.ui.reports.reports_panel import PIVOT, ReportsPanel
from tests.services.test_reports import world  # noqa: F401  (the fixture)


@pytest.fixture
def panel(qtbot, world):  # noqa: F811
    configure_application(QApplication.instance())
    widget = ReportsPanel(world.services, world.admin)
    qtbot.addWidget(widget)
    widget.show()
    settle(qtbot, widget)
    return widget


def settle(qtbot, panel: ReportsPanel) -> None:
    qtbot.waitUntil(lambda: not panel.busy and panel.grid is not None, timeout=10_000)


def texts(panel: ReportsPanel, row: int) -> list[str]:
    return [panel.table.item(row, c).text() for c in range(panel.table.columnCount())]


def row_of(panel: ReportsPanel, label: str) -> int:
    return next(r for r in range(panel.table.rowCount()) if panel.table.item(r, 0).text() == label)


def choose(qtbot, panel: ReportsPanel, key: str) -> None:
    select(panel.chooser, key)
    assert panel.busy  # computed off the GUI thread: the call returned before the figures came
    settle(qtbot, panel)


def test_figures_in_persian_digits_computed_in_the_background(qtbot, panel, world) -> None:  # noqa: F811
    assert panel.grid.title == "کاریز بر اساس مرحله"
    assert texts(panel, row_of(panel, "جمع"))[1:3] == ["۲", "۷۰٬۰۰۰٬۰۰۰"]
    choose(qtbot, panel, "performance_rep")
    assert texts(panel, row_of(panel, "rep one")) == ["rep one", "۱", "۱", "۵۰٫۰٪", "۱۲۰٬۰۰۰٬۰۰۰", "۰"]
    select(panel.filters.rep, world.mate.user_id)
    settle(qtbot, panel)
    assert [panel.table.item(r, 0).text() for r in range(panel.table.rowCount())] == ["rep two", "جمع"]


def test_double_click_lists_the_records_and_opens_one(qtbot, panel, world) -> None:  # noqa: F811
    choose(qtbot, panel, "performance_rep")
    opened = []
    panel.sig_open_record.connect(lambda kind, record_id: opened.append(kind))
    row = row_of(panel, "جمع")
    panel.table.cellDoubleClicked.emit(row, 1)  # the won deals
    dialog = panel.drill_dialog
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 2, timeout=5_000)
    assert sorted(r.title for r in dialog.records) == ["برد آلفا", "برد گاما"]
    dialog.table.doubleClicked.emit(dialog.table.model().index(0, 1))
    assert opened == ["opportunity"]
    assert panel.open_cell(row, 0) is None  # a label has no records of its own


def test_custom_range_and_pivot(qtbot, panel) -> None:
    select(panel.filters.period, PeriodKind.CUSTOM)
    assert panel.filters.start.isEnabled()
    last_year = dt.date.today() - dt.timedelta(days=400)
    panel.filters.start.set_date_value(last_year)
    panel.filters.end.set_date_value(last_year + dt.timedelta(days=30))
    choose(qtbot, panel, "performance_rep")
    assert panel.table.rowCount() == 1  # nothing closed then: the total alone
    select(panel.filters.period, PeriodKind.THIS_MONTH)
    choose(qtbot, panel, PIVOT)
    assert panel.pivot_bar.isVisible()
    headers = [panel.table.horizontalHeaderItem(c).text() for c in range(panel.table.columnCount())]
    assert headers == ["فروشنده", "باز", "برنده", "بازنده", "جمع"]
    assert texts(panel, row_of(panel, "جمع")) == ["جمع", "۲", "۲", "۱", "۵"]


def test_export_to_xlsx(qtbot, panel, tmp_path) -> None:
    choose(qtbot, panel, "funnel")
    assert panel.export_to(tmp_path / "قیف")
    sheet = load_workbook(tmp_path / "قیف.xlsx").active
    assert sheet.sheet_view.rightToLeft
    assert [c.value for c in sheet[2]] == ["مرحله", "تعداد", "تبدیل از مرحله قبل", "تبدیل از ابتدا"]
    assert [c.value for c in sheet[6]] == ["برنده", 2, 50.0, 40.0]
    assert sheet._charts == []  # no chart shown, none exported


def test_a_shown_chart_is_exported_with_its_figures(qtbot, panel, tmp_path) -> None:
    choose(qtbot, panel, "performance_rep")
    select(panel.chart_kind, "stacked")
    assert panel.export_to(tmp_path / "برد.xlsx")
    (chart,) = load_workbook(tmp_path / "برد.xlsx").active._charts
    assert (chart.type, chart.grouping, len(chart.series)) == ("col", "stacked", 2)  # won and lost, per rep
    assert chart.series[0].val.numRef.f == "'گزارش'!$B$3:$B$4"  # the reps' rows, the total aside


def test_the_main_window_has_a_reports_dock(qtbot, services, admin, tmp_path) -> None:
    configure_application(QApplication.instance())
    window = MainWindow(QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.attach(services, admin)
    assert window.reports_dock.windowTitle() == "گزارش‌ها"
    assert isinstance(window.reports_panel, ReportsPanel)
    assert window.reports_dock in window.tabifiedDockWidgets(window.cardboard_dock)


def test_charts_draw_the_figures_and_save_as_png_and_pdf(qtbot, panel, tmp_path) -> None:
    choose(qtbot, panel, "performance_rep")
    select(panel.chart_kind, "stacked")
    assert panel.chart.isVisible()
    assert panel.chart.data.labels == ["rep one", "rep two"]  # the total is no category
    assert panel.chart.data.series == [("برد", [1.0, 1.0]), ("باخت", [1.0, 0.0])]
    for kind in ("bar", "stacked", "line", "pie"):
        select(panel.chart_kind, kind)
        image = panel.chart.grab().toImage()
        colours = {
            image.pixelColor(x, y).name() for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)
        }
        assert "#2f6fb0" in colours, kind  # the first series' colour was painted
    assert panel.chart.save(tmp_path / "chart.png") and (tmp_path / "chart.png").stat().st_size > 1000
    assert panel.chart.save(tmp_path / "chart.pdf")
    assert (tmp_path / "chart.pdf").read_bytes().startswith(b"%PDF")
    select(panel.chart_kind, None)
    assert not panel.chart.isVisible()


def test_a_chart_pdf_has_its_title_in_the_persian_font(qtbot, panel, tmp_path) -> None:
    choose(qtbot, panel, "performance_rep")
    select(panel.chart_kind, "bar")
    assert panel.chart.save(tmp_path / "chart.pdf", panel.grid.title)
    fonts = subprocess.run(["pdffonts", str(tmp_path / "chart.pdf")], capture_output=True, text=True).stdout
    assert "Vazirmatn" in fonts  # embedded: no boxes on a machine without the font
    text = subprocess.run(["pdftotext", str(tmp_path / "chart.pdf"), "-"], capture_output=True, text=True).stdout
    shaped = unicodedata.normalize("NFKC", text)  # pdftotext gives Arabic presentation forms
    assert "عملکرد بر اساس فروشنده" in shaped and "rep one" in shaped


def test_pivot_groups_expand_and_collapse(qtbot, panel) -> None:
    choose(qtbot, panel, PIVOT)
    select(panel.pivot_bar.rows, "team")
    settle(qtbot, panel)
    select(panel.pivot_bar.sub_rows, "rep")
    settle(qtbot, panel)
    labels = [panel.table.item(r, 0).text() for r in range(panel.table.rowCount())]
    assert labels == ["▾ تیم فروش تهران", "    rep one", "    rep two", "جمع"]
    assert texts(panel, 0)[1:] == ["۲", "۲", "۱", "۵"]  # the team's subtotals
    panel.table.cellDoubleClicked.emit(0, 0)
    assert [panel.table.item(r, 0).text() for r in range(panel.table.rowCount())] == ["◂ تیم فروش تهران", "جمع"]
    panel.table.cellDoubleClicked.emit(0, 0)
    assert panel.table.rowCount() == 4
    panel.table.cellDoubleClicked.emit(0, 4)  # the team's total lists its records
    qtbot.waitUntil(lambda: panel.drill_dialog.table.rowCount() == 5, timeout=5_000)


def test_a_favourite_brings_back_the_report_its_filters_and_chart(qtbot, panel, world) -> None:  # noqa: F811
    choose(qtbot, panel, "performance_rep")
    select(panel.filters.rep, world.mate.user_id)
    settle(qtbot, panel)
    select(panel.chart_kind, "pie")
    assert panel.favourites.save_as("برد رپ دو")
    qtbot.waitUntil(lambda: panel.favourites.saved.count() == 1, timeout=5_000)
    saved = world.services.saved_searches.list(world.admin, "reports")
    assert [s.name for s in saved] == ["برد رپ دو"] and saved[0].definition["filters"]["period"] == "this_month"
    choose(qtbot, panel, "funnel")
    select(panel.filters.rep, None)
    select(panel.chart_kind, None)
    settle(qtbot, panel)
    panel.favourites.saved.activated.emit(0)
    settle(qtbot, panel)
    assert panel.chooser.currentData() == "performance_rep" and panel.chart_kind.currentData() == "pie"
    assert panel.filters.rep.currentData() == world.mate.user_id
    assert [panel.table.item(r, 0).text() for r in range(panel.table.rowCount())] == ["rep two", "جمع"]

"""The manager's dashboard over the hand-made world of tests/services/test_reports.py: the figures are the
service's, bars and rows list their records, the computation runs in a worker, output to PNG/PDF/XLSX."""

from __future__ import annotations

import subprocess
import threading

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QPushButton

from app.services.core.changes import Changes, Op
from app.services.reports.data import MONEY
from app.services.reports.periods import PeriodKind, ReportFilter
from app.services.reports.service import ReportService
from app.ui import events
from app.ui.common.combo import select
from app.ui.main_window import MainWindow
from app.ui.qt_setup import configure_application
from app.ui.reports import dashboard as dashboard_module
from app.ui.reports.dashboard import DashboardForm
from app.ui.reports.dashboard_output import save_dashboard, write_dashboard_xlsx
from app.ui.reports.grid import from_report, shown
from app.ui.reports.reports_panel import ReportsPanel
from tests.services.test_reports import world  # noqa: F401  (the fixture)


@pytest.fixture
def dashboard(qtbot, world):  # noqa: F811
    configure_application(QApplication.instance())
    form = DashboardForm(world.services, world.admin)
    qtbot.addWidget(form)
    form.resize(1000, 1400)
    form.show()
    settle(qtbot, form)
    return form


def settle(qtbot, form: DashboardForm) -> None:
    qtbot.waitUntil(lambda: not form.busy and form.data is not None, timeout=10_000)


def table_texts(form: DashboardForm, key: str) -> list[list[str]]:
    table = form.cards[key].table
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def click_chart(qtbot, form: DashboardForm, key: str, category: int, series: int) -> None:
    chart = form.cards[key].chart
    shape = next(shape for shape, c, s in chart.hits if (c, s) == (category, series))
    qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=shape.boundingRect().center().toPoint())


def test_the_figures_shown_are_the_services(dashboard, world) -> None:  # noqa: F811
    service, f = ReportService(world.services.db), ReportFilter.of(PeriodKind.THIS_MONTH)
    for key, box in dashboard.cards.items():
        grid = from_report(service.report(world.admin, key, f))
        assert table_texts(dashboard, key) == [[cell.text for cell in row] for row in grid.rows], key
        assert box.chart.data.labels == [row[0].text for row in grid.rows if row[0].text != "جمع"], key
    tiles = [tile.text().split("\n") for tile in dashboard.figure_buttons]
    assert tiles == [
        ["کاریز باز (ریال)", "۷۰٬۰۰۰٬۰۰۰"],
        ["کاریز وزنی (ریال)", shown(MONEY, service.pipeline(world.admin, f).total.values[2])],
        ["نرخ برد", "۶۶٫۷٪"],
        ["میانگین مبلغ برد (ریال)", "۱۰۰٬۰۰۰٬۰۰۰"],
        ["میانگین روز تا بستن", "۰"],
        ["تبدیل سرنخ به برد", "۴۰٫۰٪"],
    ]
    assert dashboard.cards["pipeline"].chart.data.series[0] == ("مبلغ (ریال)", [30_000_000.0, 40_000_000.0])
    assert dashboard.cards["targets"].chart.data.series[1][1] == [8_000_000.0]  # net of the return


def test_an_own_documents_rep_sees_only_their_figures(qtbot, world) -> None:  # noqa: F811
    form = DashboardForm(world.services, world.rep)
    qtbot.addWidget(form)
    form.show()
    settle(qtbot, form)
    assert table_texts(form, "pipeline")[-1][:3] == ["جمع", "۱", "۳۰٬۰۰۰٬۰۰۰"]  # beta; not the mate's delta
    assert [row[0] for row in table_texts(form, "performance_rep")] == ["rep one", "جمع"]


def test_bars_rows_and_figures_list_their_records(qtbot, dashboard, world) -> None:  # noqa: F811
    opened = []
    dashboard.sig_open_record.connect(lambda kind, record_id: opened.append((kind, record_id)))
    click_chart(qtbot, dashboard, "performance_rep", 0, 0)  # rep one's won bar
    qtbot.waitUntil(lambda: dashboard.drill_dialog.table.rowCount() == 1, timeout=5_000)
    assert dashboard.drill_dialog.records[0].title == "برد آلفا"
    click_chart(qtbot, dashboard, "funnel", 0, 0)  # the leads: five identities
    qtbot.waitUntil(lambda: dashboard.drill_dialog.table.rowCount() == 5, timeout=5_000)
    click_chart(qtbot, dashboard, "activities", 0, 1)  # rep one's overdue activity
    qtbot.waitUntil(lambda: dashboard.drill_dialog.table.rowCount() == 1, timeout=5_000)
    dashboard.cards["pipeline"].table.cellDoubleClicked.emit(2, 1)  # the total's count: both open deals
    qtbot.waitUntil(lambda: dashboard.drill_dialog.table.rowCount() == 2, timeout=5_000)
    dashboard.drill_dialog.table.doubleClicked.emit(dashboard.drill_dialog.table.model().index(0, 0))
    assert opened and opened[0][0] == "opportunity"
    qtbot.mouseClick(dashboard.figure_buttons[2], Qt.MouseButton.LeftButton)  # the win rate: three closed
    qtbot.waitUntil(lambda: dashboard.drill_dialog.table.rowCount() == 3, timeout=5_000)


def test_the_computation_runs_in_a_worker_while_the_window_answers(qtbot, dashboard, monkeypatch) -> None:
    gate, threads, ticks = threading.Event(), [], []
    real = dashboard_module.compute

    def held(*args):
        threads.append(threading.current_thread() is threading.main_thread())
        gate.wait(10)
        return real(*args)

    monkeypatch.setattr(dashboard_module, "compute", held)
    select(dashboard.filters.period, PeriodKind.THIS_QUARTER)
    assert dashboard.busy
    timer = QTimer(interval=10)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    qtbot.waitUntil(lambda: len(ticks) >= 5, timeout=5_000)  # the event loop runs meanwhile
    assert dashboard.busy and threads == [False]
    gate.set()
    settle(qtbot, dashboard)
    timer.stop()
    assert dashboard.data.filter.start == ReportFilter.of(PeriodKind.THIS_QUARTER).start


def test_a_write_elsewhere_computes_it_again(qtbot, dashboard, world) -> None:  # noqa: F811
    opportunity = world.new(title="باز تازه", amount=10_000_000)
    events.publish(Changes.of("opportunities", [opportunity], Op.INSERT))
    qtbot.waitUntil(lambda: dashboard.figure_buttons[0].text().endswith("۸۰٬۰۰۰٬۰۰۰"), timeout=5_000)
    events.publish(Changes.of("recent_records", None))  # nothing the reports count
    assert not dashboard._again.isActive()


def test_saved_as_png_pdf_and_xlsx(qtbot, dashboard, tmp_path) -> None:
    assert save_dashboard(dashboard, tmp_path / "d.png") and (tmp_path / "d.png").stat().st_size > 10_000
    assert save_dashboard(dashboard, tmp_path / "d.pdf")
    fonts = subprocess.run(["pdffonts", str(tmp_path / "d.pdf")], capture_output=True, text=True).stdout
    assert "Vazirmatn" in fonts
    text = subprocess.run(["pdftotext", str(tmp_path / "d.pdf"), "-"], capture_output=True, text=True).stdout
    assert text.count("\f") == 1 + len(dashboard.cards)  # the figures' page and a page per chart
    click_chart(qtbot, dashboard, "performance_rep", 0, 0)  # painting the pages moved no click target
    qtbot.waitUntil(lambda: dashboard.drill_dialog.table.rowCount() == 1, timeout=5_000)
    write_dashboard_xlsx(dashboard, tmp_path / "d.xlsx")
    book = load_workbook(tmp_path / "d.xlsx")
    assert book.sheetnames[0] == "شاخص‌ها" and len(book.sheetnames) == 1 + len(dashboard.cards)
    assert [row for row in book["شاخص‌ها"].iter_rows(min_row=2, values_only=True)][2] == ("نرخ برد", 66.7)
    pipeline = book["کاریز بر اساس مرحله"]
    assert [c.value for c in pipeline[pipeline.max_row]][:3] == ["جمع", 2, 70_000_000]
    assert len(pipeline._charts) == 1 and book["قیف فروش و نرخ تبدیل"]._charts[0].type == "bar"  # a funnel


def test_opened_from_the_reports_dock_in_a_tab(qtbot, world, tmp_path) -> None:  # noqa: F811
    from PySide6.QtCore import QSettings

    configure_application(QApplication.instance())
    window = MainWindow(QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.attach(world.services, world.admin)
    panel: ReportsPanel = window.reports_panel
    button = next(b for b in panel.findChildren(QPushButton) if b.text() == "داشبورد")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    form = window.tabs.currentWidget()
    assert isinstance(form, DashboardForm) and window.tabs.tabText(window.tabs.currentIndex()) == "داشبورد فروش"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # again: the same tab
    assert sum(isinstance(window.tabs.widget(i), DashboardForm) for i in range(window.tabs.count())) == 1
    window.resize(1366, 768)
    window.show()
    settle(qtbot, form)
    page = form.parentWidget().parentWidget()  # the tab's scroll area
    qtbot.waitUntil(lambda: page.horizontalScrollBar().maximum() == 0, timeout=5_000)  # no sideways scrolling
    assert page.verticalScrollBar().maximum() > 0 and window.width() <= 1366

"""The pivot bar's source chooser and three row levels, with real widgets over the hand-made world of
tests/services/test_reports_pivot_sources.py."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from app.ui.common.combo import select
from app.ui.qt_setup import configure_application
from app.ui.reports.reports_panel import PIVOT, ReportsPanel
from tests.services.test_reports_pivot_sources import world  # noqa: F401  (the fixture)


@pytest.fixture
def panel(qtbot, world):  # noqa: F811
    configure_application(QApplication.instance())
    widget = ReportsPanel(world.services, world.admin)
    qtbot.addWidget(widget)
    widget.show()
    settle(qtbot, widget)
    select(widget.chooser, PIVOT)
    settle(qtbot, widget)
    return widget


def settle(qtbot, panel: ReportsPanel) -> None:
    qtbot.waitUntil(lambda: not panel.busy and panel.grid is not None, timeout=10_000)


def column(panel: ReportsPanel, index: int) -> list[str]:
    return [panel.table.item(r, index).text() for r in range(panel.table.rowCount())]


def options(combo) -> list:
    return [combo.itemData(i) for i in range(combo.count())]


def test_documents_net_sales_by_kind_and_rep(qtbot, panel) -> None:
    select(panel.pivot_bar.source, "documents")
    settle(qtbot, panel)
    assert "stage" not in options(panel.pivot_bar.rows) and "net_sum" in options(panel.pivot_bar.measure)
    assert column(panel, 0) == ["پیش‌فاکتور", "صورتحساب", "برگشت از فروش", "دریافت", "جمع"]
    assert panel.table.horizontalHeaderItem(1).text() == "rep one"
    assert column(panel, 3) == ["۱", "۳", "۱", "۱", "۶"]  # each kind's documents, both reps
    select(panel.pivot_bar.measure, "net_sum")
    settle(qtbot, panel)
    assert panel.grid.title == "جدول محوری: فروش خالص (صورتحساب منهای برگشت) (ریال)"
    assert column(panel, 3) == ["۰", "۱۷٬۰۰۰٬۰۰۰", "-۲٬۰۰۰٬۰۰۰", "۰", "۱۵٬۰۰۰٬۰۰۰"]
    panel.open_cell(4, 3)  # the grand total lists the documents it adds up
    qtbot.waitUntil(lambda: panel.drill_dialog.table.rowCount() == 3, timeout=5_000)


def test_activities_in_three_levels_collapse_and_drill_down(qtbot, panel) -> None:
    bar = panel.pivot_bar
    select(bar.source, "activities")
    settle(qtbot, panel)
    select(bar.rows, "team")
    settle(qtbot, panel)
    select(bar.sub_rows, "rep")
    settle(qtbot, panel)
    select(bar.third_rows, "activity_kind")
    settle(qtbot, panel)
    assert column(panel, 0) == [
        "▾ تیم فروش تهران", "    ▾ rep one", "        تماس", "        جلسه", "        وظیفه",
        "    ▾ rep two", "        تماس", "جمع",
    ]  # fmt: skip
    assert column(panel, panel.table.columnCount() - 1) == ["۵", "۴", "۲", "۱", "۱", "۱", "۱", "۵"]
    panel.table.cellDoubleClicked.emit(1, 0)  # collapses rep one
    assert column(panel, 0) == ["▾ تیم فروش تهران", "    ◂ rep one", "    ▾ rep two", "        تماس", "جمع"]
    panel.table.cellDoubleClicked.emit(1, panel.table.columnCount() - 1)  # rep one's total lists its activities
    qtbot.waitUntil(lambda: panel.drill_dialog.table.rowCount() == 4, timeout=5_000)
    panel.table.cellDoubleClicked.emit(0, 0)
    assert column(panel, 0) == ["◂ تیم فروش تهران", "جمع"]


def test_a_favourite_keeps_the_source_and_the_third_level(qtbot, panel) -> None:
    bar = panel.pivot_bar
    select(bar.source, "activities")
    settle(qtbot, panel)
    for combo, key in ((bar.rows, "team"), (bar.sub_rows, "rep"), (bar.third_rows, "activity_kind")):
        select(combo, key)
        settle(qtbot, panel)
    shown = column(panel, 0)
    assert panel.favourites.save_as("فعالیت‌ها در سه سطح")
    qtbot.waitUntil(lambda: panel.favourites.saved.count() == 1, timeout=5_000)
    select(bar.source, "documents")  # another source refills every combo
    settle(qtbot, panel)
    panel.favourites.saved.activated.emit(0)
    settle(qtbot, panel)
    assert (bar.source.currentData(), bar.third_rows.currentData()) == ("activities", "activity_kind")
    assert column(panel, 0) == shown

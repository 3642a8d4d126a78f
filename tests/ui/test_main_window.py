"""The main window as a user meets it: RTL, Persian docks with live rows, layout restored."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QDockWidget

from app.persian import format_long, search_key
from app.ui.app import take_screenshot
from app.ui.main_window import MainWindow
from app.ui.qt_setup import configure_application
from tests.conftest import TEST_OUTPUT
from tests.ui.persian_typing import type_text


@pytest.fixture
def ui_settings(tmp_path) -> QSettings:
    return QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, demo_services, demo_admin, ui_settings) -> MainWindow:
    configure_application(QApplication.instance())
    win = MainWindow(ui_settings)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.attach(demo_services, demo_admin)
    return win


def test_window_is_rtl_persian_with_three_docks(window) -> None:
    assert QApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert window.layoutDirection() == Qt.LayoutDirection.RightToLeft
    titles = {dock.objectName(): dock.windowTitle() for dock in window.findChildren(QDockWidget)}
    assert titles["identityDock"] == "هویت‌ها" and titles["opportunityDock"] == "فرصت‌ها"
    assert titles["cardboardDock"].startswith("کارتابل")
    menus = [action.text() for action in window.menuBar().actions()]
    assert menus == ["فایل", "ویرایش", "نما", "اسناد", "ابزار", "راهنما"]
    view_items = [action.text() for action in window.view_menu.actions()]
    assert {"هویت‌ها", "فرصت‌ها"} <= set(view_items)


def test_application_font_is_vazirmatn(window) -> None:
    assert QApplication.font().family() == "Vazirmatn"
    assert window.identity_panel.table.font().family() == "Vazirmatn"


def test_status_bar_shows_today_in_jalali_and_where_data_lives(window, demo_services) -> None:
    assert window.date_label.text() == format_long(dt.date.today())
    assert window.db_label.text() == demo_services.db.describe()
    assert window.db_label.layoutDirection() == Qt.LayoutDirection.LeftToRight


def test_docks_list_rows_from_the_database(qtbot, window, demo_services, demo_admin) -> None:
    identities = window.identity_panel
    qtbot.waitUntil(lambda: identities.model.total() == 300)  # counted in the background
    assert identities.model.rowCount() > 0
    first = identities.model.index(0, 0).data()
    assert first and first == identities.model.row_at(0).display_name
    assert identities.footer.text() == "۳۰۰ مورد"
    assert window.opportunity_panel.model.rowCount() > 0
    qtbot.waitUntil(lambda: window.cardboard_panel.topLevelItemCount() > 1)  # read in the background at start
    today = window.cardboard_panel.topLevelItem(1)
    assert today.text(0).startswith("امروز") and today.childCount() >= 4


def test_quick_search_typed_in_persian_filters_the_dock(qtbot, window) -> None:
    panel = window.identity_panel
    target = panel.model.row_at(5).display_name
    type_text(panel.search, target.replace("ی", "ي").replace("ک", "ك"))  # Arabic letters, as some keyboards send
    qtbot.waitUntil(lambda: 0 < panel.model.total() < 300, timeout=3000)
    names = [panel.model.row_at(i).display_name for i in range(panel.model.rowCount())]
    assert all(search_key(target) in search_key(n) for n in names)


def test_sorting_a_column_requeries_in_sql(qtbot, window) -> None:
    table = window.identity_panel.table
    table.sortByColumn(5, Qt.SortOrder.DescendingOrder)  # تاریخ ایجاد
    model = window.identity_panel.model
    dates = [model.row_at(i).created_at for i in range(model.rowCount())]
    assert dates == sorted(dates, reverse=True)


def test_dock_arrangement_is_restored(qtbot, demo_services, demo_admin, ui_settings, window) -> None:
    window.cardboard_dock.toggleViewAction().trigger()
    window.opportunity_dock.setFloating(True)
    assert window.cardboard_dock.isHidden()
    window.close()
    again = MainWindow(ui_settings)
    qtbot.addWidget(again)
    again.show()
    again.attach(demo_services, demo_admin)
    assert again.cardboard_dock.isHidden()
    assert again.opportunity_dock.isFloating()
    again.cardboard_dock.toggleViewAction().trigger()  # reopened from «نما»
    assert again.cardboard_dock.isVisible()


def test_screenshot_of_the_main_window(window) -> None:
    path = TEST_OUTPUT / "main_window.png"
    take_screenshot(window, path)
    assert path.stat().st_size > 10_000

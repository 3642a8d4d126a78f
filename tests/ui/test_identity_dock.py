"""The identities dock: lazy model under Qt's tester, column chooser, category tree, opening forms."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt

from app.persian import format_number, search_key
from app.services.identities.service import IdentityQuery
from app.ui.identities.identity_dock import COLUMNS, FIRST_PAGE, identity_panel
from tests.ui.persian_typing import type_text


@pytest.fixture
def settings(tmp_path) -> QSettings:
    return QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def panel(qtbot, demo_services, demo_admin, settings):
    widget = identity_panel(demo_services, demo_admin, settings)
    qtbot.addWidget(widget)
    widget.resize(700, 600)
    widget.show()
    yield widget


def test_model_passes_the_tester_with_fetch_more(qtbot, qtmodeltester, panel) -> None:
    model = panel.model
    assert model.rowCount() == FIRST_PAGE
    qtbot.waitUntil(lambda: model.total() == 300)  # counted in the background after the first page
    qtmodeltester.check(model, force_py=True)
    while model.canFetchMore():
        model.fetchMore()
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 300 and len({model.row_at(i).id for i in range(300)}) == 300


def test_persian_typing_filters_and_the_footer_counts(qtbot, panel) -> None:
    target = panel.model.row_at(4)
    type_text(panel.search, target.mobile[:7].translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")))
    qtbot.waitUntil(lambda: 0 < (panel.model.total() or 0) < 300, timeout=3000)
    ids = [panel.model.row_at(i).id for i in range(panel.model.rowCount())]
    assert target.id in ids
    assert panel.footer.text().endswith("مورد")


def test_role_buttons_and_category_tree_filter(qtbot, demo_services, demo_admin, panel) -> None:
    category = demo_services.categories.save(demo_admin, "مشتریان ویژه")
    first = demo_services.identities.get(demo_admin, panel.model.row_at(0).id)
    data = first.to_data()
    data.category_id = category.id
    demo_services.identities.update(demo_admin, first.id, data)
    panel.load_categories()
    panel.category_toggle.click()  # the tree opens on demand (the list comes first)
    assert panel.category_tree.isVisibleTo(panel)
    # The demo files identities in categories of its own: the new one is found by its name.
    item = panel.category_tree.findItems("مشتریان ویژه", Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive)[0]
    panel.category_tree.setCurrentItem(item)
    assert panel.model.total() == 1 and panel.model.row_at(0).id == first.id
    panel.category_tree.setCurrentItem(panel.category_tree.topLevelItem(0))
    qtbot.waitUntil(lambda: panel.model.total() == 300)
    leads = demo_services.identities.count(demo_admin, IdentityQuery(role=panel.model.row_at(0).role))
    panel.set_filter(panel.model.row_at(0).role)
    qtbot.waitUntil(lambda: panel.model.total() == leads)
    assert panel.footer.text() == f"{format_number(leads)} مورد"


def test_the_current_row_stays_current_when_the_list_refreshes(qtbot, demo_services, demo_admin, panel) -> None:
    panel.table.setCurrentIndex(panel.model.index(7, 1))
    kept = panel.model.row_at(7).id
    before = panel.model.row_at(0)
    demo_services.identities.soft_delete(demo_admin, before.id)  # the list moves up a row
    panel.refresh()
    current = panel.table.currentIndex()
    assert current.row() == 6 and current.column() == 1 and panel.model.row_at(6).id == kept


def test_column_chooser_hides_columns_and_remembers(qtbot, demo_services, demo_admin, panel, settings) -> None:
    index = [c.key for c in COLUMNS].index("national_code")
    assert panel.table.isColumnHidden(index)
    menu = panel.column_menu()
    action = next(a for a in menu.actions() if a.text() == "کد ملی")
    action.setChecked(True)
    assert not panel.table.isColumnHidden(index)
    city = [c.key for c in COLUMNS].index("city")
    next(a for a in panel.column_menu().actions() if a.text() == "شهر").setChecked(False)
    assert panel.table.isColumnHidden(city)
    again = identity_panel(demo_services, demo_admin, settings)
    qtbot.addWidget(again)
    assert again.table.isColumnHidden(city) and not again.table.isColumnHidden(index)
    assert not panel.column_menu().actions()[0].isEnabled()  # the name always shows


def test_sorting_by_owner_requeries(qtbot, panel) -> None:
    column = [c.key for c in COLUMNS].index("owner_name")
    panel.table.sortByColumn(column, Qt.SortOrder.AscendingOrder)
    names = [panel.model.row_at(i).owner_name or "" for i in range(panel.model.rowCount())]
    assert names == sorted(names)


def test_double_click_and_ctrl_n_ask_for_record_tabs(qtbot, panel) -> None:
    opened = []
    panel.sig_open_record.connect(lambda kind, record_id: opened.append((kind, record_id)))
    panel.table.doubleClicked.emit(panel.model.index(2, 0))
    qtbot.keyClick(panel.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    panel.advanced_button.click()
    assert opened == [("identity", panel.model.row_at(2).id), ("identity", None), ("identity_search", None)]


def test_main_window_opens_the_form_on_double_click(qtbot, demo_services, demo_admin, settings) -> None:
    from app.ui.main_window import MainWindow

    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.show()
    window.attach(demo_services, demo_admin)
    panel = window.identity_panel
    row = panel.model.row_at(1)
    panel.table.doubleClicked.emit(panel.model.index(1, 0))
    form = window.tabs.currentWidget()
    assert form.objectName() == "identityForm" and form.title() == row.display_name
    assert search_key(window.tabs.tabText(window.tabs.currentIndex())) == search_key(row.display_name)


def test_role_buttons_keep_their_captions_at_the_default_dock_width(qtbot, panel) -> None:
    """At 1366×768 the dock is 440 px wide: «عدم کفایت سرنخ», the last role button, was cut off."""
    assert panel.minimumSizeHint().width() <= 440
    panel.resize(440, 600)
    qtbot.wait(10)
    buttons = panel._group.buttons()
    assert [b.text() for b in buttons][-1] == "عدم کفایت سرنخ"
    for button in buttons:
        assert button.width() >= button.sizeHint().width(), button.text()
        assert button.geometry().right() <= panel.width(), button.text()


def test_the_category_tree_opens_on_demand_and_is_remembered(qtbot, demo_services, demo_admin, settings) -> None:
    """At 768 px the tree took the list's room: it stays closed until «دسته‌بندی‌ها» opens it, and the
    choice holds the next time the dock is built."""
    panel = identity_panel(demo_services, demo_admin, settings)
    qtbot.addWidget(panel)
    panel.show()
    assert panel.category_toggle.isVisibleTo(panel)  # the demo has categories
    assert not panel.category_tree.isVisibleTo(panel)
    panel.category_toggle.click()
    assert panel.category_tree.isVisibleTo(panel)
    again = identity_panel(demo_services, demo_admin, settings)
    qtbot.addWidget(again)
    again.show()
    assert again.category_toggle.isChecked() and again.category_tree.isVisibleTo(again)
    again.category_toggle.click()
    assert not again.category_tree.isVisibleTo(again)


def test_the_columns_start_wide_enough_for_a_long_name_and_a_mobile_number(panel) -> None:
    """Qt's default 100 px cut most names to «ابوالفضل …» in the dock at 1366×768."""
    header, metrics = panel.table.horizontalHeader(), panel.table.fontMetrics()
    name_sample = next(c.sample for c in COLUMNS if c.key == "display_name")
    assert header.sectionSize(0) > metrics.horizontalAdvance(name_sample)
    assert header.sectionSize(2) > metrics.horizontalAdvance("۰۹۱۲۱۲۳۴۵۶۷")
    assert metrics.horizontalAdvance(name_sample) > 100  # the sample is longer than Qt's default

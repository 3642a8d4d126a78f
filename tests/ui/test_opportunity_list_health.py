"""Deal health in the opportunities LIST: the health column shows the board's icons and Persian tooltips,
its header (or «فوری‌ها اول») sorts by urgency, and a click on a yellow warning plans an activity."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtTest import QTest

from app.models import Opportunity, OpportunityStatus
from app.persian import format_number
from app.services.activities.service import ActivityData
from app.services.opportunities.health import Health, today_bounds
from app.ui.activities.activity_dialog import ActivityDialog
from app.ui.common.activity_icons import health_tooltip
from app.ui.common.list_panel import COUNTING
from app.ui.opportunities import list_model
from app.ui.opportunities.opportunity_dock import COLUMNS, OpportunityDock
from tests.conftest import TEST_OUTPUT
from tests.services.activity_helpers import add_identity, add_opportunity
from tests.ui.activity_ui import persian_widget, when_dialog

# created in an order unrelated to urgency; the titles sort alphabetically differently too
TITLES = ("پ آینده", "ب امروز", "ث بی‌برنامه", "الف عقب‌افتاده", "ت بسته")
URGENT_FIRST = ["الف عقب‌افتاده", "ث بی‌برنامه", "ب امروز", "پ آینده"]


@pytest.fixture
def listing(qtbot, services, admin):
    start, tomorrow = today_bounds()
    identity = add_identity(services, admin, "شرکت آلفا")
    opps = {title: add_opportunity(services, admin, identity, title) for title in TITLES}
    dues = {
        "پ آینده": tomorrow + dt.timedelta(days=2),
        "ب امروز": start + (tomorrow - start) / 2,  # the middle of the local day: today whenever the test runs
        "الف عقب‌افتاده": start - dt.timedelta(days=3),
    }
    for title, due in dues.items():
        services.activities.plan(admin, ActivityData(None, "تماس پیگیری", due, opportunity_id=opps[title].id))
    with services.db.write(admin) as s:
        s.get(Opportunity, opps["ت بسته"].id).status = OpportunityStatus.WON
    dock = persian_widget(OpportunityDock(services, admin))
    qtbot.addWidget(dock)
    dock.resize(1000, 420)
    dock.show()
    dock.filters.status.setCurrentIndex(dock.filters.status.findData("any"))
    qtbot.waitUntil(lambda: dock.model.total() == len(TITLES), timeout=3000)
    yield dock, opps


def _titles(dock) -> list[str]:
    return [dock.model.row_at(dock.model.index(r, 0)).title for r in range(dock.model.rowCount())]


def _health_index(dock, title: str):
    section = dock.model.health_section()
    row = _titles(dock).index(title)
    return dock.model.index(row, section)


def test_the_health_column_shows_each_open_opportunitys_state(listing) -> None:
    dock, _ = listing
    expected = {
        "الف عقب‌افتاده": Health.OVERDUE,
        "ث بی‌برنامه": Health.WARNING,
        "ب امروز": Health.TODAY,
        "پ آینده": Health.PLANNED,
    }
    assert dock.model.health_section() == 0
    assert dock.model.headerData(0, Qt.Orientation.Horizontal) == "فوریت"
    for title, health in expected.items():
        index = _health_index(dock, title)
        assert dock.model.row_at(index).health is health
        assert index.data(Qt.ItemDataRole.DecorationRole) is not None
        assert index.data(Qt.ItemDataRole.ToolTipRole).startswith(health_tooltip(health))
    closed = _health_index(dock, "ت بسته")
    assert closed.data(Qt.ItemDataRole.DecorationRole) is None  # closed: no health
    assert "فعالیتی برنامه‌ریزی نشده" in _health_index(dock, "ث بی‌برنامه").data(Qt.ItemDataRole.ToolTipRole)


def test_clicking_the_health_header_sorts_by_urgency(qtbot, listing) -> None:
    dock, _ = listing
    assert _titles(dock)[:4] != URGENT_FIRST  # by title at first
    header = dock.tree.header()
    section = dock.model.health_section()
    pos = QPoint(header.sectionViewportPosition(section) + header.sectionSize(section) // 2, header.height() // 2)
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    qtbot.waitUntil(lambda: dock.model.query().sort == "urgency")
    order = Qt.SortOrder.DescendingOrder if dock.model.query().descending else Qt.SortOrder.AscendingOrder
    if order == Qt.SortOrder.DescendingOrder:  # a second click gives the most urgent first
        QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert not dock.model.query().descending
    assert _titles(dock) == [*URGENT_FIRST, "ت بسته"]
    assert header.sortIndicatorSection() == section
    dock.grab().save(str(TEST_OUTPUT / "opportunity_list_urgency.png"))
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=pos)  # the other way: closed still last
    assert _titles(dock) == [*reversed(URGENT_FIRST), "ت بسته"]


def test_the_urgency_button_sorts_most_urgent_first(listing) -> None:
    dock, _ = listing
    assert dock.urgency_button.isVisible()
    dock.urgency_button.click()
    assert _titles(dock) == [*URGENT_FIRST, "ت بسته"]
    dock.show_view("board")
    assert not dock.urgency_button.isVisible()


def test_clicking_a_warning_in_the_list_opens_plan_an_activity(qtbot, listing, services, admin) -> None:
    dock, opps = listing
    view = dock.tree
    warning = view.visualRect(_health_index(dock, "ث بی‌برنامه"))
    seen: list = []

    def check(dialog: ActivityDialog) -> None:
        seen.append((dialog.windowTitle(), dialog.opportunity.currentData()))
        dialog.reject()

    failures = when_dialog(ActivityDialog, check)
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=warning.center())
    assert not failures, failures
    assert seen == [("فعالیت جدید", opps["ث بی‌برنامه"].id)]


def test_other_cells_only_select(qtbot, listing, monkeypatch) -> None:
    dock, _ = listing
    asked: list = []
    monkeypatch.setattr("app.ui.activities.activity_actions.plan_activity", lambda *a, **k: asked.append(k))
    view = dock.tree
    QTest.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(_health_index(dock, "ب امروز")).center()
    )
    title_of_warning = _health_index(dock, "ث بی‌برنامه").siblingAtColumn(1)
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(title_of_warning).center())
    assert asked == []
    QTest.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(_health_index(dock, "ث بی‌برنامه")).center()
    )
    assert len(asked) == 1


def test_planning_from_the_warning_turns_the_row_icon(qtbot, listing, services, admin, monkeypatch) -> None:
    dock, opps = listing
    dock.sort_by_urgency()
    target = opps["ث بی‌برنامه"].id

    def plan(parent, services_, actor, opportunity_id=None, **_):
        from app.ui.ops import op

        op(
            parent,
            lambda: services_.activities.plan(
                actor,
                ActivityData(None, "جلسه", today_bounds()[1] + dt.timedelta(days=5), opportunity_id=opportunity_id),
            ),
        ).run()

    monkeypatch.setattr("app.ui.activities.activity_actions.plan_activity", plan)
    index = _health_index(dock, "ث بی‌برنامه")
    QTest.mouseClick(dock.tree.viewport(), Qt.MouseButton.LeftButton, pos=dock.tree.visualRect(index).center())

    def planned() -> bool:
        rows = [dock.model.row_at(dock.model.index(r, 0)) for r in range(dock.model.rowCount())]
        return any(r.id == target and r.health is Health.PLANNED for r in rows)

    qtbot.waitUntil(planned, timeout=3000)
    # no warning left; the newly planned one sorts among the future ones by its due time
    assert _titles(dock) == ["الف عقب‌افتاده", "ب امروز", "پ آینده", "ث بی‌برنامه", "ت بسته"]


def test_the_amount_columns_fit_their_header_and_persian_amounts(qtbot, listing, services, admin) -> None:
    """«مبلغ» was clipped at its default width: the amount columns fit the header and the widest amount."""
    dock, opps = listing
    with services.db.write(admin) as s:
        s.get(Opportunity, opps["پ آینده"].id).amount = 98_765_432_100_000
    dock.refresh()
    qtbot.waitUntil(lambda: any(dock.model.row_at(dock.model.index(r, 0)).amount for r in range(5)), timeout=3000)
    header = dock.tree.header()
    for key in ("amount", "weighted_amount"):
        section = next(i for i, c in enumerate(COLUMNS) if c.key == key)
        assert dock.tree.columnWidth(section) >= header.sectionSizeHint(section), key
        assert dock.tree.columnWidth(section) >= dock.tree.sizeHintForColumn(section), key


def test_the_dock_fits_its_default_width_at_1366_by_768(qtbot, demo_services, demo_admin) -> None:
    """The dock is 440 px wide on a laptop: its buttons and filters (the demo's pipelines, owners, tags)
    were wider and scrolled out of sight."""
    dock = persian_widget(OpportunityDock(demo_services, demo_admin))
    qtbot.addWidget(dock)
    dock.show()
    assert dock.minimumSizeHint().width() <= 440


def test_the_list_shows_its_first_page_while_it_is_counted(qtbot, services, admin, monkeypatch) -> None:
    """At 1M identities the count took 0.7 s of the GUI thread at every start: now it follows in the
    background, and pages still end where the rows do."""
    monkeypatch.setattr(list_model, "PAGE", 2)
    identity = add_identity(services, admin, "شرکت آلفا")
    for title in TITLES:
        add_opportunity(services, admin, identity, title)
    gate, count = threading.Event(), services.opportunities.count
    monkeypatch.setattr(services.opportunities, "count", lambda *args: gate.wait(10) and count(*args))
    dock = OpportunityDock(services, admin)
    qtbot.addWidget(dock)
    assert (dock.model.rowCount(), dock.model.total(), dock.footer.text()) == (2, None, COUNTING)
    gate.set()
    qtbot.waitUntil(lambda: dock.footer.text() == f"{format_number(len(TITLES))} مورد", timeout=5000)
    while dock.model.canFetchMore(QModelIndex()):
        dock.model.fetchMore(QModelIndex())
    assert dock.model.rowCount() == dock.model.total() == len(TITLES)

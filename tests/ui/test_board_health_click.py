"""The health icon of a card on the main window's board, clicked where it is painted (seed 002): the yellow
warning plans an activity for the opportunity, the red (overdue) and green (today) ones open the nearest
activity to record its result, the grey one opens the future activity."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QDockWidget

from app.services.activities.service import ActivityData
from app.services.opportunities.health import Health, today_bounds
from app.ui.main_window import MainWindow
from app.ui.opportunities.opportunity_dock import OpportunityDock
from app.ui.qt_setup import configure_application
from tests.services.activity_helpers import add_identity, add_opportunity
from tests.ui.board_clicks import click_health_icon, settled


@pytest.fixture
def board(qtbot, services, admin, tmp_path):
    configure_application(QApplication.instance())
    start, tomorrow = today_bounds()
    identity = add_identity(services, admin, "شرکت آلفا")
    dues = {
        Health.WARNING: None,
        Health.OVERDUE: start - dt.timedelta(days=2),
        Health.TODAY: start + (tomorrow - start) / 2,
        Health.PLANNED: tomorrow + dt.timedelta(days=3),
    }
    opps, calls = {}, {}
    for health, due in dues.items():
        opps[health] = add_opportunity(services, admin, identity, f"فرصت {health.value}")
        if due is not None:
            data = ActivityData(None, "تماس پیگیری", due, opportunity_id=opps[health].id)
            calls[health] = services.activities.plan(admin, data).id
    window = MainWindow(QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.attach(services, admin)
    dock = window.findChild(OpportunityDock)
    dock.show_view("board")
    holder = window.findChild(QDockWidget, "opportunityDock")
    window.resizeDocks([holder], [560], Qt.Orientation.Vertical)  # the rep gives the board room to show the cards
    qtbot.waitUntil(lambda: sum(c.model.count() for c in dock.board.columns) == len(opps), timeout=5000)
    return dock.board, opps, calls


@pytest.fixture
def asked(monkeypatch):
    """What each activity action was asked to do (the dialogs themselves have their own tests)."""
    calls: list[tuple] = []
    for name in ("plan_activity", "mark_done", "edit_activity"):
        monkeypatch.setattr(
            f"app.ui.activities.activity_actions.{name}", lambda *a, _n=name, **k: calls.append((_n, a[3:], k))
        )
    return calls


def test_a_click_on_the_warning_plans_an_activity(qtbot, board, asked) -> None:
    view, opps, _ = board
    click_health_icon(qtbot, view, opps[Health.WARNING].id, Health.WARNING)
    qtbot.waitUntil(lambda: bool(asked), timeout=2000)
    assert asked == [("plan_activity", (), {"opportunity_id": opps[Health.WARNING].id})]
    settled(qtbot, view.window())  # the window closes after the test: not in the middle of a refresh


@pytest.mark.parametrize(
    ("health", "action"),
    [(Health.OVERDUE, "mark_done"), (Health.TODAY, "mark_done"), (Health.PLANNED, "edit_activity")],
)
def test_a_click_on_a_coloured_icon_opens_its_activity(qtbot, board, asked, health, action) -> None:
    view, opps, calls = board
    click_health_icon(qtbot, view, opps[health].id, health)
    qtbot.waitUntil(lambda: bool(asked), timeout=2000)
    assert asked == [(action, (calls[health],), {})]
    settled(qtbot, view.window())

"""Deal health on the opportunities board: the icon follows the activities (done from the cardboard with
a Persian result), and clicking the warning icon plans an activity for that opportunity."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from app.models import ActivityKind, utcnow
from app.services.activities.service import ActivityData
from app.services.opportunities.health import Health
from app.ui.activities.activity_actions import DoneDialog
from app.ui.activities.cardboard_dock import CardboardPanel
from app.ui.opportunities.health_click import warning_icon_rect
from tests.conftest import TEST_OUTPUT
from tests.services.activity_helpers import add_identity, add_opportunity
from tests.ui.activity_ui import persian_widget, when_dialog
from tests.ui.persian_typing import type_text

dock_module = pytest.importorskip("app.ui.opportunities.opportunity_dock")


@pytest.fixture
def office(qtbot, services, admin):
    identity = add_identity(services, admin, "شرکت آلفا")
    opp = add_opportunity(services, admin, identity, "فروش ۵۰ دستگاه پرینتر")
    call = services.activities.plan(
        admin,
        ActivityData(None, "تماس پیگیری", utcnow() + dt.timedelta(minutes=1), ActivityKind.CALL, opportunity_id=opp.id),
    )
    dock = persian_widget(dock_module.OpportunityDock(services, admin))
    qtbot.addWidget(dock)
    dock.resize(1100, 500)
    dock.show()
    dock.show_view("board")
    cardboard = persian_widget(CardboardPanel(services, admin))
    qtbot.addWidget(cardboard)
    cardboard.show()
    cardboard.refresh()
    yield dock, cardboard, opp, call


def _card(dock, opp_id):
    for column in dock.board.columns:
        row = column.model.row_of(opp_id)
        if row >= 0:
            return column, row, column.model.card_at(row)
    raise AssertionError("card not on the board")


def test_done_from_the_cardboard_turns_the_board_icon_to_warning(qtbot, office, services, admin) -> None:
    dock, cardboard, opp, call = office
    assert _card(dock, opp.id)[2].health in (Health.TODAY, Health.PLANNED)
    cardboard.select("activity", call.id)

    def answer(dialog: DoneDialog) -> None:
        type_text(dialog.result_edit, "مشتری پیش‌فاکتور خواست")
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()

    failures = when_dialog(DoneDialog, answer)
    cardboard.done_button.click()
    assert not failures, failures
    qtbot.waitUntil(lambda: _card(dock, opp.id)[2].health is Health.WARNING, timeout=3000)
    dock.grab().save(str(TEST_OUTPUT / "board_health_warning.png"))


def test_clicking_the_warning_icon_plans_an_activity(qtbot, office, services, admin, monkeypatch) -> None:
    dock, _, opp, call = office
    services.activities.cancel(admin, call.id)
    dock.refresh()
    column, row, card = _card(dock, opp.id)
    assert card.health is Health.WARNING
    asked = []
    monkeypatch.setattr("app.ui.activities.activity_actions.plan_activity", lambda *a, **k: asked.append(k))
    view = column.view
    rect = view.visualRect(column.model.index(row, 0))
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=warning_icon_rect(rect).center())
    qtbot.waitUntil(lambda: asked == [{"opportunity_id": opp.id}], timeout=2000)
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center() + QPoint(-40, 20))
    qtbot.wait(50)  # a click on the icon acts after its event
    assert len(asked) == 1  # elsewhere on the card: only selects it

"""The board's details (seed 004): folding a stage's column (the admin's default in the pipelines dialog,
a user's fold button, the folded strip that unfolds on a click, kept for that user) and the priority
stars clicked on a card."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

from app.ui import events
from app.ui.opportunities.admin_dialogs import PipelinesDialog
from app.ui.opportunities.opportunity_dock import OpportunityDock
from app.ui.opportunities.star_click import stars_rect
from tests.services.sales_helpers import build


@pytest.fixture(autouse=True)
def fresh_change_bus(monkeypatch):
    monkeypatch.setattr(events, "_bus", None)


@pytest.fixture
def sales(services):
    world = build(services)
    world.new(title="پرینتر بانک", amount=50_000_000, stage_id=world.stage("مذاکره").id)
    return world


def _board(qtbot, sales, actor):
    dock = OpportunityDock(sales.services, actor)
    qtbot.addWidget(dock)
    dock.resize(1100, 700)
    dock.show()
    dock.show_view("board")
    return dock.board


def test_the_admin_folds_a_stage_by_default_in_the_pipelines_dialog(qtbot, sales) -> None:
    dialog = PipelinesDialog(sales.services, sales.admin)
    qtbot.addWidget(dialog)
    dialog.stages.setCurrentCell(3, 0)
    dialog.toggle_folded()
    assert dialog.stages.item(3, 2).text() == "جمع‌شده"
    talks = _board(qtbot, sales, sales.rep).columns[3]
    assert talks.folded and not talks.view.isVisible() and talks.width() < 60
    assert talks.folded_strip.text == "مذاکره (۱) · ۵۰٬۰۰۰٬۰۰۰ ریال"


def test_a_user_folds_a_column_and_unfolds_it_with_a_click_and_it_is_kept(qtbot, sales) -> None:
    board = _board(qtbot, sales, sales.rep)
    talks = board.columns[3]
    qtbot.mouseClick(talks.fold_button, Qt.MouseButton.LeftButton)
    assert talks.folded and talks.folded_strip.isVisible()
    assert _board(qtbot, sales, sales.rep).columns[3].folded  # kept for the rep
    assert not _board(qtbot, sales, sales.mate).columns[3].folded  # not for a colleague
    qtbot.mouseClick(talks.folded_strip, Qt.MouseButton.LeftButton)
    assert not talks.folded and talks.view.isVisible()
    assert not _board(qtbot, sales, sales.rep).columns[3].folded


def test_clicking_a_cards_stars_sets_its_priority(qtbot, sales) -> None:
    talks = _board(qtbot, sales, sales.rep).columns[3]
    view = talks.view
    area = stars_rect(view, view.visualRect(talks.model.index(0)))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(area.left() + 2, area.center().y()))
    assert talks.model.card_at(0).priority == 3  # the leftmost star is the third in right-to-left
    opportunity = talks.model.card_at(0).id
    assert sales.services.opportunity_records.get(sales.rep, opportunity).priority == 3
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(area.right() - 2, area.center().y()))
    assert talks.model.card_at(0).priority == 1
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(area.right() - 2, area.center().y()))
    assert sales.services.opportunity_records.get(sales.rep, opportunity).priority == 0  # the same star clears


def test_the_priority_filter_narrows_the_board_and_the_list_and_is_saved(qtbot, sales) -> None:
    sales.new(title="فوری", priority=3)
    dock = OpportunityDock(sales.services, sales.rep)
    qtbot.addWidget(dock)
    dock.resize(1100, 700)
    dock.show()
    dock.show_view("board")
    bar = dock.filters
    bar.priority.setCurrentIndex(bar.priority.findText("★★★"))
    cards = lambda: [col.model.card_at(r).title for col in dock.board.columns for r in range(col.model.count())]  # noqa: E731
    qtbot.waitUntil(lambda: cards() == ["فوری"])
    dock.show_view("list")
    assert dock.model.total() == 1
    assert bar.definition()["min_priority"] == 3
    bar.save_favourite("فوری‌ها")
    bar.priority.setCurrentIndex(0)
    bar.apply(sales.services.saved_searches.list(sales.rep, "opportunities")[0].definition)
    assert bar.priority.currentText() == "★★★"

"""A board column shows its first page of cards with the whole column's count, and scrolling it
down loads the rest; a card moved in beyond the loaded ones arrives with its page, once."""

from __future__ import annotations

import pytest

from app.persian import format_number
from app.services.opportunities.board_pages import PAGE
from app.services.opportunities.data import OpportunityData
from app.ui import events
from app.ui.opportunities.opportunity_dock import OpportunityDock
from tests.services.sales_helpers import build

CARDS = PAGE + 12


@pytest.fixture(autouse=True)
def fresh_change_bus(monkeypatch):
    monkeypatch.setattr(events, "_bus", None)


@pytest.fixture
def sales(services):
    world = build(services)
    items = [
        OpportunityData(identity_id=world.customer, title=f"فرصت {i}", amount=(i + 2) * 1_000_000)
        for i in range(CARDS)
    ]
    world.services.opportunity_records.create_many(world.rep, items)
    world.new(title="کوچک", amount=1, stage_id=world.stage("مذاکره").id)
    return world


@pytest.fixture
def dock(qtbot, sales):
    widget = OpportunityDock(sales.services, sales.rep)
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    widget.show_view("board")
    yield widget


def _scroll_to_end(qtbot, column, rows: int) -> None:
    def scrolled_further(loaded: int) -> bool:
        # Scrolled down again at each look, as a person would: the change bus's reload after a move may
        # arrive later (a loaded machine) and put the column back at its first page and top.
        bar = column.view.verticalScrollBar()
        bar.setValue(bar.maximum())
        return column.model.rowCount() > loaded

    while column.model.rowCount() < rows:
        loaded = column.model.rowCount()
        qtbot.waitUntil(lambda n=loaded: scrolled_further(n), timeout=5000)


def test_scrolling_a_column_down_loads_its_next_pages(qtbot, dock) -> None:
    column = dock.board.columns[0]
    assert column.model.rowCount() == PAGE and column.model.count() == CARDS
    assert f"({format_number(CARDS)})" in column.header.text()  # the whole column's count at once
    _scroll_to_end(qtbot, column, CARDS)
    titles = [column.model.card_at(row).title for row in range(column.model.rowCount())]
    assert len(set(titles)) == CARDS == column.model.count()
    assert titles[0] == f"فرصت {CARDS - 1}" and titles[-1] == "فرصت 0"  # the largest amount first


def test_a_card_moved_beyond_the_loaded_ones_comes_with_the_last_page(qtbot, dock) -> None:
    first, talks = dock.board.columns[0], dock.board.columns[3]
    small = talks.model.card_at(0)
    assert dock.board.move_card(small.id, small.version, first.model.stage_id)
    assert first.model.count() == CARDS + 1 and first.model.rowCount() == PAGE  # counted, not yet shown
    assert talks.model.count() == 0
    _scroll_to_end(qtbot, first, CARDS + 1)
    ids = [first.model.card_at(row).id for row in range(first.model.rowCount())]
    assert len(ids) == len(set(ids)) == CARDS + 1 and ids[-1] == small.id

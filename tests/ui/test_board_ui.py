"""The opportunities board and list: drag a card between columns, close one as lost through the
dialog, model testers on the board and list models."""

from __future__ import annotations

import pytest
import shiboken6
from PySide6.QtCore import QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from app.models import OpportunityStatus
from app.services.opportunities.queries import OpportunityQuery
from app.ui import events
from app.ui.opportunities.board_model import BoardColumnModel
from app.ui.opportunities.close_dialogs import LostDialog
from app.ui.opportunities.opportunity_dock import OpportunityDock
from tests.services.sales_helpers import build
from tests.ui.deleted_meanwhile import delete_during


@pytest.fixture(autouse=True)
def fresh_change_bus(monkeypatch):
    """Widgets left over from earlier tests stay connected to the old bus and never hear these changes."""
    monkeypatch.setattr(events, "_bus", None)


@pytest.fixture
def sales(services):
    world = build(services)
    world.new(title="پرینتر بانک", amount=50_000_000, tags=("بانک",))
    world.new(title="لپ‌تاپ مدرسه", amount=20_000_000)
    return world


@pytest.fixture
def dock(qtbot, sales):
    widget = OpportunityDock(sales.services, sales.rep)
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    widget.show_view("board")
    yield widget


def _drop_on(view, mime) -> None:
    """Enter, move and drop on a view's viewport as Qt delivers them (each event starts ignored)."""
    args = (Qt.DropAction.MoveAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    for event in (QDragEnterEvent(QPoint(20, 20), *args), QDragMoveEvent(QPoint(20, 20), *args)):
        event.ignore()
        QApplication.sendEvent(view.viewport(), event)
    drop = QDropEvent(QPointF(20, 20), *args)
    drop.ignore()
    QApplication.sendEvent(view.viewport(), drop)


def test_dragging_a_card_to_another_column_changes_its_stage(dock, sales) -> None:
    board = dock.board
    first, talks = board.columns[0], board.columns[3]
    assert first.model.count() == 2 and talks.model.count() == 0
    mime = first.model.mimeData([first.model.index(0)])
    moved = first.model.card_at(0)
    _drop_on(talks.view, mime)
    assert talks.model.count() == 1 and first.model.count() == 1
    assert talks.model.card_at(0).id == moved.id and talks.model.card_at(0).probability == 80
    assert "(۱)" in talks.header.text()
    stored = sales.services.opportunity_records.get(sales.rep, moved.id)
    assert stored.stage_name == "مذاکره"
    dock.show_view("list")  # the list learns of the move
    assert {r.stage_name for r in sales.services.opportunities.search(sales.rep, OpportunityQuery())} >= {"مذاکره"}


def test_a_card_dropped_on_its_own_column_does_nothing(dock) -> None:
    column = dock.board.columns[0]
    assert not column.model.canDropMimeData(column.model.mimeData([column.model.index(0)]), Qt.DropAction.MoveAction,
                                            -1, -1, column.model.index(-1))  # fmt: skip


def test_closing_a_card_as_lost_through_the_dialog(qtbot, dock, sales) -> None:
    column = dock.board.columns[0]
    card = column.model.card_at(0)
    column.view.setCurrentIndex(column.model.index(0))
    assert dock.board.lost_button.isEnabled()
    seen = {}

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, LostDialog)
        dialog.accept()  # no reason yet: refused, stays open with the message under the field
        seen["error"] = dialog.form.rows["reason_id"].error.text()
        dialog.reason.setCurrentIndex(1)
        dialog.note.setPlainText("گران بود")
        dialog.accept()

    QTimer.singleShot(0, answer)
    dock.board.lost_button.click()
    assert seen["error"] == "دلیل شکست را انتخاب کنید."
    assert column.model.row_of(card.id) < 0  # lost ones leave the board
    stored = sales.services.opportunity_records.get(sales.rep, card.id)
    assert stored.status is OpportunityStatus.LOST and stored.close_note == "گران بود"
    dock.filters.status.setCurrentIndex(dock.filters.status.findData("lost"))
    dock.show_view("list")
    qtbot.waitUntil(lambda: dock.model.total() == 1)


def test_board_column_model_passes_the_model_tester(qtmodeltester, dock) -> None:
    qtmodeltester.check(dock.board.columns[0].model)
    assert isinstance(dock.board.columns[0].model, BoardColumnModel)


@pytest.mark.parametrize("group_by", [None, "stage", "owner", "month"])
def test_list_model_passes_the_model_tester(qtmodeltester, dock, group_by) -> None:
    dock.show_view("list")
    dock.model.set_query(OpportunityQuery(), group_by)
    if group_by:
        dock.model.fetchMore(dock.model.index(0, 0))
        assert dock.model.rowCount(dock.model.index(0, 0)) > 0
    qtmodeltester.check(dock.model)


def test_filters_and_favourites_drive_both_views(qtbot, dock, sales) -> None:
    bar = dock.filters
    bar.search.setText("بانک")
    qtbot.waitUntil(lambda: sum(c.model.count() for c in dock.board.columns) == 1, timeout=2000)
    bar.save_favourite("بانکی")
    bar.search.setText("")
    qtbot.waitUntil(lambda: sum(c.model.count() for c in dock.board.columns) == 2, timeout=2000)
    saved = sales.services.saved_searches.list(sales.rep, "opportunities")
    bar.apply(saved[0].definition)
    assert bar.search.text() == "بانک"
    dock.show_view("list")
    assert dock.model.total() == 1
    bar.group.setCurrentIndex(bar.group.findData("stage"))
    assert dock.model.group_by() == "stage" and dock.model.rowCount() == 1


def test_a_dock_deleted_while_its_board_loads_is_left_alone(qapp, sales, monkeypatch) -> None:
    """The board's load waits in an event loop, and a window closed meanwhile deletes the dock: the rest of
    the refresh must not reach its deleted widgets (CI: «QStackedWidget … already deleted» at teardown)."""
    dock = OpportunityDock(sales.services, sales.rep)  # not qtbot's: it would close the deleted dock
    dock.show_view("board")
    delete_during(monkeypatch, dock, sales.services.board, "load")
    dock.refresh()
    assert not shiboken6.isValid(dock)

"""«گروهی» on the opportunity list and the board: select several (ctrl click), choose the action from the
button or the context menu, answer its dialog, and see every selected opportunity changed, or, when one is
refused, the refusal naming it and nothing changed."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel, QMessageBox

from app.models import OpportunityStatus
from app.services.opportunities.data import WinData
from app.ui import events
from app.ui.opportunities.batch_actions import LOSE_TEXT, MOVE_TEXT
from app.ui.opportunities.batch_dialog import BatchChoiceDialog
from app.ui.opportunities.close_dialogs import LostDialog
from app.ui.opportunities.opportunity_dock import OpportunityDock
from tests.services.sales_helpers import build
from tests.ui.activity_ui import when_dialog

TITLES = ("پرینتر بانک", "لپ‌تاپ مدرسه", "سرور بیمارستان")


@pytest.fixture(autouse=True)
def fresh_change_bus(monkeypatch):
    monkeypatch.setattr(events, "_bus", None)


@pytest.fixture
def sales(services):
    world = build(services)
    world.ids = {title: world.new(title=title, amount=10_000_000) for title in TITLES}
    return world


@pytest.fixture
def dock(qtbot, sales):
    widget = OpportunityDock(sales.services, sales.rep)
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    qtbot.waitUntil(lambda: widget.model.total() == len(TITLES))
    return widget


def _ctrl_click(qtbot, view, index) -> None:
    view.scrollTo(index)
    rect = view.visualRect(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier, rect.center())


def _list_index(dock, title: str):
    model = dock.model
    row = next(r for r in range(model.rowCount()) if model.row_at(model.index(r, 0)).title == title)
    return model.index(row, model.label_section())


def _choose_when_shown(menu, text: str) -> list:
    """Picks the menu's entry as a user does (highlight, Enter) once the menu is on screen (it pops up
    without waiting); the returned list gets an item once the action, dialog and all, has returned."""
    chosen: list = []

    def poll() -> None:
        if not menu.isVisible():
            QTimer.singleShot(20, poll)
            return
        menu.setActiveAction(next(a for a in menu.actions() if a.text() == text))
        QTest.keyClick(menu, Qt.Key.Key_Return)
        chosen.append(text)

    QTimer.singleShot(0, poll)
    return chosen


def _ok(dialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def _stages(sales) -> dict:
    return {t: sales.services.opportunity_records.get(sales.rep, i).stage_name for t, i in sales.ids.items()}


def test_selected_rows_move_to_a_stage_from_the_batch_button(qtbot, dock, sales) -> None:
    for title in TITLES[:2]:
        _ctrl_click(qtbot, dock.tree, _list_index(dock, title))
    assert set(dock.selected_ids()) == {sales.ids[t] for t in TITLES[:2]}

    def move(dialog: BatchChoiceDialog) -> None:
        assert any("۲ فرصت انتخاب شده است." in label.text() for label in dialog.findChildren(QLabel))
        dialog.choice.setCurrentIndex(dialog.choice.findText("مذاکره"))
        _ok(dialog)

    failures = when_dialog(BatchChoiceDialog, move)
    chosen = _choose_when_shown(dock.batch.menu, MOVE_TEXT)
    dock.batch_button.click()
    qtbot.waitUntil(lambda: bool(chosen), timeout=5000)
    assert failures == []
    assert _stages(sales) == {TITLES[0]: "مذاکره", TITLES[1]: "مذاکره", TITLES[2]: "جدید"}
    header = dock.model.headerData
    stage_column = next(i for i in range(dock.model.columnCount()) if header(i, Qt.Orientation.Horizontal) == "مرحله")
    qtbot.waitUntil(
        lambda: sorted(dock.model.index(r, stage_column).data() for r in range(dock.model.rowCount()))
        == ["جدید", "مذاکره", "مذاکره"],
        timeout=5000,
    )


def test_a_refused_batch_names_the_opportunity_and_closes_none(qtbot, dock, sales) -> None:
    for title in TITLES:
        _ctrl_click(qtbot, dock.tree, _list_index(dock, title))
    seen = {}

    def lose(dialog: LostDialog) -> None:
        dialog.reason.setCurrentIndex(1)
        # Meanwhile a colleague records one of them as won: the batch is refused as a whole.
        sales.services.pipeline_moves.win(sales.admin, sales.ids[TITLES[1]], WinData())
        refusal = when_dialog(QMessageBox, lambda box: (seen.setdefault("text", box.text()), box.accept()))
        _ok(dialog)
        seen["refusal_failures"] = refusal
        seen["still_open"] = dialog.isVisible()
        dialog.reject()

    failures = when_dialog(LostDialog, lose)
    chosen = _choose_when_shown(dock.batch.menu, LOSE_TEXT)
    dock.batch_button.click()
    qtbot.waitUntil(lambda: bool(chosen), timeout=5000)
    assert failures == [] and seen["refusal_failures"] == []
    assert seen["still_open"] is True
    assert "هیچ تغییری ذخیره نشد" in seen["text"]
    assert f"«{TITLES[1]}»: این فرصت بسته شده است" in seen["text"]
    statuses = {sales.services.opportunity_records.get(sales.rep, sales.ids[t]).status for t in (TITLES[0], TITLES[2])}
    assert statuses == {OpportunityStatus.OPEN}


def test_cards_selected_across_columns_move_together_from_the_context_menu(qtbot, dock, sales) -> None:
    sales.services.pipeline_moves.move(sales.rep, sales.ids[TITLES[2]], sales.stage("ارسال پیشنهاد").id)
    dock.show_view("board")
    board = dock.board
    qtbot.waitUntil(lambda: sum(c.model.count() for c in board.columns) == len(TITLES))
    new = board.column_for_stage(sales.stage("جدید").id)
    offer = board.column_for_stage(sales.stage("ارسال پیشنهاد").id)
    first = new.model.index(new.model.row_of(sales.ids[TITLES[0]]))
    qtbot.mouseClick(new.view.viewport(), Qt.MouseButton.LeftButton, pos=new.view.visualRect(first).center())
    _ctrl_click(qtbot, offer.view, offer.model.index(0))
    assert board.batch.selected_ids() == [sales.ids[TITLES[0]], sales.ids[TITLES[2]]]

    def move(dialog: BatchChoiceDialog) -> None:
        dialog.choice.setCurrentIndex(dialog.choice.findText("مذاکره"))
        _ok(dialog)

    failures = when_dialog(BatchChoiceDialog, move)
    at = offer.view.visualRect(offer.model.index(0)).center()
    chosen = _choose_when_shown(board.batch.actions.menu, MOVE_TEXT)
    viewport = offer.view.viewport()
    QApplication.sendEvent(viewport, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, at, viewport.mapToGlobal(at)))
    qtbot.waitUntil(lambda: bool(chosen), timeout=5000)
    assert failures == []
    assert _stages(sales) == {TITLES[0]: "مذاکره", TITLES[1]: "جدید", TITLES[2]: "مذاکره"}

    def in_talks() -> int:  # the board is rebuilt after the batch: look the column up again
        column = board.column_for_stage(sales.stage("مذاکره").id)
        return column.model.count() if column is not None else -1

    qtbot.waitUntil(lambda: in_talks() == 2, timeout=5000)

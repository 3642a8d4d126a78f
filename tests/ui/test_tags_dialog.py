"""The tag management page «برچسب‌ها» (seed 004), clicked as an administrator: rename, colour, merge,
remove and bring back; the board's cards and the filter's tag list show the result."""

from __future__ import annotations

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton

from app.ui import events
from app.ui.admin.tags_dialog import TagsDialog
from app.ui.opportunities.filter_bar import OpportunityFilterBar
from tests.services.sales_helpers import build
from tests.ui.deleted_meanwhile import delete_during
from tests.ui.persian_typing import type_text


@pytest.fixture(autouse=True)
def fresh_change_bus(monkeypatch):
    monkeypatch.setattr(events, "_bus", None)


@pytest.fixture
def sales(services):
    world = build(services)
    world.new(title="پرینتر بانک", tags=("بانک", "عمده"))
    world.new(title="لپ‌تاپ", tags=("خرید کلان",))
    return world


@pytest.fixture
def dialog(qtbot, sales):
    widget = TagsDialog(sales.services, sales.admin)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def _click(qtbot, dialog, text: str) -> None:
    button = next(b for b in dialog.findChildren(QPushButton) if b.text() == text)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _select(dialog, name: str) -> None:
    dialog.table.setCurrentCell(next(i for i, t in enumerate(dialog.rows) if t.name == name), 0)


def _cards(sales) -> dict:
    board = sales.services.board.load(sales.rep)
    return {c.title: dict(zip(c.tags, c.tag_colors, strict=True)) for col in board.columns for c in col.cards}


def test_tags_are_listed_with_their_use(dialog) -> None:
    names = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
    assert names == ["بانک", "خرید کلان", "عمده"]
    assert dialog.table.item(0, 2).text() == "۱" and dialog.table.item(0, 3).text() == "فعال"


def test_rename_and_colour(qtbot, dialog, sales) -> None:
    _select(dialog, "بانک")
    dialog.name.clear()
    type_text(dialog.name, "بانک‌ها")
    _click(qtbot, dialog, "تغییر نام")
    dialog.color.setCurrentIndex(dialog.color.findText("سبز"))
    _click(qtbot, dialog, "ثبت رنگ")
    assert dialog.selected().name == "بانک‌ها" and dialog.selected().color == "#2e7d32"
    assert dialog.table.item(0, 0).background().color().name() == "#2e7d32"
    assert _cards(sales)["پرینتر بانک"] == {"بانک‌ها": "#2e7d32", "عمده": None}


def test_merge_after_confirming(qtbot, dialog, sales, monkeypatch) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    _select(dialog, "خرید کلان")
    dialog.merge_into.setCurrentIndex(dialog.merge_into.findText("عمده"))
    _click(qtbot, dialog, "ادغام")
    assert [t.name for t in dialog.rows] == ["بانک", "عمده"]
    assert _cards(sales)["لپ‌تاپ"] == {"عمده": None}


def test_remove_and_bring_back(qtbot, dialog, sales) -> None:
    _select(dialog, "بانک")
    _click(qtbot, dialog, "حذف")
    assert "بانک" not in [t.name for t in dialog.rows]
    assert _cards(sales)["پرینتر بانک"] == {"عمده": None}
    dialog.show_deleted.setChecked(True)
    _select(dialog, "بانک")
    assert dialog.table.item(dialog.table.currentRow(), 3).text() == "حذف‌شده"
    _click(qtbot, dialog, "بازگرداندن")
    assert _cards(sales)["پرینتر بانک"] == {"بانک": None, "عمده": None}


def test_a_coloured_tag_shows_its_swatch_in_the_filter(qtbot, sales) -> None:
    tag = next(t for t in sales.services.tag_admin.list_tags(sales.admin) if t.name == "بانک")
    sales.services.tag_admin.set_color(sales.admin, tag.id, "#c62828")
    bar = OpportunityFilterBar(sales.services, sales.rep)
    qtbot.addWidget(bar)
    icons = {bar.tag.itemText(i): bar.tag.itemIcon(i) for i in range(bar.tag.count())}
    assert icons["بانک"].pixmap(12, 12).toImage().pixelColor(6, 6).name() == "#c62828"
    assert icons["عمده"].isNull()


def test_a_dialog_deleted_while_its_tags_load_is_left_alone(qapp, sales, monkeypatch) -> None:
    """The list's read waits in an event loop, which lets a closing window go: the rows are not written
    into the deleted dialog (it raised «already deleted»)."""
    widget = TagsDialog(sales.services, sales.admin)  # not qtbot's: it would close the deleted dialog
    delete_during(monkeypatch, widget, sales.services.tag_admin, "list_tags")
    widget.refresh()
    assert not shiboken6.isValid(widget)

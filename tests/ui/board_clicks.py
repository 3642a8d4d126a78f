"""Finding what the board painted, to click it as a user does: a card's health icon is located in a grab of
the column (by its colour), not computed from the code under test."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from app.services.opportunities.health import Health
from app.ui.common.activity_icons import HEALTH_COLOR

ICON = 8  # half the painted icon's size


def card_place(board, opportunity_id):
    """(column widget, row) of an opportunity's card; AssertionError when it is not on the board."""
    for column in board.columns:
        row = column.model.row_of(opportunity_id)
        if row >= 0:
            return column, row
    raise AssertionError("the card is not on the board")


def painted_icon_center(board, opportunity_id, health: Health) -> QPoint:
    """The centre of the pixels of the health icon's colour inside the card, as the column shows them."""
    column, row = card_place(board, opportunity_id)
    view = column.view
    view.scrollTo(column.model.index(row, 0))
    card = view.visualRect(column.model.index(row, 0)).intersected(view.viewport().rect())
    image = view.viewport().grab().toImage()
    ratio = image.devicePixelRatio()
    wanted = HEALTH_COLOR[health].rgb()
    found = [
        QPoint(x, y)
        for y in range(card.top(), card.bottom() + 1)
        for x in range(card.left(), card.right() + 1)
        if image.pixel(int(x * ratio), int(y * ratio)) == wanted
    ]
    assert found, f"no {health.value} icon painted on the card"
    # the icon is the densest patch of its colour (antialiased text may hold a stray pixel of it)
    return max(found, key=lambda p: sum(abs(q.x() - p.x()) <= ICON and abs(q.y() - p.y()) <= ICON for q in found))


def click_health_icon(board, opportunity_id, health: Health) -> None:
    column, _ = card_place(board, opportunity_id)
    QTest.mouseClick(
        column.view.viewport(), Qt.MouseButton.LeftButton, pos=painted_icon_center(board, opportunity_id, health)
    )

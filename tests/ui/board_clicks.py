"""Finding what the board painted, to click it as a user does: a card's health icon is located in a grab of
the column (by its colour), not computed from the code under test."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest

from app.services.opportunities.health import Health
from app.ui.common.activity_icons import HEALTH_COLOR

ICON = 8  # half the painted icon's size


def settled(qtbot, window) -> None:
    """Waits until the main window's opportunities dock and cardboard have shown the last change (their
    refresh timers idle): the rep clicks what the screen shows, and a window closed at the end of a test
    is not mid-refresh."""
    from app.ui.opportunities.opportunity_dock import OpportunityDock

    dock = window.findChild(OpportunityDock)
    qtbot.waitUntil(lambda: not dock._timer.isActive() and not window.cardboard_panel._timer.isActive(), timeout=3000)


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
    image = view.viewport().grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    ratio = image.devicePixelRatio()
    # one copy of the pixels (B, G, R, A per pixel): a PySide call per pixel leaked references to None
    pixels, stride = bytes(image.constBits()), image.bytesPerLine()
    color = HEALTH_COLOR[health]
    wanted = bytes((color.blue(), color.green(), color.red()))
    found = []
    for y in range(card.top(), card.bottom() + 1):
        row = int(y * ratio) * stride
        for x in range(card.left(), card.right() + 1):
            at = row + int(x * ratio) * 4
            if pixels[at : at + 3] == wanted:
                found.append((x, y))
    assert found, f"no {health.value} icon painted on the card"
    # the icon is the densest patch of its colour (antialiased text may hold a stray pixel of it)
    x, y = max(found, key=lambda p: sum(abs(q[0] - p[0]) <= ICON and abs(q[1] - p[1]) <= ICON for q in found))
    return QPoint(x, y)


def click_health_icon(qtbot, board, opportunity_id, health: Health) -> None:
    """Clicks the icon once the board shows the card (a board that has just reloaded shows its new
    columns after the next turn of the event loop)."""
    qtbot.waitUntil(lambda: card_place(board, opportunity_id)[0].view.isVisible(), timeout=3000)
    column, _ = card_place(board, opportunity_id)
    QTest.mouseClick(
        column.view.viewport(), Qt.MouseButton.LeftButton, pos=painted_icon_center(board, opportunity_id, health)
    )

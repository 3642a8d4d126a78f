"""Clicking a board card's health icon does what Didar does (seed 002): on the yellow warning (nothing
planned) it opens «برنامه‌ریزی فعالیت» for that opportunity ("با انتخاب علامت اخطار روی کاریز ... برنامه
ریزی کنید"); on a red or green icon it opens the nearest planned activity to record its result
("روی آیکن فعالیت کلیک کنید و تیک (این فعالیت انجام شد) را بزنید"); on a grey one it opens that future
activity for editing."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QRect, Qt, QTimer
from PySide6.QtWidgets import QAbstractItemView, QWidget

from app.models import ActivityState
from app.services.opportunities.health import Health
from app.ui.ops import op

if TYPE_CHECKING:
    from app.services.core.actor import Actor
    from app.services.core.registry import Services

TOOLTIP = {
    Health.WARNING: "برنامه‌ریزی فعالیت برای این فرصت",
    Health.OVERDUE: "ثبت نتیجه فعالیت عقب‌افتاده",
    Health.TODAY: "ثبت نتیجه فعالیت امروز",
    Health.PLANNED: "باز کردن فعالیت برنامه‌ریزی‌شده",
}


def warning_icon_rect(card_rect: QRect) -> QRect:
    """Where the card delegate paints the health icon (app/ui/opportunities/card_delegate.py), with some slack."""
    from app.ui.opportunities.card_delegate import ICON, MARGIN, PAD

    inner = card_rect.adjusted(MARGIN + PAD, MARGIN // 2 + PAD // 2, -MARGIN - PAD, -MARGIN // 2 - PAD // 2)
    line = inner.height() // 4
    icon = QRect(inner.right() - ICON, inner.top() + (line - ICON) // 2, ICON, ICON)
    return icon.adjusted(-4, -4, 4, 4)


def painted_rect(view: QAbstractItemView, index) -> QRect:
    """The card as the list paints it: its layout rect no wider than the viewport. A scroll bar that
    appears narrows the viewport without always laying the cards out again."""
    rect = view.visualRect(index)
    rect.setWidth(min(rect.width(), view.viewport().width()))
    return rect


class WarningClick(QObject):
    """Event filter on a card list's viewport: a click on a card's health icon plans or opens its activity."""

    def __init__(
        self, view: QAbstractItemView, card_at: Callable[[int], object], services: Services, actor: Actor
    ) -> None:
        super().__init__(view)
        self._view, self._card_at = view, card_at
        self._services, self._actor = services, actor
        view.viewport().installEventFilter(self)
        view.viewport().setMouseTracking(True)

    def card_for_icon(self, pos) -> object | None:
        index = self._view.indexAt(pos)
        if not index.isValid():
            return None
        card = self._card_at(index.row())
        if getattr(card, "health", None) is None:
            return None
        return card if warning_icon_rect(painted_rect(self._view, index)).contains(pos) else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.MouseMove:
            card = self.card_for_icon(event.position().toPoint())
            self._view.viewport().setCursor(
                Qt.CursorShape.PointingHandCursor if card is not None else Qt.CursorShape.ArrowCursor
            )
            self._view.viewport().setToolTip(TOOLTIP[card.health] if card is not None else "")
        elif kind == QEvent.Type.MouseButtonRelease and event.button() == Qt.MouseButton.LeftButton:
            card = self.card_for_icon(event.position().toPoint())
            if card is not None:
                # After this event, under the window: a dialog's own event loop may rebuild the board,
                # deleting this column (and this filter) while the dialog is open.
                window = self._view.window()
                QTimer.singleShot(0, window, lambda c=card: self.act(window, c.id, c.health))
                return True
        return False

    def act(self, parent: QWidget, opportunity_id, health: Health) -> None:
        """Plans or opens the activity; touches none of the board's widgets (they may be gone)."""
        from app.ui.activities import activity_actions as actions  # late: tests replace its functions

        services, actor = self._services, self._actor
        nearest = None
        if health is not Health.WARNING:  # the activity the icon's colour is about: the soonest planned one
            activities = services.activities

            def soonest():
                return activities.for_record(actor, opportunity_id=opportunity_id, state=ActivityState.PLANNED, limit=1)

            found = op(parent, soonest).run()
            nearest = found[0] if found else None
        if nearest is None:  # nothing planned (or only colleagues' activities this user may not see)
            actions.plan_activity(parent, services, actor, opportunity_id=opportunity_id)
        elif health is Health.PLANNED:
            actions.edit_activity(parent, services, actor, nearest.id)
        else:
            actions.mark_done(parent, services, actor, nearest.id)


def install_warning_click(view: QAbstractItemView, model, services: Services, actor: Actor) -> WarningClick:
    """One line for the board: `install_warning_click(column.view, model, services, actor)`."""
    return WarningClick(view, model.card_at, services, actor)

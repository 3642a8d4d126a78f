"""Clicking a board card's yellow warning icon opens «برنامه‌ریزی فعالیت» for that opportunity (seed 002:
"با انتخاب علامت اخطار روی کاریز ... کاری که باید با مشتری خود انجام دهید را برنامه ریزی کنید")."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QRect, Qt
from PySide6.QtWidgets import QAbstractItemView

from app.services.opportunities.health import Health

if TYPE_CHECKING:
    from app.services.core.actor import Actor
    from app.services.core.registry import Services


def warning_icon_rect(card_rect: QRect) -> QRect:
    """Where the card delegate paints the health icon (app/ui/opportunities/card_delegate.py), with some slack."""
    from app.ui.opportunities.card_delegate import ICON, MARGIN, PAD

    inner = card_rect.adjusted(MARGIN + PAD, MARGIN // 2 + PAD // 2, -MARGIN - PAD, -MARGIN // 2 - PAD // 2)
    line = inner.height() // 4
    icon = QRect(inner.right() - ICON, inner.top() + (line - ICON) // 2, ICON, ICON)
    return icon.adjusted(-4, -4, 4, 4)


class WarningClick(QObject):
    """Event filter on a card list's viewport: a click on a WARNING card's icon plans an activity."""

    def __init__(
        self,
        view: QAbstractItemView,
        card_at: Callable[[int], object],
        services: Services,
        actor: Actor,
        plan: Callable | None = None,
    ) -> None:
        super().__init__(view)
        self._view, self._card_at = view, card_at
        self._services, self._actor = services, actor
        self._plan = plan
        view.viewport().installEventFilter(self)
        view.viewport().setMouseTracking(True)

    def card_for_icon(self, pos) -> object | None:
        index = self._view.indexAt(pos)
        if not index.isValid():
            return None
        card = self._card_at(index.row())
        if getattr(card, "health", None) is not Health.WARNING:
            return None
        return card if warning_icon_rect(self._view.visualRect(index)).contains(pos) else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.MouseMove:
            card = self.card_for_icon(event.position().toPoint())
            self._view.viewport().setCursor(
                Qt.CursorShape.PointingHandCursor if card is not None else Qt.CursorShape.ArrowCursor
            )
            self._view.viewport().setToolTip("برنامه‌ریزی فعالیت برای این فرصت" if card is not None else "")
        elif kind == QEvent.Type.MouseButtonRelease and event.button() == Qt.MouseButton.LeftButton:
            card = self.card_for_icon(event.position().toPoint())
            if card is not None:
                self.plan(card.id)
                return True
        return False

    def plan(self, opportunity_id) -> None:
        if self._plan is not None:
            self._plan(opportunity_id)
            return
        from app.ui.activities.activity_actions import plan_activity

        plan_activity(self._view, self._services, self._actor, opportunity_id=opportunity_id)


def install_warning_click(view: QAbstractItemView, model, services: Services, actor: Actor) -> WarningClick:
    """One line for the board: `install_warning_click(column.view, model, services, actor)`."""
    return WarningClick(view, model.card_at, services, actor)

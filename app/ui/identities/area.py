"""The identities area in the main window: the «هویت‌ها» dock (quick search, import, merge) and the
identity and advanced-search forms."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

from app.ui.areas import Area, Dock

if TYPE_CHECKING:
    from app.services.core.actor import Actor
    from app.services.core.registry import Services
    from app.ui.common.list_panel import ListPanel
    from app.ui.main_window import MainWindow


def _identity_panel(window: MainWindow, services: Services, actor: Actor) -> ListPanel:
    from app.ui.identities.identity_dock import identity_panel

    panel = identity_panel(services, actor, window.settings)
    # Double-click, Enter, «+ هویت» (Ctrl+N) and «جستجوی پیشرفته» open record tabs.
    panel.sig_open_record.connect(window.tabs.open_record)
    return panel


AREA = Area(
    name="identities",
    docks=(Dock("identity", "هویت‌ها", "identityDock", Qt.DockWidgetArea.RightDockWidgetArea, _identity_panel),),
    forms=("app.ui.identities.identity_form", "app.ui.identities.advanced_search_form"),
)

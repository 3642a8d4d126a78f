"""The reports area in the main window: the «گزارش‌ها» dock, beside the cardboard on a first start, and
the manager's dashboard in a tab of its own (from the dock's «داشبورد» button or the «نما» menu)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from app.ui.areas import Area, Dock
from app.ui.reports import DASHBOARD, DASHBOARD_TITLE

if TYPE_CHECKING:
    from app.services.core.actor import Actor
    from app.services.core.registry import Services
    from app.ui.main_window import MainWindow
    from app.ui.reports.reports_panel import ReportsPanel

DASHBOARD_ACTION = "dashboardAction"


def _reports_panel(window: MainWindow, services: Services, actor: Actor) -> ReportsPanel:
    from app.ui.reports.reports_panel import ReportsPanel

    panel = ReportsPanel(services, actor)
    panel.sig_open_record.connect(window.tabs.open_record)
    return panel


def _install(window: MainWindow, _services: Services, _actor: Actor) -> None:
    if window.settings.value("main/state") is None:  # a saved layout keeps the user's placement
        window.tabifyDockWidget(window.cardboard_dock, window.reports_dock)
        window.cardboard_dock.raise_()
    if window.view_menu.findChild(QAction, DASHBOARD_ACTION) is None:  # installed again at a change of user
        dashboard = window.view_menu.addAction(DASHBOARD_TITLE)
        dashboard.setObjectName(DASHBOARD_ACTION)
        dashboard.triggered.connect(lambda: window.tabs.open_record(*DASHBOARD))


AREA = Area(
    name="reports",
    docks=(Dock("reports", "گزارش‌ها", "reportsDock", Qt.DockWidgetArea.LeftDockWidgetArea, _reports_panel),),
    forms=("app.ui.reports.dashboard",),
    install=_install,
)

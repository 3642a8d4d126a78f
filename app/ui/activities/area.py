"""Connects the activities area to the main window: record forms, menu actions, the cardboard's
record opening, recently opened records and reminders. Called once from MainWindow.attach."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from app.services.core.errors import ServiceError
from app.ui.areas import Area, Dock
from app.ui.common.record_form import FORMS
from app.ui.ops import op

if TYPE_CHECKING:
    from app.services.core.actor import Actor
    from app.services.core.registry import Services
    from app.ui.main_window import MainWindow

log = logging.getLogger(__name__)


def open_record(window: MainWindow, kind: str, record_id) -> None:
    """Opens a record in a tab when its form exists; otherwise says so in the status bar."""
    if kind not in FORMS:
        window.statusBar().showMessage("باز کردن این نوع رکورد هنوز ممکن نیست.", 4000)
        return
    window.tabs.open_record(kind, record_id)


def attach_activities(window: MainWindow, services: Services, actor: Actor, reminders: bool = True) -> None:
    from app.ui.activities import activity_actions as actions  # imported here: it loads the database layer
    from app.ui.activities.reminders import ReminderController, make_tray

    window.cardboard_panel.refresh_in_background()  # the calendar and quick buttons are known now

    def remember(kind: str, record_id) -> None:
        def not_remembered(_exc: ServiceError) -> bool:
            log.warning("could not remember the opened record %s %s", kind, record_id)
            return True  # a bookkeeping write: nothing to tell the user

        op(window, lambda: services.recent.record_opened(actor, kind, record_id)).failure(
            not_remembered
        ).run_in_background()

    window.tabs.sig_record_opened.connect(remember)

    tools = next((a.menu() for a in window.menuBar().actions() if a.text() == "ابزار"), None)
    if tools is not None:
        tools.addSeparator()
        new_activity = QAction("فعالیت جدید…", window, shortcut=QKeySequence("Ctrl+Shift+A"))
        new_activity.triggered.connect(lambda: actions.plan_activity(window, services, actor))
        calendar = QAction("تقویم فعالیت‌ها", window, shortcut=QKeySequence("Ctrl+Shift+L"))
        calendar.triggered.connect(lambda: open_record(window, "calendar", "me"))
        tools.addActions([new_activity, calendar])
        if actor.is_admin:
            types = QAction("انواع فعالیت…", window)
            types.triggered.connect(lambda: _edit_types(window, services, actor))
            tools.addAction(types)

    if reminders:
        window.reminders = ReminderController(
            services,
            actor,
            window,
            lambda activity_id: open_record(window, "activity", activity_id),
            tray=make_tray(window),
        )
        QTimer.singleShot(0, window.reminders.start)  # after the window has painted its docks


def _edit_types(window: MainWindow, services: Services, actor: Actor) -> None:
    from app.ui.activities.activity_types_dialog import ActivityTypesDialog

    ActivityTypesDialog(services, actor, window).exec()


def _cardboard(window: MainWindow, services: Services, actor: Actor) -> QWidget:
    from app.ui.activities.cardboard_dock import CardboardPanel

    panel = CardboardPanel(services, actor)
    panel.sig_title_changed.connect(window.cardboard_dock.setWindowTitle)
    panel.sig_open_record.connect(lambda kind, rid: open_record(window, kind, rid))
    return panel


AREA = Area(
    name="activities",
    # Right is the start side in RTL: the lists sit there; the cardboard on the left.
    docks=(Dock("cardboard", "کارتابل", "cardboardDock", Qt.DockWidgetArea.LeftDockWidgetArea, _cardboard),),
    forms=("app.ui.activities.calendar_view", "app.ui.activities.activity_form"),
    install=attach_activities,
)

"""Reminders while the program runs: a tray message and an in-app popup when an activity is due.

One single-shot QTimer sleeps until the next reminder time the service reports (re-armed whenever
activities change), so nothing polls whole tables. Reminders missed while the program was closed are
listed once in one popup at start-up, not raised one by one.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSystemTrayIcon,
    QVBoxLayout,
    QWidget,
)

from app.models import utcnow
from app.persian import format_datetime, format_number
from app.services.core.labels import ACTIVITY_KIND
from app.ui.activities import activity_actions as actions
from app.ui.common.activity_icons import type_icon
from app.ui.events import change_bus
from app.ui.ops import op

if TYPE_CHECKING:
    from app.services.activities.reminders import Reminder
    from app.services.core.actor import Actor
    from app.services.core.registry import Services

MAX_SLEEP_MS = 15 * 60 * 1000  # wake at least this often (a changed clock, a reminder from another PC)
SNOOZE_SHORT, SNOOZE_LONG = 10, 60
TITLE_NOW = "یادآوری فعالیت"
TITLE_MISSED = "یادآوری‌های از دست رفته"


def describe(reminder: Reminder) -> str:
    what = f"{ACTIVITY_KIND[reminder.kind]}: {reminder.summary}"
    text = f"{format_datetime(reminder.due_at)} — {what} ({reminder.identity_name})"
    if reminder.opportunity_title:
        text += f" · {reminder.opportunity_title}"
    return text


class ReminderPopup(QDialog):
    """Non-modal popup: one row per reminder with open / done / snooze 10 min / snooze 1 hour."""

    sig_open = Signal(object)
    """Open the activity (its id) in the main window."""

    def __init__(self, services: Services, actor: Actor, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services, self._actor = services, actor
        self.setObjectName("reminderPopup")
        self.setWindowTitle(title)
        self.setMinimumWidth(700)
        self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint)
        self.heading = QLabel(objectName="reminderHeading")
        self.rows_box = QWidget()
        self.rows = QVBoxLayout(self.rows_box)
        self.rows.addStretch()
        scroll = QScrollArea(widgetResizable=True)
        scroll.setWidget(self.rows_box)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        close = QPushButton("بستن")
        close.clicked.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(scroll, 1)
        layout.addWidget(close, alignment=Qt.AlignmentFlag.AlignLeft)
        self.reminder_ids: list[uuid.UUID] = []

    def add(self, reminders: list[Reminder]) -> None:
        for reminder in reminders:
            if reminder.id not in self.reminder_ids:
                self.reminder_ids.append(reminder.id)
                self.rows.insertWidget(self.rows.count() - 1, self._row(reminder))
        self._update_heading()

    def _row(self, reminder: Reminder) -> QWidget:
        row = QFrame(objectName="reminderRow")
        row.setProperty("activity_id", reminder.id)
        icon = QLabel()
        icon.setPixmap(type_icon(None).pixmap(20, 20))
        text = QLabel(describe(reminder), wordWrap=True)
        buttons = (
            ("باز کردن", "openButton", lambda: self.sig_open.emit(reminder.id)),
            ("انجام شد…", "doneButton", lambda: self._done(row, reminder.id)),
            ("۱۰ دقیقه بعد", "snooze10Button", lambda: self._snooze(row, reminder.id, SNOOZE_SHORT)),
            ("یک ساعت بعد", "snooze60Button", lambda: self._snooze(row, reminder.id, SNOOZE_LONG)),
        )
        layout = QHBoxLayout(row)
        layout.addWidget(text, 1)
        for label, name, slot in buttons:
            button = QPushButton(label, objectName=name)
            button.clicked.connect(slot)
            layout.addWidget(button)
        return row

    def row_for(self, activity_id: uuid.UUID) -> QFrame | None:
        return next(
            (w for w in self.rows_box.findChildren(QFrame, "reminderRow") if w.property("activity_id") == activity_id),
            None,
        )

    def _done(self, row: QWidget, activity_id: uuid.UUID) -> None:
        if actions.mark_done(self, self._services, self._actor, activity_id) is not None:
            self._drop(row, activity_id)

    def _snooze(self, row: QWidget, activity_id: uuid.UUID, minutes: int) -> None:
        reminders, actor = self._services.reminders, self._actor
        snooze = op(self, lambda: reminders.snooze(actor, activity_id, minutes))
        snooze.failure(lambda _exc: True).run()  # done or deleted meanwhile: nothing to remind
        self._drop(row, activity_id)

    def _drop(self, row: QWidget, activity_id: uuid.UUID) -> None:
        if activity_id in self.reminder_ids:
            self.reminder_ids.remove(activity_id)
        row.hide()
        row.deleteLater()
        self._update_heading()
        if not self.reminder_ids:
            self.close()

    def _update_heading(self) -> None:
        self.heading.setText(f"{format_number(len(self.reminder_ids))} فعالیت به موعد رسیده است.")


class ReminderController(QObject):
    sig_reminded = Signal(list)
    """Emitted with the reminders just raised (a list of Reminder)."""

    def __init__(
        self,
        services: Services,
        actor: Actor,
        window: QWidget,
        open_activity: Callable[[uuid.UUID], None],
        clock: Callable[[], dt.datetime] = utcnow,
        tray: QSystemTrayIcon | None = None,
    ) -> None:
        super().__init__(window)
        self._services, self._actor, self._window = services, actor, window
        self._open_activity = open_activity
        self._clock = clock
        self.tray = tray
        self.popup: ReminderPopup | None = None
        self._stopped = False
        self.timer = QTimer(self, singleShot=True)
        self.timer.timeout.connect(self.fire)
        self._rearm = QTimer(self, singleShot=True, interval=0)  # coalesces a burst of changes
        self._rearm.timeout.connect(self.schedule)
        change_bus().sig_changed.connect(self._changed)
        window.installEventFilter(self)  # a closed window stops reminding

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.Close:
            self.stop()
        return False

    def start(self) -> None:
        """At start-up: what came due while the program was closed, listed once; then wait for the next."""
        self._stopped = False
        missed = self._services.reminders.due(self._actor, self._clock())
        if missed:
            self._show(missed, TITLE_MISSED)
        self.schedule()

    def stop(self) -> None:
        self._stopped = True
        self.timer.stop()
        self._rearm.stop()

    def schedule(self) -> None:
        """Sleeps until the next reminder (at most MAX_SLEEP_MS)."""
        if self._stopped:
            return
        when = self._services.reminders.next_time(self._actor, self._clock())
        if when is None:
            self.timer.start(MAX_SLEEP_MS)
            return
        wait_ms = int((when - self._clock()).total_seconds() * 1000)
        self.timer.start(max(0, min(wait_ms, MAX_SLEEP_MS)))

    def fire(self) -> None:
        if self._stopped:
            return
        due = self._services.reminders.due(self._actor, self._clock())
        if due:
            self._show(
                due, TITLE_NOW if (self.popup is None or not self.popup.isVisible()) else self.popup.windowTitle()
            )
            if self.tray is not None and self.tray.isVisible():
                body = describe(due[0]) if len(due) == 1 else f"{format_number(len(due))} فعالیت به موعد رسیده است."
                self.tray.showMessage(TITLE_NOW, body, QSystemTrayIcon.MessageIcon.Information, 10_000)
        self.schedule()

    def _show(self, reminders: list[Reminder], title: str) -> None:
        if self.popup is None or not self.popup.isVisible():
            self.popup = ReminderPopup(self._services, self._actor, title, self._window)
            self.popup.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.popup.sig_open.connect(self._open_activity)
            popup = self.popup
            # An earlier popup may be deleted later (during an operation's wait): it must not forget this one.
            popup.destroyed.connect(lambda *_args: self._forget_popup(popup))
        self.popup.add(reminders)
        self.popup.show()
        self.popup.raise_()
        service, actor, ids, now = self._services.reminders, self._actor, [r.id for r in reminders], self._clock()
        op(self._window, lambda: service.acknowledge(actor, ids, now)).run()  # listed once: not again next time
        self.sig_reminded.emit(reminders)

    def _forget_popup(self, popup: ReminderPopup) -> None:
        if self.popup is popup:
            self.popup = None

    def _changed(self, table: str, _ids) -> None:
        if table == "activities":  # a reminder is an activity's due time or snooze
            self._rearm.start()


def make_tray(window: QWidget) -> QSystemTrayIcon | None:
    """A tray icon for reminder messages, where the desktop has a tray."""
    if not QSystemTrayIcon.isSystemTrayAvailable():
        return None
    tray = QSystemTrayIcon(window.windowIcon() if not window.windowIcon().isNull() else type_icon("bell"), window)
    tray.setToolTip("پیوند")
    tray.show()
    return tray

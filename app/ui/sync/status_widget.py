"""The laptop's status bar part: «همگام‌سازی: ۵ دقیقه پیش، ۳ تغییر در صف، ۱ تعارض» and its button.

It reads the status off the GUI thread and again after every local write (the change bus; a burst of
writes reads once). The button syncs behind a progress dialog with cancel; a timer syncs quietly every
five minutes when the office answers, and a quiet failure only marks the line and says why in its
tooltip. The conflicts part opens the conflicts dialog.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QInputDialog, QLabel, QLineEdit, QMenu, QToolButton, QWidget

from app.ui.events import change_bus, publish
from app.ui.ops import op, report_progress
from app.ui.sync.sync_calls import Snapshot, background_sync, read_snapshot
from app.ui.sync.texts import SEPARATOR, SYNC_LABEL, conflicts_part, report_text, status_line

if TYPE_CHECKING:
    from app.services.core.actor import Actor
    from app.services.core.errors import ServiceError
    from app.services.core.registry import Services
    from app.services.sync.service import SyncReport, SyncService
    from app.ui.tasks import Task

AUTO_SYNC_MS = 5 * 60 * 1000
CLOCK_MS = 60 * 1000  # «۵ دقیقه پیش» moves on without reading the database
CONFIRM_MS = 8000
REREAD_MS = 300  # a burst of writes reads the status once
FAILED_MARK = "⚠ "
PROGRESS_TITLE = "همگام‌سازی با دفتر"
PASSWORD_TITLE = "گذرواژه سرور"
OTHER_PASSWORD = "همگام‌سازی با گذرواژه تازه…"
PASSWORD_PROMPT = "گذرواژه ورود شما به سرور دفتر (یک بار پرسیده و در انبار امن سیستم نگه داشته می‌شود):"


class SyncStatusWidget(QWidget):
    def __init__(self, services: Services, actor: Actor, sync: SyncService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncStatus")
        self._services, self._actor = services, actor
        self._service = sync
        self._snapshot = Snapshot(None, None)
        self._failure: str | None = None
        self._task: Task | None = None
        self.line = QLabel()
        self.conflicts = QLabel()
        self.conflicts.setToolTip("نمایش تعارض‌های همگام‌سازی")
        self.conflicts.linkActivated.connect(lambda _link: self.open_conflicts())
        self.button = QToolButton(text=SYNC_LABEL)
        self.button.setToolTip("همگام‌سازی با سرور دفتر")
        self.button.clicked.connect(lambda: self.sync_now())
        # A password changed at the office would otherwise fail every sync with no way to type the new one.
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        menu = QMenu(self.button)
        menu.addAction(OTHER_PASSWORD).triggered.connect(lambda: self.sync_now(ask=True))
        self.button.setMenu(menu)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.line, self.conflicts, self.button):
            layout.addWidget(widget)
        self._reread = QTimer(self, singleShot=True, interval=REREAD_MS)
        self._reread.timeout.connect(self.refresh)
        self._clock = QTimer(self, interval=CLOCK_MS)
        self._clock.timeout.connect(self._show)
        self._clock.start()
        self.auto_timer = QTimer(self, interval=AUTO_SYNC_MS)
        self.auto_timer.timeout.connect(self.sync_in_background)
        self.auto_timer.start()
        change_bus().sig_changes.connect(self._changed)

    # --- reading ---------------------------------------------------------------------------------
    def _changed(self, _changes: object) -> None:
        self._reread.start()

    def refresh(self) -> None:
        service, db, actor = self._service, self._services.db, self._actor
        op(self, lambda: read_snapshot(service, db, actor)).success(self._read).failure(self._quiet).run_in_background()

    def _read(self, snapshot: Snapshot) -> None:
        self._snapshot = snapshot
        self._show()

    def _show(self) -> None:
        status = self._snapshot.status
        if status is None:
            self.line.setText(f"{SYNC_LABEL}: —")
            self.conflicts.clear()
            return
        mark = FAILED_MARK if self._failure else ""
        self.line.setText(mark + status_line(status.last_sync_at, status.waiting))
        self.line.setToolTip(self._failure or f"{status.device_name}{SEPARATOR}{status.server}")
        part = conflicts_part(status.conflicts_open)
        self.conflicts.setText(f'{SEPARATOR.strip()} <a href="conflicts">{part}</a>' if part else "")

    # --- syncing ---------------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._task is not None

    def sync_now(self, ask: bool = False) -> None:
        """The button: asks the password if none is stored (or `ask`), then syncs behind a progress dialog;
        a password typed here is stored once a sync with it went through."""
        laptop = self._snapshot.laptop
        if self.running or laptop is None:
            return
        from app.ui.sync.credentials import saved_password

        stored = None if ask else saved_password(laptop.login, laptop.server)
        password = stored or self.ask_password()
        if not password:
            return
        service, actor = self._service, self._actor
        operation = (
            op(self, lambda: service.sync(actor, password, progress=report_progress))
            .progress(PROGRESS_TITLE)
            .success(lambda report: self._synced(report, None if stored else password, confirm=True))
            .failure(self._loud)
        )
        self._start(operation.run_in_background())

    def sync_in_background(self) -> None:
        """The timer's sync: nothing is asked or shown but the line and its tooltip."""
        if self.running or self._snapshot.laptop is None:
            return
        service, db, actor = self._service, self._services.db, self._actor
        operation = op(self, lambda: background_sync(service, db, actor)).success(self._synced).failure(self._quiet)
        self._start(operation.run_in_background())

    def ask_password(self) -> str:
        password, ok = QInputDialog.getText(self, PASSWORD_TITLE, PASSWORD_PROMPT, QLineEdit.EchoMode.Password)
        return password if ok else ""

    def _start(self, task: Task) -> None:
        self._task = task
        self.button.setEnabled(False)
        for ended in (task.sig_finished, task.sig_failed, task.sig_cancelled):
            ended.connect(self._ended)

    def _ended(self, *_outcome: object) -> None:
        self._task = None
        self.button.setEnabled(True)
        self.refresh()

    def _synced(self, report: SyncReport, new_password: str | None = None, confirm: bool = False) -> None:
        self._failure = None
        if report.changes:
            publish(report.changes)  # what the office sent: the open views follow it
        status_bar = getattr(self.window(), "statusBar", None)
        if confirm and callable(status_bar):  # a pressed sync confirms quietly, as a save does
            status_bar().showMessage(report_text(report), CONFIRM_MS)
        laptop = self._snapshot.laptop
        if new_password and laptop is not None:
            from app.ui.sync.credentials import save_password

            save_password(laptop.login, laptop.server, new_password)

    def _quiet(self, exc: ServiceError) -> bool:
        self._failure = exc.message
        self._show()
        return True  # handled: no dialog

    def _loud(self, exc: ServiceError) -> bool:
        self._quiet(exc)
        return False  # the operation shows the message too: the user pressed the button

    def open_conflicts(self) -> None:
        from app.ui.sync.conflicts_dialog import open_conflicts

        open_conflicts(self.window(), self._services, self._actor)

"""The «فایل» menu's backup items, the list to restore from, and every question they ask.

`BackupPrompts` gathers the questions, so the menu actions and the start-up check can be driven in
tests with canned answers instead of modal dialogs. Work on the database file runs off the UI
thread (app.ui.tasks); the services module is imported only when an item is used, so building the
menu does not pull the database layer in before the window is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.persian import format_datetime, format_number, to_persian_digits
from app.services.admin.backup import RESTORE_FAILED, BackupInfo
from app.services.core.errors import ServiceError
from app.ui.errors import show_error
from app.ui.tasks import Task, TaskContext, run_with_progress

if TYPE_CHECKING:
    from app.services.core.actor import Actor
    from app.services.core.database import Database
    from app.services.core.registry import Services

Context = Callable[[], "tuple[Services | None, Actor | None]"]
"""What the window has attached: services and actor, or Nones before attach()."""

KIND_NAMES = {
    "daily": "روزانه",
    "weekly": "هفتگی",
    "manual": "دستی",
    "pre-migration": "پیش از به‌روزرسانی برنامه",
    "pre-restore": "پیش از بازیابی",
}
_COLUMNS = ("تاریخ و ساعت", "نوع", "اندازه")


def format_size(n_bytes: int) -> str:
    """4_665_344 → «۴٫۴ مگابایت»: one decimal is enough to tell copies apart."""
    if n_bytes < 1024 * 1024:
        return f"{format_number(max(1, round(n_bytes / 1024)))} کیلوبایت"
    return f"{to_persian_digits(f'{n_bytes / (1024 * 1024):.1f}').replace('.', '٫')} مگابایت"


def describe_backup(info: BackupInfo) -> str:
    """«۱۴۰۵/۰۹/۰۱ ۱۴:۳۰ (روزانه)», local time."""
    return f"{format_datetime(info.created_at)} ({KIND_NAMES.get(info.kind, info.kind)})"


class RestoreDialog(QDialog):
    """Backups newest first (the newest selected); `value()` is the chosen file.

    «فایل دیگر…» picks any file instead, e.g. a copy brought on a USB stick; it is verified
    like the others before anything is replaced.
    """

    def __init__(self, backups: list[BackupInfo], parent: QWidget | None = None, note: str = "") -> None:
        super().__init__(parent)
        self._backups = backups
        self._other: Path | None = None
        self.setWindowTitle("بازیابی از نسخه پشتیبان")
        layout = QVBoxLayout(self)
        if not backups and not note:
            note = "در پوشه پشتیبان‌ها نسخه‌ای نیست؛ با «فایل دیگر…» فایلی را انتخاب کنید."
        self.note = QLabel(note, wordWrap=True, visible=bool(note))
        self.note.setObjectName("formMessage")
        layout.addWidget(self.note)
        layout.addWidget(QLabel("نسخه‌ای را که می‌خواهید جایگزین پایگاه داده شود انتخاب کنید:"))
        self.table = QTableWidget(len(backups), len(_COLUMNS))
        self.table.setHorizontalHeaderLabels(_COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        for row, info in enumerate(backups):
            cells = (
                format_datetime(info.created_at),
                KIND_NAMES.get(info.kind, info.kind),
                format_size(info.size_bytes),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(str(info.path))  # where the file is, for the curious
                self.table.setItem(row, column, item)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(self.accept)
        self.table.itemSelectionChanged.connect(self._update_ok)
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = buttons.addButton("بازیابی", QDialogButtonBox.ButtonRole.AcceptRole)
        self.other_button = buttons.addButton("فایل دیگر…", QDialogButtonBox.ButtonRole.ActionRole)
        self.other_button.clicked.connect(self._choose_other)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        if backups:
            # Not selectRow(): under a right-to-left layout it selects nothing (Qt 6.x, measured).
            self.table.setCurrentCell(0, 0)
        self._update_ok()
        self.resize(560, 380)

    def value(self) -> Path | None:
        if self._other is not None:
            return self._other
        rows = self.table.selectionModel().selectedRows()
        return self._backups[rows[0].row()].path if rows else None

    def _update_ok(self) -> None:
        self.restore_button.setEnabled(bool(self.table.selectionModel().selectedRows()))

    def _choose_other(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "انتخاب فایل نسخه پشتیبان", "", "پایگاه داده (*.db);;همه فایل‌ها (*)"
        )
        if name:
            self._other = Path(name)
            self.accept()


class BackupPrompts:
    """The questions of the backup features, as Qt dialogs; tests pass a subclass with answers."""

    def choose_backup(self, parent: QWidget | None, backups: list[BackupInfo], note: str = "") -> Path | None:
        dialog = RestoreDialog(backups, parent, note)
        try:
            return dialog.value() if dialog.exec() else None
        finally:
            dialog.deleteLater()

    def choose_folder(self, parent: QWidget | None, current: Path) -> Path | None:
        name = QFileDialog.getExistingDirectory(parent, "پوشه پشتیبان‌ها", str(current))
        return Path(name) if name else None

    def confirm(self, parent: QWidget | None, title: str, text: str, yes: str) -> bool:
        """A warning with the action's own verb on the button (not a bare «بله»)."""
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.NoButton, parent)
        accept = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
        box.addButton("انصراف", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        box.deleteLater()
        return box.clickedButton() is accept

    def inform(self, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.information(parent, title, text)


@dataclass(frozen=True)
class Refused:
    """An expected refusal carried back from the worker as a result, so it is shown calmly
    (show_error) rather than as an unexpected error."""

    message: str
    detail: str = ""


def calmly(fn: Callable[..., Any], *args: Any) -> Any:
    try:
        return fn(*args)
    except ServiceError as exc:
        return Refused(exc.message, getattr(exc, "detail", ""))


def _backup_task(context: TaskContext, db: Database) -> BackupInfo | Refused:
    from app.services.admin import backup_jobs
    context.report(0, 0, "در حال تهیه و بررسی نسخه پشتیبان…")
    return calmly(backup_jobs.backup_now, db)


def _restore_task(context: TaskContext, db: Database, actor: Actor, backup: Path) -> Path | None | Refused:
    from app.services.admin import backup_jobs
    context.report(0, 0, "در حال بررسی نسخه پشتیبان و بازیابی…")
    return calmly(backup_jobs.restore_database, db, actor, backup)


def _restore_lost_task(context: TaskContext, db: Database, actor: Actor, backup: Path) -> Path | None | Refused:
    from app.services.admin import backup_jobs
    context.report(0, 0, "در حال بررسی نسخه پشتیبان و بازیابی…")
    db.dispose()  # the connections hold the lost file; the restored one is opened fresh
    return calmly(backup_jobs.restore_file, db.sqlite_path, backup)


class BackupActions(QObject):
    """The «فایل» menu's backup items, acting on whatever the window has attached."""

    def __init__(self, window: QMainWindow, context: Context, prompts: BackupPrompts | None = None) -> None:
        super().__init__(window)
        self._window = window
        self._context = context
        self.prompts = prompts or BackupPrompts()
        self._task: Task | None = None
        self.backup_action = QAction("پشتیبان‌گیری", window)
        self.restore_action = QAction("بازیابی از پشتیبان…", window)
        self.folder_action = QAction("پوشه پشتیبان‌ها…", window)
        self.backup_action.triggered.connect(self.backup_now)
        self.restore_action.triggered.connect(lambda: self.restore())
        self.folder_action.triggered.connect(self.choose_folder)
        self.update_enabled()

    def actions(self) -> list[QAction]:
        return [self.backup_action, self.restore_action, self.folder_action]

    def update_enabled(self) -> None:
        """Greyed out before attach(), for a server database, and (restore, folder) for non-admins."""
        services, actor = self._context()
        usable = services is not None and actor is not None and services.db.sqlite_path is not None
        self.backup_action.setEnabled(usable)
        for action in (self.restore_action, self.folder_action):
            action.setEnabled(usable and actor is not None and actor.is_admin)

    def track(self, task: Task) -> None:
        """A backup job started elsewhere (the daily one): no other starts until it ends."""
        self._task = task

    def backup_now(self) -> Task | None:
        ready = self._ready()
        if ready is None:
            return None
        self._task = run_with_progress(
            self._window, "پشتیبان‌گیری", _backup_task, ready[0].db, on_done=self._backup_done
        )
        return self._task

    def restore(self, note: str = "", lost_folder: Path | None = None) -> Task | None:
        """Choose a backup, confirm, replace the database, then close the app to restart clean.

        `lost_folder`: the database file was deleted or replaced under the app, so its settings
        cannot be read: the backups are looked for there and the file is restored without it."""
        from app.services.admin import backup_jobs
        ready = self._ready(admin=True)
        if ready is None:
            return None
        services, actor = ready
        folder = lost_folder or backup_jobs.backups_dir(services.db)
        backups = backup_jobs.available_backups(folder)
        chosen = self.prompts.choose_backup(self._window, backups, note)
        if chosen is None:
            return None
        label = next((describe_backup(b) for b in backups if b.path == chosen), f"«{chosen.name}»")
        text = (
            f"پایگاه داده با نسخه پشتیبان {label} جایگزین می‌شود و تغییرات بعد از آن از دست می‌رود. "
            "پایگاه داده فعلی پیش از آن در پوشه پشتیبان‌ها نگه داشته می‌شود.\n"
            "پس از بازیابی، برنامه بسته می‌شود تا دوباره باز کنید."
        )
        if not self.prompts.confirm(self._window, "بازیابی از نسخه پشتیبان", text, "بازیابی"):
            return None
        self._task = run_with_progress(
            self._window,
            "بازیابی از نسخه پشتیبان",
            _restore_lost_task if lost_folder else _restore_task,
            services.db,
            actor,
            chosen,
            on_done=self._restore_done,
        )
        return self._task

    def choose_folder(self) -> None:
        from app.services.admin import backup_jobs
        ready = self._ready(admin=True)
        if ready is None:
            return
        services, actor = ready
        folder = self.prompts.choose_folder(self._window, backup_jobs.backups_dir(services.db))
        if folder is None:
            return
        result = calmly(backup_jobs.set_backups_dir, services.db, actor, folder)
        if isinstance(result, Refused):
            show_error(self._window, f"{result.message}.", result.detail)
        else:
            self._window.statusBar().showMessage(f"پوشه پشتیبان‌ها: {result}", 10_000)

    def _ready(self, admin: bool = False) -> tuple[Services, Actor] | None:
        services, actor = self._context()
        if services is None or actor is None or services.db.sqlite_path is None or (admin and not actor.is_admin):
            return None  # the item is greyed out then; this guards a trigger from code
        if self._task is not None and self._task.is_running():
            self._window.statusBar().showMessage("یک کار پشتیبان‌گیری در جریان است؛ کمی بعد دوباره امتحان کنید.", 8000)
            return None
        return services, actor

    def _backup_done(self, result: BackupInfo | Refused) -> None:
        if isinstance(result, Refused):
            show_error(self._window, f"{result.message}. پوشه پشتیبان‌ها و فضای دیسک را بررسی کنید.", result.detail)
        else:
            self._window.statusBar().showMessage(f"نسخه پشتیبان ذخیره شد: {result.path.name}", 10_000)

    def _restore_done(self, result: Path | None | Refused) -> None:
        if not isinstance(result, Refused):
            text = "پایگاه داده از نسخه پشتیبان بازیابی شد. برنامه بسته می‌شود؛ آن را دوباره باز کنید."
            self.prompts.inform(self._window, "بازیابی انجام شد", text)
        elif result.message != RESTORE_FAILED:  # refused before anything was replaced: carry on
            show_error(self._window, f"{result.message}. پایگاه داده تغییری نکرد.", result.detail)
            return
        else:
            show_error(self._window, f"{result.message}. برنامه بسته می‌شود؛ دوباره باز کنید.", result.detail)
        # The docks and open records show the replaced data; a fresh start is the simple safe way.
        self._window.close()

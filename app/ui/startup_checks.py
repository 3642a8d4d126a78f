"""Checks of the SQLite file at start-up: a cheap one before the database opens, the rest just after.

Before the services open, `check_database_file` runs quick_check on small files but reads only the
header and schema of big ones: quick_check reads every page (measured 2.5 ms/MB warm, 15 ms/MB cold;
0.6-2.5 s for a 290 MB file), the schema read costs ~5 ms at any size. A damaged file gets a Persian
question: restore the newest good backup and go on, or quit. After attach, `start_background_checks`
runs quick_check and the day's backup off the UI thread, so damage in a big file is found seconds
later and offered for restore too (the daily copy's integrity_check also catches broken indexes).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEventLoop, QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from app import config
from app.services.admin.backup import BackupError, BackupInfo
from app.services.core.errors import ServiceError
from app.ui.admin.backup_dialogs import Refused, describe_backup
from app.ui.errors import report_exception, show_error
from app.ui.tasks import Task, TaskContext, run_with_progress

if TYPE_CHECKING:
    from app.services.admin.backup_jobs import DailyOutcome
    from app.services.core.registry import Services
    from app.ui.main_window import MainWindow

log = logging.getLogger(__name__)

AskRestore = Callable[[QWidget | None, list[str], BackupInfo | None], bool]
"""(parent, problems, newest good backup or None) -> True to restore it and go on, False to quit."""


def ask_restore_damaged(parent: QWidget | None, problems: list[str], candidate: BackupInfo | None) -> bool:
    box = QMessageBox(QMessageBox.Icon.Critical, "پایگاه داده آسیب دیده است", problems[0], parent=parent)
    box.setDetailedText("\n".join(problems[1:]))
    restore = None
    if candidate is None:
        box.setInformativeText(
            "نسخه پشتیبان سالمی پیدا نشد و برنامه بسته می‌شود. برای بازگرداندن اطلاعات با پشتیبانی تماس بگیرید."
        )
    else:
        box.setInformativeText(
            f"آخرین نسخه پشتیبان سالم: {describe_backup(candidate)}.\n"
            "با بازیابی آن، تغییرات بعد از این زمان از دست می‌رود؛ "
            "فایل آسیب‌دیده در پوشه پشتیبان‌ها نگه داشته می‌شود."
        )
        restore = box.addButton("بازیابی و ادامه", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("خروج", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    box.deleteLater()
    return restore is not None and box.clickedButton() is restore


AskMissing = Callable[[QWidget | None, Path, BackupInfo | None], str]
"""(parent, missing file, newest good backup or None) -> RESTORE, NEW_DATABASE or QUIT."""
RESTORE, NEW_DATABASE, QUIT = "restore", "new", "quit"


def ask_restore_missing(parent: QWidget | None, db_path: Path, candidate: BackupInfo | None) -> str:
    text = f"فایل پایگاه داده‌ای که این برنامه با آن کار می‌کرد پیدا نشد:\n«{db_path}»"
    box = QMessageBox(QMessageBox.Icon.Critical, "پایگاه داده پیدا نشد", text, parent=parent)
    if candidate is None:
        box.setInformativeText("نسخه پشتیبان سالمی پیدا نشد. اگر فایل جابه‌جا شده، آن را برگردانید و برنامه را دوباره باز کنید.")
    else:
        box.setInformativeText(f"آخرین نسخه پشتیبان سالم: {describe_backup(candidate)}.")
    answers = {}
    if candidate is not None:
        answers[box.addButton("بازیابی از نسخه پشتیبان", QMessageBox.ButtonRole.AcceptRole)] = RESTORE
    answers[box.addButton("شروع با پایگاه داده خالی", QMessageBox.ButtonRole.DestructiveRole)] = NEW_DATABASE
    answers[box.addButton("خروج", QMessageBox.ButtonRole.RejectRole)] = QUIT
    box.exec()
    box.deleteLater()
    return answers.get(box.clickedButton(), QUIT)


def check_database_file(
    url: str, parent: QWidget | None, ask: AskRestore = ask_restore_damaged, ask_missing: AskMissing = ask_restore_missing
) -> bool:
    """Before the services open: True to go on (no SQLite file yet, healthy, or restored), False
    when the user chose to quit or the restore failed (after saying so). Never raises."""
    from app.services.admin import backup_jobs  # SQLAlchemy: imported once the window is on screen

    db_path = backup_jobs.sqlite_file(url)
    if db_path is None:
        return True  # a server database
    if not db_path.is_file():
        return _missing_file(db_path, parent, ask_missing)
    try:
        problems = backup_jobs.check_at_startup(db_path)
    except (BackupError, OSError) as exc:
        log.warning("start-up check skipped, the file cannot be read now: %s (%s)", db_path, exc)
        return True  # locked or unreadable is not damaged; opening the database says what is wrong
    if not problems:
        return True
    log.error("damaged database at start-up: %s: %s", db_path, problems)
    folder = backup_jobs.stored_backups_dir(db_path)
    candidate = _wait(parent, "جستجوی نسخه پشتیبان سالم", backup_jobs.find_good_backup, folder)
    if isinstance(candidate, Refused):
        candidate = None
    if not ask(parent, problems, candidate) or candidate is None:
        return False
    result = _wait(parent, "بازیابی از نسخه پشتیبان", backup_jobs.restore_file, db_path, candidate.path)
    if isinstance(result, Refused):
        show_error(parent, f"{result.message}. برنامه بسته می‌شود.", result.detail)
        return False
    log.info("restored %s from %s; the damaged file was kept as %s", db_path, candidate.path, result)
    return True


def _missing_file(db_path: Path, parent: QWidget | None, ask: AskMissing) -> bool:
    """The file this machine worked on is gone: offer its newest good backup before the first-run
    wizard would start a new empty company. A file never opened here is a first start."""
    from app.services.admin import backup_jobs
    from app.services.core import file_guard

    known = config.known_database()
    if known is None or known[0] != db_path.absolute():
        return True
    log.error("the known database file is missing at start-up: %s", db_path)
    file_guard.remove_stale_journal(db_path)
    candidate = _wait(parent, "جستجوی نسخه پشتیبان سالم", backup_jobs.find_good_backup, known[1])
    if isinstance(candidate, Refused):
        candidate = None
    answer = ask(parent, db_path, candidate)
    if answer != RESTORE or candidate is None:
        return answer == NEW_DATABASE
    result = _wait(parent, "بازیابی از نسخه پشتیبان", backup_jobs.restore_file, db_path, candidate.path)
    if isinstance(result, Refused):
        show_error(parent, f"{result.message}. برنامه بسته می‌شود.", result.detail)
        return False
    log.info("restored the missing %s from %s", db_path, candidate.path)
    return True


class _FileLostNotice(QObject):
    """Carries the guard's refusal (raised on whichever thread wrote) to the UI thread."""

    sig_lost = Signal(str)


def watch_database_file(window: MainWindow, services: Services) -> None:
    """Remember the file for the next start, and when a write is refused because the file was
    deleted or replaced under the app, offer the restore once (the form shows the refusal)."""
    guard = services.db.file_guard
    if guard is None:
        return
    from app.services.admin import backup_jobs

    folder = backup_jobs.backups_dir(services.db)  # read now: once the file is lost it cannot be
    config.remember_database(guard.path, folder)
    notice = _FileLostNotice(window)
    offered: list[str] = []

    def offer(message: str) -> None:
        if offered:
            return
        offered.append(message)
        _offer_restore_lost(window, message, folder)

    notice.sig_lost.connect(offer)
    guard.on_lost.append(lambda error: notice.sig_lost.emit(error.message))


def _offer_restore_lost(window: MainWindow, message: str, folder: Path) -> None:
    actions = window.backup_actions
    title = "فایل پایگاه داده از دست رفت"
    actions.update_enabled()
    if not actions.restore_action.isEnabled():  # not an administrator
        actions.prompts.inform(window, title, f"{message} به مدیر برنامه اطلاع دهید.")
    elif actions.prompts.confirm(window, title, message, "انتخاب نسخه پشتیبان…"):
        actions.restore(note=message, lost_folder=folder)


def start_background_checks(window: MainWindow, services: Services) -> Task | None:
    """After attach(): quick_check and the day's backup off the UI thread, with no dialog.

    A new copy is named in the status bar; damage is offered for restore; a failed copy is
    explained, since a silently missing backup is worse than a message.
    """
    db_path = services.db.sqlite_path
    if db_path is None:
        return None
    from app.services.admin import backup_jobs
    task = Task(_daily_task, db_path, backup_jobs.backups_dir(services.db))
    task.sig_finished.connect(lambda outcome: _daily_done(window, outcome))
    task.sig_failed.connect(lambda exc: _daily_failed(window, exc))
    window.backup_actions.track(task)
    task.start()
    return task


def _daily_task(context: TaskContext, db_path: Path, folder: Path) -> DailyOutcome:
    from app.services.admin.backup_jobs import daily_check_and_backup

    return daily_check_and_backup(db_path, folder)


def _daily_done(window: MainWindow, outcome: DailyOutcome) -> None:
    if outcome.problems:
        log.error("damaged database found after start-up: %s", outcome.problems)
        _offer_restore(window, outcome.problems)
    elif outcome.backup is not None:
        window.statusBar().showMessage(f"نسخه پشتیبان روزانه ذخیره شد: {outcome.backup.path.name}", 10_000)


def _offer_restore(window: MainWindow, problems: list[str]) -> None:
    actions = window.backup_actions
    title = "پایگاه داده آسیب دیده است"
    actions.update_enabled()
    if not actions.restore_action.isEnabled():  # not an administrator
        actions.prompts.inform(window, title, f"{problems[0]}. به مدیر برنامه اطلاع دهید.")
        return
    text = f"{problems[0]}. تا خرابی بیشتر نشده، آن را از یک نسخه پشتیبان سالم بازیابی کنید."
    if actions.prompts.confirm(window, title, text, "انتخاب نسخه پشتیبان…"):
        actions.restore(note=problems[0])


def _daily_failed(window: MainWindow, exc: BaseException) -> None:
    if not isinstance(exc, BackupError):
        report_exception(exc)
        return
    show_error(
        window,
        f"پشتیبان‌گیری روزانه انجام نشد: {exc.message}. پوشه پشتیبان‌ها را از «فایل ← پوشه پشتیبان‌ها…» بررسی کنید.",
        exc.detail,
    )


def _wait(parent: QWidget | None, title: str, fn: Callable[..., Any], *args: Any) -> Any:
    """fn(*args) off the UI thread behind a progress dialog, waited for: a big file takes seconds,
    and a frozen window looks like a crash. Every exception comes back as Refused."""
    outcome: list[Any] = []
    task = run_with_progress(parent, title, _guarded, fn, *args, on_done=outcome.append)
    waiting = QEventLoop()
    for signal in (task.sig_finished, task.sig_failed, task.sig_cancelled):
        signal.connect(waiting.quit)
    waiting.exec()
    return outcome[0] if outcome else Refused("کار با فایل پایگاه داده انجام نشد")


def _guarded(context: TaskContext, fn: Callable[..., Any], *args: Any) -> Any:
    try:
        return fn(*args)
    except ServiceError as exc:
        return Refused(exc.message, getattr(exc, "detail", ""))
    except Exception as exc:  # at start-up nothing may escape as a crash
        log.exception("start-up backup work failed")
        return Refused("کار با فایل پایگاه داده انجام نشد", f"{type(exc).__name__}: {exc}")

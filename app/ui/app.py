"""Starting the GUI: Qt set-up, the window shell, then the database, first run and live data.

The database layer is imported only after the window is on screen (see MainWindow's docstring).
"""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from app import config
from app.ui.errors import install_error_handler, setup_logging, show_error
from app.ui.main_window import MainWindow
from app.ui.qt_setup import configure_application
from app.ui.startup_checks import check_database_file, start_background_checks, watch_database_file
from app.ui.tasks import held, settle

if TYPE_CHECKING:
    from app.services.core.actor import Actor
    from app.services.core.registry import Services

log = logging.getLogger(__name__)

MIGRATING_TITLE = "به‌روزرسانی پایگاه داده"
MIGRATING_TEXT = (
    "پایگاه داده برای این نسخهٔ برنامه به‌روز می‌شود. پیش از آن یک نسخهٔ پشتیبان از پرونده گرفته می‌شود.\n"
    "در پرونده‌های بزرگ ممکن است چند دقیقه طول بکشد؛ لطفاً برنامه را نبندید."
)


def ui_settings() -> QSettings:
    """Window layout and other per-machine UI state, in an INI file in the config folder."""
    return QSettings(str(config.config_dir() / "peyvand-ui.ini"), QSettings.Format.IniFormat)


def open_services(url: str, parent: QWidget | None = None) -> Services | None:
    """Opens and migrates the database; a failure becomes a Persian dialog, not a traceback."""
    from app.services.core.errors import SchemaOutOfStep  # no SQLAlchemy: errors are plain classes

    services = None
    try:
        from app.services.core import migrations
        from app.services.core.registry import Services

        services = Services.open(url)
        if migrations.current_revision(services.db) not in (None, migrations.SCHEMA_HEAD):
            _push_before_migrating(services)
            _upgrade_behind_a_dialog(services, parent)
        else:
            migrations.upgrade(services.db)  # at head: nothing to do; a new file: its schema, in a moment
        return services
    except SchemaOutOfStep as exc:
        log.warning("database not opened: %s", exc.message)
        services.db.dispose()
        show_error(parent, exc.message)
        return None
    except Exception:
        log.exception("opening the database failed: %s", url)
        show_error(
            parent,
            "پایگاه داده باز نشد. ممکن است فایل آسیب دیده یا در دسترس نباشد.",
            details=f"{url}\nجزئیات در فایل گزارش برنامه ثبت شده است.",
        )
        return None


def _upgrade_behind_a_dialog(services: Services, parent: QWidget | None) -> None:
    """Migrates off the GUI thread behind a dialog that cannot be cancelled: with the backup made first, a
    migration can take a minute on a large file (0024 at a million identities), and a window that stops
    painting that long looks hung. A failure is raised here, to be shown by its kind as before."""
    from app.services.core import migrations
    from app.ui.ops import op, report_progress

    def upgrade() -> Exception | None:  # worker thread
        report_progress(0, 0, MIGRATING_TEXT)
        try:
            migrations.upgrade(services.db)
        except Exception as exc:  # handed back to open_services, which knows how to tell the user
            return exc
        return None

    failure = op(parent, upgrade).progress(MIGRATING_TITLE, cancellable=False).run()
    if failure is not None:
        raise failure


def _push_before_migrating(services: Services) -> None:
    """A laptop copy about to be migrated sends what waits in its outbox first, under the schema it was
    made in; out of reach, it is migrated anyway (the outbox's rows stay valid: columns are only added)."""
    from app.services.core.errors import ServiceError
    from app.services.sync import state
    from app.ui.sync.credentials import saved_password

    laptop = state.load(services.db)
    if laptop is None:
        return
    try:
        services.sync.push_pending(saved_password(laptop.login, laptop.server))
    except ServiceError as exc:
        log.warning("the outbox could not be sent before the migration: %s", exc.message)


def _database_is_empty(services: Services, actor: Actor) -> bool:
    from app.services.identities.service import IdentityQuery

    return services.identities.count(actor, IdentityQuery()) == 0


def _load_sample_data(services: Services, parent: QWidget | None) -> None:
    """Builds the sample data behind a progress dialog and waits: the docks open on it."""
    from app.services.demo import DemoBuilder  # imported only when asked for: it pulls in the document services
    from app.ui.tasks import run_with_progress

    def build(context) -> None:
        DemoBuilder(services.db, progress=context.report).run(identities=500, opportunities=150)

    task = run_with_progress(parent, "بارگذاری داده‌های نمونه", build)
    waiting = QEventLoop()
    for signal in (task.sig_finished, task.sig_failed, task.sig_cancelled):
        signal.connect(waiting.quit)
    waiting.exec()


def first_run(services: Services, parent: QWidget | None = None) -> Actor | None:
    """No administrator has a password yet: the wizard asks for the company's details, the
    administrator's account and offers sample data. Returns the administrator, now logged in,
    or None if the user cancels."""
    from app.ui.admin.first_run_wizard import FirstRunWizard

    actor = services.users.ensure_admin()
    wizard = FirstRunWizard(services.settings, services.users, actor, _database_is_empty(services, actor), parent)
    if not wizard.exec() or wizard.admin is None:
        return None
    if wizard.sample_data.isChecked():
        _load_sample_data(services, parent)
    return wizard.admin


def _describe_company(services: Services, actor: Actor, parent: QWidget | None) -> bool:
    """An administrator made on the command line logs in before the company has been described."""
    from app.ui.admin.company_dialog import CompanyDialog

    dialog = CompanyDialog(services.settings, actor, parent, offer_sample_data=_database_is_empty(services, actor))
    if not dialog.exec():
        return False
    if dialog.sample_data.isChecked():
        _load_sample_data(services, parent)
    return True


def sign_in(services: Services, parent: QWidget | None = None) -> Actor | None:
    """Who works in this session: the first-run wizard until an administrator has a password,
    then the login dialog. None when the user cancels (the application then quits)."""
    if services.users.needs_admin_setup():
        return first_run(services, parent)
    from app.ui.admin.login_dialog import LoginDialog

    dialog = LoginDialog(services.users, services.settings.company().name, parent)
    if not dialog.exec() or dialog.actor is None:
        return None
    if dialog.actor.is_admin and services.settings.is_first_run():
        return dialog.actor if _describe_company(services, dialog.actor, parent) else None
    return dialog.actor


def follow_sessions(window: MainWindow, services: Services) -> None:
    """After «خروج از حساب» or «تعویض کاربر» (the window has closed its records): the login dialog again,
    then a fresh window for whoever logs in, with their own remembered records. Cancelling the dialog
    quits after logging out, and returns to the same user when switching."""

    def ended(switching: bool) -> None:
        actor = sign_in(services, window)
        if actor is None:
            if switching:
                window.resume_session()
            else:
                window.close()
            return
        fresh = MainWindow(window.settings)
        fresh.show()  # before the old window closes, or the application would quit with it
        fresh.attach(services, actor)
        watch_database_file(fresh, services)
        follow_sessions(fresh, services)
        window.close()
        window.deleteLater()

    window.sig_session_ended.connect(ended)


def take_screenshot(window: QWidget, path: Path) -> None:
    settle()  # the counts, the board and the cardboard read in the background: shown, not «loading»
    QApplication.processEvents()
    path.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(path)):
        raise OSError(f"cannot write {path}")


def _bench_mark(label: str) -> None:
    """For bench/startup.py: the moment a start-up step is on screen, with the CPU seconds spent so far by
    the process and by the GUI thread (on a loaded machine the wall time alone says little)."""
    print(f"{label} {time.time()} {time.process_time()} {time.thread_time()}", flush=True)


def run_gui(
    url: str, screenshot: Path | None = None, quit_when_shown: bool = False, size: tuple[int, int] | None = None
) -> int:
    if screenshot is not None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a screenshot needs no screen
    app = QApplication.instance() or QApplication(sys.argv)
    setup_logging()  # first: a font or Qt's Persian translations not found is logged
    configure_application(app)
    install_error_handler(app)
    window = MainWindow(ui_settings())
    if size is not None:
        window.resize(*size)
    window.show()
    app.processEvents()  # paint the window before the database work starts
    if quit_when_shown:
        _bench_mark("shown")

    if not check_database_file(url, window):  # a damaged file: restored, or the user chose to quit
        return 1
    services = open_services(url, window)
    if services is None:
        return 1
    interactive = screenshot is None and not quit_when_shown
    # Unattended starts (a screenshot, the start-up bench) act as the first administrator, unasked.
    actor = sign_in(services, window) if interactive else services.users.ensure_admin()
    if actor is None:
        return 0
    with held():  # the lists' first rows are painted before the background reads start
        window.attach(services, actor)
        app.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
    if interactive:
        start_background_checks(window, services)  # quick_check and the day's backup, off the UI thread
        watch_database_file(window, services)  # remembered for the next start; a lost file offers a restore
        follow_sessions(window, services)
    if screenshot is not None:
        take_screenshot(window, screenshot)
        return 0
    if quit_when_shown:
        _bench_mark("rows")
        QTimer.singleShot(0, app.quit)
    if not services.db.is_sqlite:  # on the office server other users write too: hear them
        from app.ui.server.live_refresh import LiveRefresh

        live = LiveRefresh(services.db, app)  # outlives a window replaced at a change of user
        live.start()
        app.aboutToQuit.connect(live.stop)
    return app.exec()

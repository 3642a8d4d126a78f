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

if TYPE_CHECKING:
    from app.services.actor import Actor
    from app.services.registry import Services

log = logging.getLogger(__name__)


def ui_settings() -> QSettings:
    """Window layout and other per-machine UI state, in an INI file in the config folder."""
    return QSettings(str(config.config_dir() / "peyvand-ui.ini"), QSettings.Format.IniFormat)


def open_services(url: str, parent: QWidget | None = None) -> Services | None:
    """Opens and migrates the database; a failure becomes a Persian dialog, not a traceback."""
    try:
        from app.services import migrations
        from app.services.registry import Services

        services = Services.open(url)
        migrations.upgrade(services.db)
        return services
    except Exception:
        log.exception("opening the database failed: %s", url)
        show_error(
            parent,
            "پایگاه داده باز نشد. ممکن است فایل آسیب دیده یا در دسترس نباشد.",
            details=f"{url}\nجزئیات در فایل گزارش برنامه ثبت شده است.",
        )
        return None


def first_run(services: Services, actor: Actor, parent: QWidget | None = None) -> bool:
    """Asks for the company's details and offers sample data; False if the user cancels."""
    from app.ui.dialogs.company_dialog import CompanyDialog
    from app.ui.tasks import run_with_progress

    dialog = CompanyDialog(services.settings, actor, parent, offer_sample_data=True)
    if not dialog.exec():
        return False
    if dialog.sample_data.isChecked():
        from app.services.demo import DemoBuilder  # Faker is heavy: imported only when asked for

        def build(context) -> None:
            DemoBuilder(services.db, progress=context.report).run(identities=500, opportunities=150)

        task = run_with_progress(parent, "بارگذاری داده‌های نمونه", build)
        waiting = QEventLoop()
        for signal in (task.sig_finished, task.sig_failed, task.sig_cancelled):
            signal.connect(waiting.quit)
        waiting.exec()  # the docks open on the finished sample data
    return True


def take_screenshot(window: QWidget, path: Path) -> None:
    QApplication.processEvents()
    path.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(path)):
        raise OSError(f"cannot write {path}")


def _bench_mark(label: str) -> None:
    """For bench/startup.py: the moment a start-up step is on screen."""
    print(f"{label} {time.time()}", flush=True)


def run_gui(url: str, screenshot: Path | None = None, quit_when_shown: bool = False) -> int:
    if screenshot is not None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a screenshot needs no screen
    app = QApplication.instance() or QApplication(sys.argv)
    configure_application(app)
    setup_logging()
    install_error_handler(app)
    window = MainWindow(ui_settings())
    window.show()
    app.processEvents()  # paint the window before the database work starts
    if quit_when_shown:
        _bench_mark("shown")

    services = open_services(url, window)
    if services is None:
        return 1
    actor = services.users.ensure_admin()
    interactive = screenshot is None and not quit_when_shown
    if interactive and services.settings.is_first_run() and not first_run(services, actor, window):
        return 0
    window.attach(services, actor)
    if screenshot is not None:
        take_screenshot(window, screenshot)
        return 0
    if quit_when_shown:
        app.processEvents()
        _bench_mark("rows")
        QTimer.singleShot(0, app.quit)
    return app.exec()

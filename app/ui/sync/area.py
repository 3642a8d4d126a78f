"""Offline sync in the main window (declared in app/ui/areas.py, no dock of its own).

On the office server an administrator gets «ابزار ← دستگاه‌ها…» and «فایل ← فایل همگام‌سازی ← خواندن
فایل همگام‌سازی لپ‌تاپ…». On a laptop copy the status bar shows the sync and «فایل همگام‌سازی» makes
and reads the files carried by hand; anywhere else «ابزار ← کار بیرون از دفتر…» makes this computer one.
Whether this is a laptop copy (its sync state) is read off the GUI thread, so the menus appear a moment
after the docks; the sync's services are imported only where they are used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from app.ui.areas import Area

if TYPE_CHECKING:
    from app.services.core.actor import Actor
    from app.services.core.registry import Services
    from app.services.sync.state import LaptopState
    from app.ui.main_window import MainWindow


def _menu(window: MainWindow, title: str) -> QMenu:
    return next(a.menu() for a in window.menuBar().actions() if a.text() == title)


def _beside_server(window: MainWindow, menu: QMenu, text: str) -> QAction:
    """A new item right after «اتصال به سرور…», where the administrator manages the office's computers."""
    items = menu.actions()
    at = items.index(window.server_action) + 1
    action = QAction(text, menu)
    menu.insertAction(items[at] if at < len(items) else None, action)
    return action


def _open_devices(window: MainWindow, services: Services, actor: Actor) -> None:
    from app.ui.sync.devices_dialog import DevicesDialog

    DevicesDialog(services.devices, services.users.list_users(actor), actor, window).exec()


def _open_laptop_setup(window: MainWindow) -> None:
    from app.ui.sync.laptop_setup import LaptopSetupDialog

    LaptopSetupDialog(window).exec()


def _install(window: MainWindow, services: Services, actor: Actor) -> None:
    from app.services.sync import state
    from app.ui.ops import op
    from app.ui.sync.bundle_actions import BundleActions

    window.sync_files = BundleActions(window, services, actor)
    tools = _menu(window, "ابزار")
    if not services.db.is_sqlite and actor.is_admin:
        devices = _beside_server(window, tools, "دستگاه‌ها…")
        devices.triggered.connect(lambda: _open_devices(window, services, actor))
        window.sync_files.add_office_items()
        _menu(window, "فایل").insertMenu(window.switch_user_action, window.sync_files.menu)

    def found(laptop: LaptopState | None) -> None:
        if laptop is None:
            setup = _beside_server(window, tools, "کار بیرون از دفتر…")
            setup.triggered.connect(lambda: _open_laptop_setup(window))
            return
        from app.ui.sync.status_widget import SyncStatusWidget

        window.sync_status = SyncStatusWidget(services, actor, services.sync, window)
        bar = window.statusBar()
        bar.removeWidget(window.date_label)  # taken out and put back: the date stays at the far end
        bar.addPermanentWidget(window.sync_status)
        bar.addPermanentWidget(window.date_label)
        window.date_label.show()
        window.sync_status.refresh()
        window.sync_files.add_laptop_items()
        _menu(window, "فایل").insertMenu(window.switch_user_action, window.sync_files.menu)

    op(window, lambda: state.load(services.db)).success(found).run_in_background()


AREA = Area(name="sync", install=_install)

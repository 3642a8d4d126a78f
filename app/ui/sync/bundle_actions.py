"""«فایل ← فایل همگام‌سازی»: the sync carried by hand (USB, e-mail) when a laptop never reaches the office.

On a laptop: «ساختن فایل همگام‌سازی…» writes what waits to be sent, «خواندن فایل بازگشتی…» takes in
the office's answer. At the office (administrator): «خواندن فایل همگام‌سازی لپ‌تاپ…» applies a laptop's
file and then asks where to save its return file. The files are signed and encrypted by the services.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMainWindow, QMenu, QMessageBox

from app.persian import format_number
from app.ui.events import publish
from app.ui.ops import op
from app.ui.sync import files
from app.ui.sync.texts import report_text

if TYPE_CHECKING:
    from app.services.core.actor import Actor
    from app.services.core.registry import Services
    from app.services.sync.bundle import ImportReport
    from app.services.sync.service import SyncReport

MENU_TITLE = "فایل همگام‌سازی"
RETURN_LOST = (
    "فایل بازگشتی ذخیره نشد. تغییرات لپ‌تاپ در دفتر ثبت شده‌اند؛ برای ساختن دوباره فایل بازگشتی، همان "
    "فایل همگام‌سازی را یک بار دیگر بخوانید."
)


def import_text(report: ImportReport) -> str:
    """«فایل «لپ‌تاپ مریم» (مریم احمدی) خوانده شد: ۳ تغییر ثبت شد، ۱ تعارض.»"""
    parts = [f"{format_number(report.applied)} تغییر ثبت شد"]
    if report.repeated:
        parts.append(f"{format_number(report.repeated)} تغییر پیش‌تر رسیده بود")
    if report.rejected:
        parts.append(f"{format_number(report.rejected)} تغییر را دفتر نپذیرفت")
    if report.conflicts:
        parts.append(f"{format_number(report.conflicts)} تعارض")
    return f"فایل «{report.device_name}» ({report.user_name}) خوانده شد: {'، '.join(parts)}."


class BundleActions:
    """The menu's items for this window; which ones depends on the database (laptop or office)."""

    def __init__(self, window: QMainWindow, services: Services, actor: Actor) -> None:
        self._window, self._services, self._actor = window, services, actor
        self.menu = QMenu(MENU_TITLE, window)
        self.menu.setObjectName("syncFilesMenu")

    def add_laptop_items(self) -> None:
        self.menu.addAction("ساختن فایل همگام‌سازی…").triggered.connect(lambda: self.export_bundle())
        self.menu.addAction("خواندن فایل بازگشتی…").triggered.connect(lambda: self.import_return())

    def add_office_items(self) -> None:
        self.menu.addAction("خواندن فایل همگام‌سازی لپ‌تاپ…").triggered.connect(lambda: self.import_bundle())

    def _inform(self, title: str, text: str) -> None:
        QMessageBox.information(self._window, title, text)

    # --- laptop -----------------------------------------------------------------------------------
    def export_bundle(self) -> None:
        suggested = Path.home() / f"همگام‌سازی{files.BUNDLE_SUFFIX}"
        path = files.ask_save_path(
            self._window, "ساختن فایل همگام‌سازی", suggested, files.BUNDLE_FILTER, files.BUNDLE_SUFFIX
        )
        if path is None:
            return
        from app.services.sync import bundle

        db, actor = self._services.db, self._actor
        op(self._window, lambda: bundle.export_bundle(db, actor, path)).progress("ساختن فایل همگام‌سازی").success(
            lambda count: self._inform(
                "فایل همگام‌سازی",
                f"فایل «{path.name}» با {format_number(count)} تغییر ساخته شد. آن را به دفتر بفرستید؛ "
                "فایل بازگشتی دفتر را با «خواندن فایل بازگشتی…» بخوانید.",
            )
        ).run()

    def import_return(self) -> None:
        path = files.ask_open_path(self._window, "خواندن فایل بازگشتی", files.RETURN_FILTER)
        if path is None:
            return
        from app.services.sync import bundle

        db, actor = self._services.db, self._actor
        op(self._window, lambda: bundle.import_return(db, actor, path)).progress("خواندن فایل بازگشتی").success(
            self._returned
        ).run()

    def _returned(self, report: SyncReport) -> None:
        if report.changes:
            publish(report.changes)  # what the office sent: the open views follow it
        self._inform("فایل بازگشتی", report_text(report))

    # --- office -----------------------------------------------------------------------------------
    def import_bundle(self) -> None:
        """Applies the laptop's file, then asks where its return file goes (made first in a temporary
        folder: reading the same file again makes it again, so a cancelled save loses nothing)."""
        path_in = files.ask_open_path(self._window, "خواندن فایل همگام‌سازی لپ‌تاپ", files.BUNDLE_FILTER)
        if path_in is None:
            return
        from app.services.sync import bundle

        db, actor = self._services.db, self._actor
        folder = Path(tempfile.mkdtemp(prefix="peyvand-return-"))
        made = folder / f"{path_in.stem}{files.RETURN_SUFFIX}"
        try:
            reading = op(self._window, lambda: bundle.import_bundle(db, actor, path_in, made))
            report = reading.progress("خواندن فایل همگام‌سازی لپ‌تاپ").run()
            if reading.succeeded:
                self._save_return(made, import_text(report))
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def _save_return(self, made: Path, summary: str) -> None:
        suggested = Path.home() / made.name
        target = files.ask_save_path(
            self._window, "ذخیره فایل بازگشتی", suggested, files.RETURN_FILTER, files.RETURN_SUFFIX
        )
        if target is None:
            self._inform("فایل بازگشتی", RETURN_LOST)
            return
        try:
            shutil.copyfile(made, target)
        except OSError:
            self._inform("فایل بازگشتی", RETURN_LOST)
            return
        self._inform("فایل همگام‌سازی", f"{summary}\nفایل بازگشتی «{target.name}» را به همان لپ‌تاپ برگردانید.")

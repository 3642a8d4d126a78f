"""Opening a file an older Peyvand made: the migration (a backup first) runs off the GUI thread behind a dialog
that says what is happening and cannot be cancelled; a failure is still told as «the database did not open»."""

from __future__ import annotations

import threading
import time

from alembic import command
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel

from app.services.core import migrations
from app.services.core.database import Database
from app.ui import app as ui_app
from app.ui.tasks import SHOW_DELAY_MS, ProgressDialog
from tests.conftest import sqlite_url


def _older_file(tmp_path) -> str:
    url = sqlite_url(tmp_path / "older.db")
    db = Database(url)
    migrations.upgrade(db)
    cfg = migrations._config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0023_identities_name_brin")
    db.dispose()
    return url


def _dialogs() -> list[ProgressDialog]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, ProgressDialog) and w.isVisible()]


def test_the_migration_runs_in_the_background_behind_a_dialog_without_cancel(tmp_path, monkeypatch, qtbot) -> None:
    url = _older_file(tmp_path)
    real_upgrade = migrations.upgrade
    threads, seen = [], []

    def slow_upgrade(db, backups_dir=None):
        threads.append(threading.current_thread())
        deadline = time.monotonic() + 10 + SHOW_DELAY_MS / 1000
        while not seen and time.monotonic() < deadline:  # until the dialog has been looked at
            time.sleep(0.05)
        return real_upgrade(db, backups_dir=tmp_path / "backups")

    def look() -> None:  # while the migration runs: the dialog, its text, no cancel; Esc does nothing
        for dialog in [] if seen else _dialogs():
            dialog.reject()
            buttons = dialog.findChild(QDialogButtonBox)
            texts = [label.text() for label in dialog.findChildren(QLabel)]
            seen.append((dialog.windowTitle(), texts, buttons.isVisible(), dialog.isVisible()))

    monkeypatch.setattr(migrations, "upgrade", slow_upgrade)
    watch = QTimer(interval=50)
    watch.timeout.connect(look)
    watch.start()
    services = ui_app.open_services(url)
    watch.stop()
    assert services is not None
    try:
        assert migrations.current_revision(services.db) == migrations.SCHEMA_HEAD
        assert threads and threads[0] is not threading.main_thread()
        assert seen == [(ui_app.MIGRATING_TITLE, [ui_app.MIGRATING_TEXT], False, True)]
        qtbot.waitUntil(lambda: not _dialogs())
    finally:
        services.db.dispose()


def test_a_failed_migration_is_told_as_before_and_opens_nothing(tmp_path, monkeypatch, qtbot) -> None:
    url = _older_file(tmp_path)
    shown = []

    def broken(db, backups_dir=None):
        raise OSError("disk full")

    monkeypatch.setattr(migrations, "upgrade", broken)
    monkeypatch.setattr(ui_app, "show_error", lambda parent, message, **kw: shown.append(message))
    assert ui_app.open_services(url) is None
    assert shown == ["پایگاه داده باز نشد. ممکن است فایل آسیب دیده یا در دسترس نباشد."]
    qtbot.waitUntil(lambda: not _dialogs())

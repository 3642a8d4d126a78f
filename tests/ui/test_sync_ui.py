"""Offline sync in the window: the laptop's status bar part and its button, the office's devices, the
laptop's setup and the sync files (app/ui/sync). Real widgets on a real database; the sync services
that are still being built answer through tests/ui/sync_fakes.py."""

from __future__ import annotations

import datetime as dt
import json
import sys
import types
import uuid
from pathlib import Path

import keyring
import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMessageBox

from app import config
from app.persian import format_datetime
from app.services.core.changes import Changes
from app.services.core.errors import ServiceError
from app.ui import ops
from app.ui.events import publish
from app.ui.main_window import MainWindow
from app.ui.qt_setup import configure_application
from app.ui.sync import bundle_actions, files, laptop_setup, sync_calls
from app.ui.sync.devices_dialog import DevicesDialog, RegisterDialog
from app.ui.sync.laptop_setup import LaptopSetupDialog
from app.ui.sync.status_widget import AUTO_SYNC_MS, SyncStatusWidget
from app.ui.sync.texts import relative_time, status_line
from tests.ui.persian_typing import type_text
from tests.ui.sync_fakes import SERVER, FakeSync, Registration, Report, Status, make_laptop, memory_vault

NOW = dt.datetime(2026, 12, 4, 12, 0, tzinfo=dt.UTC)
SCREEN = (1366, 768)


@pytest.fixture
def vault():
    memory, previous = memory_vault()
    yield memory
    keyring.set_keyring(previous)


@pytest.fixture
def shown_errors(monkeypatch):
    said: list[str] = []
    monkeypatch.setattr(ops, "show_error", lambda _parent, message, details=None: said.append(message))
    return said


@pytest.fixture
def informed(monkeypatch):
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _parent, _title, text, *a: said.append(text))
    return said


def fake_module(monkeypatch, name: str, **attributes) -> types.ModuleType:
    """A sync service module not on main yet, answered by the test."""
    module = types.ModuleType(name)
    for key, value in attributes.items():
        setattr(module, key, value)
    monkeypatch.setitem(sys.modules, name, module)
    package, _, leaf = name.rpartition(".")
    monkeypatch.setattr(sys.modules[package], leaf, module, raising=False)
    return module


def shot(widget, path: Path) -> None:
    QApplication.processEvents()
    assert widget.grab().save(str(path))
    assert path.stat().st_size > 5000


# --- the words ---------------------------------------------------------------------------------------
def test_relative_times_and_the_status_line_are_persian() -> None:
    assert relative_time(NOW - dt.timedelta(seconds=20), NOW) == "همین حالا"
    assert relative_time(NOW - dt.timedelta(minutes=5), NOW) == "۵ دقیقه پیش"
    assert relative_time(NOW - dt.timedelta(hours=3, minutes=2), NOW) == "۳ ساعت پیش"
    assert relative_time(NOW - dt.timedelta(days=1, hours=2), NOW) == "دیروز"
    assert relative_time(NOW - dt.timedelta(days=3), NOW) == "۳ روز پیش"
    assert relative_time(dt.datetime(2026, 11, 1, 12, 0), NOW).startswith("۱۴۰۵/۰۸/۱۰")  # naive is UTC
    assert relative_time(None, NOW) == "هنوز انجام نشده"
    assert status_line(NOW - dt.timedelta(minutes=5), 3, NOW) == "همگام‌سازی: ۵ دقیقه پیش، ۳ تغییر در صف"
    assert status_line(NOW, 0, NOW) == "همگام‌سازی: همین حالا"


# --- the status bar part -----------------------------------------------------------------------------
@pytest.fixture
def laptop(services, admin):
    make_laptop(services.db, admin.user_id, admin.login)
    return FakeSync(Status(dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5), waiting=3, conflicts_open=1))


@pytest.fixture
def status(qtbot, services, admin, laptop):
    configure_application(QApplication.instance())
    widget = SyncStatusWidget(services, admin, laptop)
    qtbot.addWidget(widget)
    widget.show()
    widget.refresh()
    qtbot.waitUntil(lambda: "تغییر در صف" in widget.line.text())
    return widget


def test_status_shows_last_sync_queue_and_conflicts_and_follows_local_writes(qtbot, status, laptop, monkeypatch):
    assert status.line.text() == "همگام‌سازی: ۵ دقیقه پیش، ۳ تغییر در صف"
    assert "۱ تعارض" in status.conflicts.text()
    assert status.auto_timer.isActive() and status.auto_timer.interval() == AUTO_SYNC_MS == 5 * 60 * 1000

    laptop.status_value.waiting, laptop.status_value.conflicts_open = 4, 0
    publish(Changes.of("identities", [uuid.uuid4()]))  # a local write: one more transaction waits
    qtbot.waitUntil(lambda: "۴ تغییر در صف" in status.line.text())
    assert status.conflicts.text() == ""

    opened = []
    laptop.status_value.conflicts_open = 2
    status.refresh()
    qtbot.waitUntil(lambda: "۲ تعارض" in status.conflicts.text())
    fake_module(monkeypatch, "app.ui.sync.conflicts_dialog", open_conflicts=lambda *args: opened.append(args))
    status.conflicts.linkActivated.emit("conflicts")
    assert opened and opened[0][1:] == (status._services, status._actor)


def test_the_button_asks_the_password_once_then_uses_the_stored_one(qtbot, status, laptop, vault, informed):
    asked = []
    status.ask_password = lambda: asked.append(1) or "گذرواژه-۱"
    status.button.click()
    qtbot.waitUntil(lambda: not status.running)
    assert laptop.calls == ["گذرواژه-۱"] and len(asked) == 1
    assert "گذرواژه-۱" in vault.items.values()

    status.button.click()
    qtbot.waitUntil(lambda: not status.running)
    assert laptop.calls == ["گذرواژه-۱", "گذرواژه-۱"] and len(asked) == 1  # asked once


def test_a_pressed_sync_that_fails_says_why_and_keeps_no_password(qtbot, status, laptop, vault, shown_errors):
    laptop.fail = "دسترسی این دستگاه لغو شده است."
    status.ask_password = lambda: "غلط"
    status.button.click()
    qtbot.waitUntil(lambda: not status.running)
    assert shown_errors == ["دسترسی این دستگاه لغو شده است."]
    assert status.line.text().startswith("⚠") and status.line.toolTip() == "دسترسی این دستگاه لغو شده است."
    assert vault.items == {}  # a password that did not work is not stored


def test_cancelling_the_password_question_syncs_nothing(qtbot, status, laptop, vault):
    status.ask_password = lambda: ""
    status.button.click()
    assert not status.running and laptop.calls == []


def test_the_background_sync_fails_quietly_in_the_tooltip(qtbot, status, laptop, vault, shown_errors):
    status.sync_in_background()  # nothing answers on the laptop's server port
    qtbot.waitUntil(lambda: not status.running)
    assert laptop.calls == [] and shown_errors == []
    assert status.line.toolTip() == sync_calls.UNREACHABLE and status.line.text().startswith("⚠")


def test_the_background_sync_runs_with_the_stored_password(qtbot, status, laptop, vault, shown_errors, monkeypatch):
    monkeypatch.setattr(sync_calls, "server_reachable", lambda server: server == SERVER)
    status.sync_in_background()
    qtbot.waitUntil(lambda: not status.running)
    assert laptop.calls == [] and status.line.toolTip() == sync_calls.NO_PASSWORD  # never asks in the background

    from app.ui.sync.credentials import save_password

    save_password(status._snapshot.laptop.login, SERVER, "رمز")
    status.sync_in_background()
    qtbot.waitUntil(lambda: not status.running)
    qtbot.waitUntil(lambda: not status.line.text().startswith("⚠"))
    assert laptop.calls == ["رمز"] and shown_errors == []


# --- devices (office) ----------------------------------------------------------------------------------
class FakeDevices:
    def __init__(self, user_id: uuid.UUID) -> None:
        self.user_id = user_id
        registered = dt.datetime(2026, 11, 20, 8, 30, tzinfo=dt.UTC)
        self.rows = [
            types.SimpleNamespace(
                id=uuid.uuid4(),
                user_id=user_id,
                user_name="مریم احمدی",
                name="لپ‌تاپ مریم",
                code="K3",
                registered_at=registered,
                last_seen_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=12),
                revoked_at=None,
            ),
            types.SimpleNamespace(
                id=uuid.uuid4(),
                user_id=user_id,
                user_name="علی رضایی",
                name="لپ‌تاپ قدیمی",
                code="A1",
                registered_at=registered,
                last_seen_at=None,
                revoked_at=registered + dt.timedelta(days=3),
            ),
        ]

    def list(self, actor):
        return list(self.rows)

    def register(self, actor, user_id, name):
        if not name:
            raise ServiceError("نام دستگاه را وارد کنید.")
        device_id = uuid.uuid4()
        self.rows.append(
            types.SimpleNamespace(
                id=device_id,
                user_id=user_id,
                user_name="مدیر",
                name=name,
                code="Z9",
                registered_at=dt.datetime.now(dt.UTC),
                last_seen_at=None,
                revoked_at=None,
            )
        )
        return Registration("hub", device_id, "Z9", name, user_id, "admin", "cd" * 32, SERVER)

    def rename(self, actor, device_id, name):
        next(r for r in self.rows if r.id == device_id).name = name
        return Changes()

    def revoke(self, actor, device_id):
        next(r for r in self.rows if r.id == device_id).revoked_at = dt.datetime.now(dt.UTC)
        return Changes()


@pytest.fixture
def devices_dialog(qtbot, services, admin):
    configure_application(QApplication.instance())
    fake = FakeDevices(admin.user_id)
    dialog = DevicesDialog(fake, services.users.list_users(admin), admin)
    qtbot.addWidget(dialog)
    dialog.resize(*SCREEN)
    dialog.show()
    return dialog, fake


def test_devices_list_register_rename_and_revoke(qtbot, devices_dialog, admin, tmp_path):
    dialog, fake = devices_dialog
    table = dialog.table
    assert [table.item(0, c).text() for c in (0, 1, 2, 4, 5)] == ["مریم احمدی", "لپ‌تاپ مریم", "K3", "۱۲ دقیقه پیش", "—"]
    assert table.item(0, 3).text() == format_datetime(fake.rows[0].registered_at)
    assert table.item(1, 4).text() == "هرگز" and table.item(1, 5).text().startswith("۱۴۰۵/")
    shot(dialog, tmp_path / "devices.png")

    table.setCurrentCell(1, 0)  # a revoked device can be neither renamed nor revoked again
    assert not dialog.rename_button.isEnabled() and not dialog.revoke_button.isEnabled()

    target = tmp_path / "لپ‌تاپ علی"
    dialog.ask_registration = lambda: (admin.user_id, "لپ‌تاپ علی")
    dialog.ask_device_file = lambda name: files.with_suffix(str(target), files.DEVICE_SUFFIX)
    dialog.register_button.click()
    saved = tmp_path / "لپ‌تاپ علی.peyvand-device"
    assert json.loads(saved.read_text(encoding="utf-8"))["device_name"] == "لپ‌تاپ علی"
    assert table.rowCount() == 3 and dialog.selected().name == "لپ‌تاپ علی"
    assert "ثبت شد" in dialog.message.text()

    table.setCurrentCell(0, 0)
    dialog.ask_name = lambda current: "لپ‌تاپ تازه مریم"
    dialog.rename_button.click()
    assert table.item(0, 1).text() == "لپ‌تاپ تازه مریم" and dialog.selected().code == "K3"

    dialog.confirm_revoke = lambda device: False
    dialog.revoke_button.click()
    assert fake.rows[0].revoked_at is None
    dialog.confirm_revoke = lambda device: True
    dialog.revoke_button.click()
    assert fake.rows[0].revoked_at is not None and table.item(0, 5).text().startswith("۱۴۰۵/")


def test_the_register_dialog_offers_active_users(qtbot, services, admin, tmp_path):
    configure_application(QApplication.instance())
    dialog = RegisterDialog(services.users.list_users(admin))
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(dialog.name, "لپ‌تاپ مریم")
    assert dialog.value() == (admin.user_id, "لپ‌تاپ مریم")
    shot(dialog, tmp_path / "register.png")


# --- laptop setup ----------------------------------------------------------------------------------------
@pytest.fixture
def registration_file(tmp_path, admin) -> Path:
    path = tmp_path / "مریم.peyvand-device"
    reg = Registration("hub", uuid.uuid4(), "K3", "لپ‌تاپ مریم", admin.user_id, "admin", "ab" * 32, SERVER)
    path.write_text(reg.to_json(), encoding="utf-8")
    return path


@pytest.fixture
def first_copies(monkeypatch):
    made: list[tuple] = []

    def first_copy(registration, password, local_url, progress=None):
        progress(1, 3, "ساختن جدول‌ها")
        if password != "درست":
            raise ServiceError("گذرواژه سرور درست نیست.")
        Path(local_url.removeprefix("sqlite:///")).write_bytes(b"SQLite format 3\0")
        made.append((registration.device_name, local_url))

    fake_module(monkeypatch, "app.services.sync.devices", Registration=Registration)
    fake_module(monkeypatch, "app.services.sync.setup", first_copy=first_copy)
    return made


@pytest.fixture
def setup_dialog(qtbot):
    configure_application(QApplication.instance())
    dialog = LaptopSetupDialog()
    qtbot.addWidget(dialog)
    dialog.resize(*SCREEN)
    dialog.show()
    return dialog


def test_laptop_setup_makes_the_copy_stores_the_password_and_restarts_onto_it(
    qtbot, setup_dialog, registration_file, first_copies, vault, monkeypatch, tmp_path
):
    restarted = []
    monkeypatch.setattr(laptop_setup, "restart", lambda: restarted.append(1))
    assert setup_dialog.local.text() == str(config.data_dir() / "peyvand-laptop.db")  # platformdirs' data folder
    shot(setup_dialog, tmp_path / "laptop_setup.png")

    setup_dialog.accept()  # nothing chosen yet: each field says what it needs
    assert setup_dialog.form.rows["registration"].error.text() and setup_dialog.form.rows["password"].error.text()

    setup_dialog.registration.setText(str(registration_file))
    type_text(setup_dialog.password, "غلط")
    setup_dialog.accept()
    assert setup_dialog.message.text() == "گذرواژه سرور درست نیست."
    assert not Path(setup_dialog.local.text()).exists() and config.laptop_database() is None and not restarted

    setup_dialog.password.clear()
    type_text(setup_dialog.password, "درست")
    setup_dialog.accept()
    local = config.data_dir() / "peyvand-laptop.db"
    assert first_copies == [("لپ‌تاپ مریم", f"sqlite:///{local.as_posix()}")] and restarted == [1]
    assert config.laptop_database() == local and config.resolve_db_url() == f"sqlite:///{local.as_posix()}"
    assert list(vault.items.values()) == ["درست"]

    again = LaptopSetupDialog()  # the file is there now: a second copy never overwrites it
    qtbot.addWidget(again)
    again.registration.setText(str(registration_file))
    type_text(again.password, "درست")
    again.accept()
    assert again.form.rows["local"].error.text() == laptop_setup.EXISTS and restarted == [1]


def test_a_file_that_is_not_a_registration_is_refused_by_its_field(qtbot, setup_dialog, first_copies, tmp_path):
    wrong = tmp_path / "wrong.peyvand-device"
    wrong.write_text("not json", encoding="utf-8")
    setup_dialog.registration.setText(str(wrong))
    type_text(setup_dialog.password, "درست")
    setup_dialog.accept()
    assert setup_dialog.form.rows["registration"].error.text() == laptop_setup.BAD_FILE and first_copies == []


# --- sync files ------------------------------------------------------------------------------------------
def test_sync_files_on_a_laptop_and_at_the_office(qtbot, services, admin, informed, monkeypatch, tmp_path):
    configure_application(QApplication.instance())
    written = []

    def import_bundle(db, actor, path_in, path_out):
        path_out.write_text(f"return for {path_in.name}", encoding="utf-8")

    fake_module(
        monkeypatch,
        "app.services.sync.bundle",
        export_bundle=lambda db, actor, path: written.append(path) or 3,
        import_return=lambda db, actor, path: Report(pulled=12, conflicts=1, changes=Changes.of("identities", None)),
        import_bundle=import_bundle,
    )
    window = MainWindow(QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    actions = bundle_actions.BundleActions(window, services, admin)
    actions.add_laptop_items()
    assert [a.text() for a in actions.menu.actions()] == ["ساختن فایل همگام‌سازی…", "خواندن فایل بازگشتی…"]

    out = tmp_path / "بیرون.peyvand-sync"
    monkeypatch.setattr(files, "ask_save_path", lambda *args: out)
    actions.export_bundle()
    assert written == [out] and "۳ تغییر" in informed[-1]

    heard = []
    from app.ui.events import change_bus

    change_bus().sig_changed.connect(lambda table, ids: heard.append(table))
    monkeypatch.setattr(files, "ask_open_path", lambda *args: tmp_path / "دفتر.peyvand-return")
    actions.import_return()
    assert heard == ["identities"] and informed[-1].startswith("۰ تغییر فرستاده شد، ۱۲ تغییر از دفتر رسید، ۱ تعارض")

    office = bundle_actions.BundleActions(window, services, admin)
    office.add_office_items()
    monkeypatch.setattr(files, "ask_open_path", lambda *args: tmp_path / "مریم.peyvand-sync")
    target = tmp_path / "برای مریم.peyvand-return"
    monkeypatch.setattr(files, "ask_save_path", lambda *args: target)
    office.import_bundle()
    assert target.read_text(encoding="utf-8") == "return for مریم.peyvand-sync" and "برگردانید" in informed[-1]
    monkeypatch.setattr(files, "ask_save_path", lambda *args: None)
    office.import_bundle()
    assert informed[-1] == bundle_actions.RETURN_LOST


# --- the main window --------------------------------------------------------------------------------------
def _tools(window) -> list[str]:
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "ابزار")
    return [a.text() for a in menu.actions()]


def test_a_lone_database_offers_laptop_setup_and_no_sync_bar(qtbot, services, admin, tmp_path):
    configure_application(QApplication.instance())
    window = MainWindow(QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    window.attach(services, admin)
    qtbot.waitUntil(lambda: "کار بیرون از دفتر…" in _tools(window))
    assert "دستگاه‌ها…" not in _tools(window) and not hasattr(window, "sync_status")


def test_a_laptop_window_shows_the_sync_in_its_status_bar(qtbot, services, admin, laptop, monkeypatch, tmp_path):
    configure_application(QApplication.instance())
    fake_module(monkeypatch, "app.services.sync.service", SyncService=lambda db: laptop)
    window = MainWindow(QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.resize(*SCREEN)
    window.show()
    window.attach(services, admin)
    qtbot.waitUntil(lambda: hasattr(window, "sync_status") and "تغییر در صف" in window.sync_status.line.text())
    assert "کار بیرون از دفتر…" not in _tools(window)
    file_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "فایل")
    assert "فایل همگام‌سازی" in [a.text() for a in file_menu.actions()]
    shot(window, tmp_path / "main_window.png")
    shot(window.statusBar(), tmp_path / "status_bar.png")

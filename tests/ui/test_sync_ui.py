"""Offline sync in the window: the laptop's status bar part and its button, the office's devices, the
laptop's setup and the sync files (app/ui/sync). Real widgets on the real sync services: laptops copied
from an office kept in a SQLite file (tests/sync/world.py), the administrator's menus on a real office
server."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import keyring
import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from app import config
from app.models import SyncConflict, SyncDevice
from app.persian import format_datetime, format_number
from app.services.admin.users import UserData
from app.services.core.actor import SYSTEM
from app.services.core.database import Database
from app.services.sync import devices, handshake, state
from app.services.sync.devices import Registration
from app.ui import ops
from app.ui.events import change_bus
from app.ui.main_window import MainWindow
from app.ui.qt_setup import configure_application
from app.ui.sync import bundle_actions, files, laptop_setup, sync_calls
from app.ui.sync.conflicts_dialog import ConflictsDialog
from app.ui.sync.credentials import save_password
from app.ui.sync.devices_dialog import DevicesDialog, RegisterDialog
from app.ui.sync.laptop_setup import LaptopSetupDialog
from app.ui.sync.status_widget import AUTO_SYNC_MS, SyncStatusWidget
from app.ui.sync.texts import relative_time, status_line
from tests.sync.test_first_sync import person
from tests.sync.world import REP_PASSWORD, sqlite_world
from tests.ui.persian_typing import type_text
from tests.ui.sync_vault import memory_vault

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


# --- the status bar part (a real laptop copy of an office kept in a SQLite file) -----------------------
@pytest.fixture
def world(tmp_path):
    with sqlite_world(tmp_path) as made:
        yield made


@pytest.fixture
def laptop(world):
    world.rep("maryam")
    return world.laptop("maryam")


@pytest.fixture
def status(qtbot, laptop):
    configure_application(QApplication.instance())
    widget = SyncStatusWidget(laptop.services, laptop.actor, laptop.services.sync)
    qtbot.addWidget(widget)
    widget.show()
    widget.refresh()
    qtbot.waitUntil(lambda: widget._snapshot.laptop is not None)
    return widget


def open_conflict(laptop) -> None:
    """A conflict the office sent back, as the laptop keeps it (a record of its user's)."""
    with laptop.db.write(laptop.actor) as s:
        s.add(SyncConflict(user_id=laptop.actor.user_id, table_name="identities", row_id="x", kind="update_update"))


def test_status_shows_last_sync_queue_and_conflicts_and_follows_local_writes(qtbot, status, laptop):
    # The first copy was this laptop's first sync, a moment ago.
    assert status.line.text() in ("همگام‌سازی: همین حالا", "همگام‌سازی: ۱ دقیقه پیش") and status.conflicts.text() == ""
    assert status.auto_timer.isActive() and status.auto_timer.interval() == AUTO_SYNC_MS == 5 * 60 * 1000

    services = laptop.services
    ops.op(None, lambda: services.identities.create(laptop.actor, person("سارا", "احمدی"))).run()
    qtbot.waitUntil(lambda: status.line.text().endswith("، ۱ تغییر در صف"))

    ops.op(None, lambda: open_conflict(laptop)).run()
    qtbot.waitUntil(lambda: "۱ تعارض" in status.conflicts.text())
    assert "۲ تغییر در صف" in status.line.text()

    status.conflicts.linkActivated.emit("conflicts")
    inbox = status.findChild(ConflictsDialog)
    assert inbox is not None and inbox.isVisible()
    inbox.close()


def test_the_button_asks_the_password_once_then_uses_the_stored_one(qtbot, status, laptop, vault):
    services = laptop.services
    ops.op(None, lambda: services.identities.create(laptop.actor, person("سارا", "احمدی"))).run()
    qtbot.waitUntil(lambda: "۱ تغییر در صف" in status.line.text())
    asked = []
    status.ask_password = lambda: asked.append(1) or REP_PASSWORD
    status.button.click()
    assert status.running and not status.button.isEnabled()
    qtbot.waitUntil(lambda: not status.running)
    qtbot.waitUntil(lambda: status.line.text() == "همگام‌سازی: همین حالا")
    assert list(vault.items.values()) == [REP_PASSWORD] and len(asked) == 1

    status.button.click()
    qtbot.waitUntil(lambda: not status.running)
    assert len(asked) == 1  # asked once: the stored password serves from now on
    assert not status.line.text().startswith("⚠")

    status.ask_password = lambda: asked.append(2) or "گذرواژه تازه"  # changed at the office
    status.button.menu().actions()[0].trigger()
    qtbot.waitUntil(lambda: not status.running)
    assert asked == [1, 2] and list(vault.items.values()) == ["گذرواژه تازه"]


def test_a_pressed_sync_that_fails_says_why_and_keeps_no_password(qtbot, status, world, laptop, vault, shown_errors):
    with world.office.db.write(SYSTEM) as s:
        s.get(SyncDevice, laptop.registration.device_id).revoked_at = dt.datetime.now(dt.UTC)
    status.ask_password = lambda: REP_PASSWORD
    status.button.click()
    qtbot.waitUntil(lambda: not status.running)
    assert shown_errors == [handshake.REVOKED]
    qtbot.waitUntil(lambda: status.line.text().startswith("⚠"))
    assert status.line.toolTip() == handshake.REVOKED
    assert vault.items == {}  # a password that did not get through is not kept


def test_cancelling_the_password_question_syncs_nothing(qtbot, status, vault):
    status.ask_password = lambda: ""
    status.button.click()
    assert not status.running


def test_the_office_is_probed_before_a_background_sync() -> None:
    assert not sync_calls.server_reachable({"host": "127.0.0.1", "port": 1, "database": "office"})
    assert sync_calls.server_reachable({"url": "sqlite:///office.db"})  # an office in a file: the sync tells


def test_the_background_sync_fails_quietly_in_the_tooltip(qtbot, status, vault, shown_errors, monkeypatch):
    monkeypatch.setattr(sync_calls, "server_reachable", lambda server: False)
    status.sync_in_background()
    qtbot.waitUntil(lambda: not status.running)
    assert shown_errors == []
    qtbot.waitUntil(lambda: status.line.toolTip() == sync_calls.UNREACHABLE)
    assert status.line.text().startswith("⚠")


def test_the_background_sync_brings_the_office_changes(qtbot, status, world, laptop, vault, shown_errors):
    status.sync_in_background()
    qtbot.waitUntil(lambda: not status.running)
    qtbot.waitUntil(lambda: status.line.toolTip() == sync_calls.NO_PASSWORD)  # never asks in the background

    save_password(laptop.actor.login, world.server, REP_PASSWORD)
    made = world.office.identities.create(laptop.actor, person("علی", "رضایی"))
    heard = []
    change_bus().sig_changed.connect(lambda table, ids: heard.append((table, ids)))
    status.sync_in_background()
    qtbot.waitUntil(lambda: not status.running)
    qtbot.waitUntil(lambda: status.line.text() == "همگام‌سازی: همین حالا")
    assert shown_errors == [] and any(t == "identities" and made.id in (ids or ()) for t, ids in heard)
    assert laptop.services.identities.get(laptop.actor, made.id).display_name == made.display_name


# --- devices (office; the real DeviceService on an office kept in a SQLite file) ---------------------------
@pytest.fixture
def devices_dialog(qtbot, services, admin):
    configure_application(QApplication.instance())
    maryam = services.users.create_user(admin, UserData("maryam", "مریم احمدی"), REP_PASSWORD)
    ali = services.users.create_user(admin, UserData("ali", "علی رضایی"), REP_PASSWORD)
    first = services.devices.register(admin, maryam.id, "لپ‌تاپ مریم")
    old = services.devices.register(admin, ali.id, "لپ‌تاپ قدیمی")
    services.devices.revoke(admin, old.device_id)
    with services.db.write(SYSTEM) as s:  # the office saw it twelve minutes ago
        s.get(SyncDevice, first.device_id).last_seen_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=12)
    dialog = DevicesDialog(services.devices, services.users.list_users(admin), admin)
    qtbot.addWidget(dialog)
    dialog.resize(*SCREEN)
    dialog.show()
    return dialog


def test_devices_list_register_rename_and_revoke(qtbot, devices_dialog, services, admin, tmp_path):
    dialog, table = devices_dialog, devices_dialog.table
    row = [table.item(0, c).text() for c in range(6)]
    registered = services.devices.list(admin)[0].registered_at
    assert row == ["مریم احمدی", "لپ‌تاپ مریم", "L1", format_datetime(registered), "۱۲ دقیقه پیش", "—"]
    assert table.item(1, 4).text() == "هرگز" and table.item(1, 5).text().startswith("۱۴")
    shot(dialog, tmp_path / "devices.png")

    table.setCurrentCell(1, 0)  # a revoked device can be neither renamed nor revoked again
    assert not dialog.rename_button.isEnabled() and not dialog.revoke_button.isEnabled()

    dialog.ask_registration = lambda: (admin.user_id, "لپ‌تاپ مدیر")
    dialog.ask_device_file = lambda name: files.with_suffix(str(tmp_path / name), files.DEVICE_SUFFIX)
    dialog.register_button.click()
    saved = tmp_path / "لپ‌تاپ مدیر.peyvand-device"
    registration = Registration.from_json(saved.read_text(encoding="utf-8"))
    assert (registration.device_name, registration.device_code, registration.login) == ("لپ‌تاپ مدیر", "L3", "admin")
    assert table.rowCount() == 3 and dialog.selected().name == "لپ‌تاپ مدیر"
    assert "ثبت شد" in dialog.message.text()

    dialog.ask_registration = lambda: (admin.user_id, "  ")
    dialog.register_button.click()  # refused by the service: said in the dialog, no file written
    assert dialog.message.text() and table.rowCount() == 3

    table.setCurrentCell(0, 0)
    dialog.ask_name = lambda current: "لپ‌تاپ تازه مریم"
    dialog.rename_button.click()
    assert table.item(0, 1).text() == "لپ‌تاپ تازه مریم" and dialog.selected().code == "L1"

    dialog.confirm_revoke = lambda device: False
    dialog.revoke_button.click()
    assert services.devices.list(admin)[0].revoked_at is None
    dialog.confirm_revoke = lambda device: True
    dialog.revoke_button.click()
    assert services.devices.list(admin)[0].revoked_at is not None and table.item(0, 5).text().startswith("۱۴")
    assert not dialog.revoke_button.isEnabled()


def test_the_register_dialog_offers_active_users(qtbot, services, admin, tmp_path):
    configure_application(QApplication.instance())
    dialog = RegisterDialog(services.users.list_users(admin))
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(dialog.name, "لپ‌تاپ مریم")
    assert dialog.value() == (admin.user_id, "لپ‌تاپ مریم")
    shot(dialog, tmp_path / "register.png")


# --- laptop setup (the real first copy, from an office kept in a SQLite file) -------------------------------
@pytest.fixture
def registration_file(world, tmp_path) -> tuple[Path, Registration]:
    world.rep("maryam")
    registration = Registration(**dataclasses.asdict(world.register("maryam")))
    path = tmp_path / "مریم.peyvand-device"
    path.write_text(registration.to_json(), encoding="utf-8")
    return path, registration


@pytest.fixture
def setup_dialog(qtbot, monkeypatch):
    configure_application(QApplication.instance())
    restarted: list[int] = []
    monkeypatch.setattr(laptop_setup, "restart", lambda: restarted.append(1))
    dialog = LaptopSetupDialog()
    dialog.restarted = restarted
    qtbot.addWidget(dialog)
    dialog.resize(*SCREEN)
    dialog.show()
    return dialog


def test_laptop_setup_makes_the_copy_stores_the_password_and_restarts_onto_it(
    qtbot, setup_dialog, registration_file, world, vault, tmp_path
):
    path, registration = registration_file
    local = config.data_dir() / "peyvand-laptop.db"
    assert setup_dialog.local.text() == str(local)  # under platformdirs' data folder
    shot(setup_dialog, tmp_path / "laptop_setup.png")

    setup_dialog.accept()  # nothing chosen yet: each field says what it needs
    assert setup_dialog.form.rows["registration"].error.text() and setup_dialog.form.rows["password"].error.text()

    setup_dialog.registration.setText(str(path))
    type_text(setup_dialog.password, REP_PASSWORD)
    with world.office.db.write(SYSTEM) as s:
        device = s.get(SyncDevice, registration.device_id)
        device.revoked_at = dt.datetime.now(dt.UTC)
    setup_dialog.accept()
    assert setup_dialog.message.text() == handshake.REVOKED
    assert not local.exists() and config.laptop_database() is None and not setup_dialog.restarted

    with world.office.db.write(SYSTEM) as s:
        s.get(SyncDevice, registration.device_id).revoked_at = None
    setup_dialog.accept()
    assert setup_dialog.restarted == [1] and setup_dialog.result() == QDialog.DialogCode.Accepted
    assert config.laptop_database() == local and config.resolve_db_url() == f"sqlite:///{local.as_posix()}"
    copy = Database(f"sqlite:///{local.as_posix()}", create=False)
    try:
        assert state.load(copy).device_code == registration.device_code
    finally:
        copy.dispose()
    assert list(vault.items.values()) == [REP_PASSWORD]

    again = LaptopSetupDialog()  # the file is there now: a second copy never overwrites it
    qtbot.addWidget(again)
    again.registration.setText(str(path))
    type_text(again.password, REP_PASSWORD)
    again.accept()
    assert again.form.rows["local"].error.text() == laptop_setup.EXISTS


def test_a_file_that_is_not_a_registration_is_refused_by_its_field(qtbot, setup_dialog, tmp_path):
    wrong = tmp_path / "wrong.peyvand-device"
    wrong.write_text("not json", encoding="utf-8")
    setup_dialog.registration.setText(str(wrong))
    type_text(setup_dialog.password, REP_PASSWORD)
    setup_dialog.accept()
    assert setup_dialog.form.rows["registration"].error.text() == devices.NOT_A_REGISTRATION
    assert not setup_dialog.restarted


# --- sync files (a real round trip by file with an office kept in a SQLite file) ----------------------------
def test_sync_files_on_a_laptop_and_at_the_office(qtbot, world, laptop, informed, monkeypatch, tmp_path):
    configure_application(QApplication.instance())
    window = MainWindow(QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    at_laptop = bundle_actions.BundleActions(window, laptop.services, laptop.actor)
    at_laptop.add_laptop_items()
    assert [a.text() for a in at_laptop.menu.actions()] == ["ساختن فایل همگام‌سازی…", "خواندن فایل بازگشتی…"]
    mine = laptop.services.identities.create(laptop.actor, person("سارا", "احمدی"))
    theirs = world.office.identities.create(laptop.actor, person("علی", "رضایی"))

    outbound = tmp_path / "مریم.peyvand-sync"
    monkeypatch.setattr(files, "ask_save_path", lambda *args: outbound)
    at_laptop.export_bundle()
    assert outbound.exists() and informed[-1].startswith("فایل «مریم.peyvand-sync» با ۱ تغییر ساخته شد.")

    office = bundle_actions.BundleActions(window, world.office, world.admin)
    office.add_office_items()
    monkeypatch.setattr(files, "ask_open_path", lambda *args: outbound)
    monkeypatch.setattr(files, "ask_save_path", lambda *args: None)
    office.import_bundle()  # the return file not saved: reading the same file again makes it again
    assert informed[-1] == bundle_actions.RETURN_LOST
    back = tmp_path / "برای مریم.peyvand-return"
    monkeypatch.setattr(files, "ask_save_path", lambda *args: back)
    office.import_bundle()
    assert informed[-1].startswith("فایل «لپ‌تاپ maryam» (maryam) خوانده شد: ۰ تغییر ثبت شد، ۱ تغییر پیش‌تر رسیده بود")
    assert world.office.identities.get(world.admin, mine.id).display_name == mine.display_name

    heard = []
    change_bus().sig_changed.connect(lambda table, ids: heard.append((table, ids)))
    monkeypatch.setattr(files, "ask_open_path", lambda *args: back)
    at_laptop.import_return()
    assert informed[-1].startswith("۱ تغییر فرستاده شد، ")
    assert any(table == "identities" and theirs.id in (ids or ()) for table, ids in heard)
    assert laptop.services.identities.get(laptop.actor, theirs.id).display_name == theirs.display_name
    assert laptop.services.sync.status(laptop.actor).waiting == 0


# --- the main window --------------------------------------------------------------------------------------
def _tools(window) -> list[str]:
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "ابزار")
    return [a.text() for a in menu.actions()]


@pytest.mark.sqlite_only  # a lone SQLite file (on the office server the administrator gets «دستگاه‌ها…»)
def test_a_lone_database_offers_laptop_setup_and_no_sync_bar(qtbot, services, admin, tmp_path):
    configure_application(QApplication.instance())
    window = MainWindow(QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    window.attach(services, admin)
    qtbot.waitUntil(lambda: "کار بیرون از دفتر…" in _tools(window))
    assert "دستگاه‌ها…" not in _tools(window) and not hasattr(window, "sync_status")


def test_a_laptop_window_shows_the_sync_in_its_status_bar(qtbot, laptop, vault, tmp_path):
    configure_application(QApplication.instance())
    window = MainWindow(QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.resize(*SCREEN)
    window.show()
    window.attach(laptop.services, laptop.actor)
    qtbot.waitUntil(lambda: hasattr(window, "sync_status") and window.sync_status._snapshot.laptop is not None)
    services = laptop.services
    ops.op(None, lambda: services.identities.create(laptop.actor, person("سارا", "احمدی"))).run()
    ops.op(None, lambda: open_conflict(laptop)).run()
    qtbot.waitUntil(lambda: "۱ تعارض" in window.sync_status.conflicts.text())
    waiting = format_number(services.sync.status(laptop.actor).waiting)
    assert window.sync_status.line.text().endswith(f"، {waiting} تغییر در صف")
    assert "کار بیرون از دفتر…" not in _tools(window)
    file_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "فایل")
    assert "فایل همگام‌سازی" in [a.text() for a in file_menu.actions()]
    shot(window, tmp_path / "main_window.png")
    shot(window.statusBar(), tmp_path / "status_bar.png")

    window.sync_status.ask_password = lambda: REP_PASSWORD
    window.sync_status.button.click()
    qtbot.waitUntil(lambda: not window.sync_status.running)
    assert window.statusBar().currentMessage().startswith(f"{waiting} تغییر فرستاده شد، ")  # confirmed quietly
    qtbot.waitUntil(lambda: window.sync_status.line.text() == "همگام‌سازی: همین حالا")


def test_the_office_administrator_manages_devices_and_reads_laptop_files(qtbot, monkeypatch, tmp_path):
    from app.services.opportunities.sales_lists import ensure_sales_defaults
    from tests.conftest import require_pg_server
    from tests.server.role_office import office_on

    configure_application(QApplication.instance())
    opened = []
    monkeypatch.setattr(DevicesDialog, "exec", lambda dialog: opened.append(dialog.table.rowCount()))
    with office_on(require_pg_server()) as office:
        # The default sales lists are made on the owner's connection, as `server init` leaves an office
        # (a fresh office's first window would make them as the administrator's role, which row security refuses).
        ensure_sales_defaults(office.owner.db)
        window = MainWindow(QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
        qtbot.addWidget(window)
        window.show()
        window.attach(office.as_boss, office.boss)
        qtbot.waitUntil(lambda: "کار بیرون از دفتر…" in _tools(window))  # a laptop can be set up from here too
        tools = _tools(window)
        after_server = tools[tools.index("اتصال به سرور…") + 1 :][:2]
        assert set(after_server) == {"دستگاه‌ها…", "کار بیرون از دفتر…"}
        file_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "فایل")
        assert window.sync_files.menu.menuAction() in file_menu.actions()
        assert [a.text() for a in window.sync_files.menu.actions()] == ["خواندن فایل همگام‌سازی لپ‌تاپ…"]
        menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "ابزار")
        next(a for a in menu.actions() if a.text() == "دستگاه‌ها…").trigger()
        assert opened == [0]  # the office's (empty) device list, read on the administrator's own role
        window.close()


def test_the_next_start_opens_the_laptop_copy_unless_an_office_connection_is_saved(vault, tmp_path) -> None:
    from app.services.server import connection as server_connection
    from app.services.server.connection import ServerSettings

    assert config.resolve_db_url() == config.default_db_url()
    config.use_laptop_database(tmp_path / "لپ‌تاپ.db")
    assert config.resolve_db_url() == f"sqlite:///{(tmp_path / 'لپ‌تاپ.db').as_posix()}"
    server_connection.save(ServerSettings(host="192.0.2.10", user="pv_maryam"), "secret")
    assert config.resolve_db_url().startswith("postgresql+psycopg://pv_maryam:secret@192.0.2.10")
    server_connection.forget()  # «بازگشت به پایگاه داده محلی»: the laptop copy again
    assert config.resolve_db_url().endswith("لپ‌تاپ.db")

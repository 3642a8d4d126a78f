"""Two laptops in the field, one day, against the real office server (PostgreSQL, each rep on their own
role), through the real windows and dialogs.

The morning, at the office. Maryam and Reza sell on their own documents; Maryam's customer «علی رضایی»
is followed by Reza, her team's senior, so both see him; Maryam's opportunity «قرارداد پشتیبانی» is
hers alone. The administrator opens «ابزار ← دستگاه‌ها…», presses «ثبت دستگاه…» twice and saves
«لپ‌تاپ مریم» and «لپ‌تاپ رضا» with their registration files. Each rep, on the office network, opens
«ابزار ← کار بیرون از دفتر…», chooses their registration file, types their server password and where
the local file goes, and gets their laptop copy. Opened on each laptop, the main window's status bar
reads «همگام‌سازی: …» with nothing waiting.

In the field. Maryam is out of reach of the office (she simply does not sync): in the customer's form
she changes his mobile and his website, and in her opportunity's form raises its amount. Reza never
reaches the office network all week: he corrects the same customer's website and, from
«فایل ← فایل همگام‌سازی ← ساختن فایل همگام‌سازی…», saves a sync file to send by e-mail. Meanwhile at
the office the administrator lowers the same opportunity's amount.

The evening. Maryam, back on the office network, presses «همگام‌سازی»: the status line says she synced
just now with nothing waiting, and «۱ تعارض» (the amount; money is never settled silently). The
administrator reads Reza's file («خواندن فایل همگام‌سازی لپ‌تاپ…») and saves the return file; Reza
reads it back («خواندن فایل بازگشتی…»). The website both changed goes to the later edit, Reza's.

Maryam clicks «۱ تعارض» on the status line: «تعارض‌ها» shows the office's amount and hers side by
side, each with who and when. She keeps hers with one click; her next sync takes it to the office,
her inbox is empty, the office has her amount, and each laptop holds exactly what its rep sees at the
office.
"""

from __future__ import annotations

import functools

import keyring
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog, QMessageBox, QPushButton

from app.models import AccessLevel, Identity, Opportunity
from app.persian import format_number
from app.services.core.database import Database
from app.services.core.registry import Services
from app.services.opportunities.data import OpportunityData
from app.ui import ops
from app.ui.sync import laptop_setup
from app.ui.sync.conflict_panes import RLM
from app.ui.sync.conflicts_dialog import ConflictsDialog
from app.ui.sync.devices_dialog import DevicesDialog, RegisterDialog
from app.ui.sync.laptop_setup import LaptopSetupDialog
from tests.conftest import sqlite_url
from tests.scenarios.sync_story import (
    WAIT,
    Files,
    item,
    main_window,
    menu,
    retype,
    shot,
    sync_file_item,
    when_modal,
)
from tests.sync.convergence import differences, dump
from tests.sync.test_first_sync import person
from tests.sync.world import REP_PASSWORD, postgres_world, read
from tests.ui.persian_typing import type_text
from tests.ui.sync_vault import memory_vault

MORNING_AMOUNT = 100_000_000
FIELD_AMOUNT = 250_000_000
OFFICE_AMOUNT = 180_000_000
DEVICES = {"maryam": "لپ‌تاپ مریم", "reza": "لپ‌تاپ رضا"}


@pytest.fixture
def world(tmp_path, monkeypatch):
    """The office server, the OS credential store (in memory) and the modal questions answered."""
    from app.ui.qt_setup import configure_application

    configure_application(QApplication.instance())
    vault, previous = memory_vault()
    monkeypatch.setattr(laptop_setup, "restart", lambda: None)  # the program would restart onto the copy
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    with postgres_world(tmp_path) as made:
        yield made
    keyring.set_keyring(previous)


@pytest.fixture
def answers(monkeypatch):
    files = Files()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", files.open_name)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", files.save_name)
    return files


@pytest.fixture
def told(monkeypatch):
    """What the program said in message boxes (information) and as errors."""
    said: dict[str, list[str]] = {"info": [], "error": []}
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a: said["info"].append(text))
    monkeypatch.setattr(ops, "show_error", lambda _p, message, details=None: said["error"].append(message))
    return said


def fill_registration(user_id, name: str, dialog: RegisterDialog) -> None:
    """«ثبت دستگاه»: the rep chosen, the laptop's name typed, «OK»."""
    users = [dialog.user.itemData(i) for i in range(dialog.user.count())]
    dialog.user.setCurrentIndex(users.index(user_id))  # findData() misses a uuid
    type_text(dialog.name, DEVICES[name])
    shot(dialog, f"01_register_{name}")
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()


def register_laptops(qtbot, office_window, world, tmp_path, answers) -> dict[str, object]:
    """«ابزار ← دستگاه‌ها…» → «ثبت دستگاه…» for each rep; the registration files saved."""
    saved = {name: tmp_path / f"{DEVICES[name]}.peyvand-device" for name in DEVICES}
    answers.saves += list(saved.values())
    qtbot.waitUntil(lambda: item(menu(office_window, "ابزار"), "دستگاه‌ها…") is not None)

    def register(devices: DevicesDialog) -> None:
        for name in DEVICES:
            when_modal(RegisterDialog, functools.partial(fill_registration, world.reps[name].user_id, name))
            devices.register_button.click()
            assert "ثبت شد" in devices.message.text(), devices.message.text()
        assert devices.table.rowCount() == 2
        shot(devices, "02_devices")

    when_modal(DevicesDialog, register)
    item(menu(office_window, "ابزار"), "دستگاه‌ها…").trigger()
    assert answers.all_answered() and all(path.is_file() for path in saved.values())
    return saved


def first_copy(qtbot, world, tmp_path, answers, name: str, registration) -> Services:
    """The rep, on the office network, makes their laptop copy through «کار بیرون از دفتر…»."""
    window = main_window(qtbot, tmp_path, f"{name}-office", world.at_office(name), world.reps[name])
    qtbot.waitUntil(lambda: item(menu(window, "ابزار"), "کار بیرون از دفتر…") is not None)
    local = tmp_path / f"{name}-laptop.db"
    answers.opens.append(registration)
    answers.saves.append(local)

    def make(dialog: LaptopSetupDialog) -> None:
        registration_button, local_button = [b for b in dialog.findChildren(QPushButton) if b.text() == "انتخاب…"]
        registration_button.click()
        type_text(dialog.password, REP_PASSWORD)
        local_button.click()
        shot(dialog, f"03_setup_{name}")
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
        assert not dialog.isVisible(), dialog.message.text()

    when_modal(LaptopSetupDialog, make)
    item(menu(window, "ابزار"), "کار بیرون از دفتر…").trigger()
    window.close()
    assert answers.all_answered() and local.is_file()
    return Services(Database(sqlite_url(local), create=False))


def laptop_window(qtbot, tmp_path, name: str, services: Services, actor):
    window = main_window(qtbot, tmp_path, f"{name}-laptop", services, actor)
    qtbot.waitUntil(lambda: hasattr(window, "sync_status") and window.sync_status.line.text() != "", timeout=WAIT)
    return window


def edit_customer(qtbot, window, customer, mobile: str | None, website: str) -> None:
    form = window.tabs.open_record("identity", customer)
    if mobile is not None:
        retype(form.details.phones.rows[0][1][1], mobile)
    retype(form.details.website, website)
    form.save_button.click()
    qtbot.waitUntil(lambda: not form.is_dirty())


def edit_amount(qtbot, window, deal, amount: int) -> None:
    form = window.tabs.open_record("opportunity", deal)
    retype(form.amount.edit, str(amount))
    form.save_button.click()
    qtbot.waitUntil(lambda: not form.is_dirty())
    assert form.detail.amount == amount


def line_is(status, text: str) -> None:
    """For qtbot.waitUntil: the status line reads this (else what it reads is said)."""
    assert status.line.text() == text, (status.line.text(), status.line.toolTip())


def click_link(label) -> None:
    """A click on the label's link («۱ تعارض»): the left half of the label's text in right to left."""
    label.setFocus()
    where = QPoint(label.width() // 3, label.height() // 2)
    QTest.mouseClick(label, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, where)


def synced(qtbot, window) -> None:
    """«همگام‌سازی» pressed; done once the button is back."""
    status = window.sync_status
    status.button.click()
    qtbot.waitUntil(lambda: not status.running, timeout=WAIT)


def test_two_laptops_through_a_field_day(qtbot, world, answers, told, tmp_path) -> None:
    # --- the morning, at the office ---------------------------------------------------------------
    maryam, reza = world.rep("maryam"), world.rep("reza")
    assert maryam.access_level is reza.access_level is AccessLevel.OWN_DOCUMENTS
    at_office = world.at_office("maryam")
    customer = at_office.identities.create(maryam, person("علی", "رضایی", "09121234567")).id
    deal = at_office.opportunity_records.create(
        maryam, OpportunityData(customer, "قرارداد پشتیبانی", amount=MORNING_AMOUNT)
    )
    world.office.followers.follow(world.admin, "identities", customer, reza.user_id)

    office = main_window(qtbot, tmp_path, "office", world.office, world.admin)
    registrations = register_laptops(qtbot, office, world, tmp_path, answers)
    copies = {name: first_copy(qtbot, world, tmp_path, answers, name, registrations[name]) for name in registrations}
    laptops = {name: laptop_window(qtbot, tmp_path, name, copies[name], world.reps[name]) for name in copies}
    for name, window in laptops.items():
        assert window.sync_status.line.text().startswith("همگام‌سازی: ")
        assert "در صف" not in window.sync_status.line.text() and window.sync_status.conflicts.text() == ""
        shot(window, f"04_laptop_{name}")
    assert read(copies["reza"], Identity, customer, "display_name") == "علی رضایی"  # followed: on his copy

    # --- in the field -----------------------------------------------------------------------------
    edit_customer(qtbot, laptops["maryam"], customer, "09351112233", "ali-maryam.example.ir")
    edit_amount(qtbot, laptops["maryam"], deal, FIELD_AMOUNT)
    qtbot.waitUntil(lambda: "در صف" in laptops["maryam"].sync_status.line.text(), timeout=WAIT)
    shot(laptops["maryam"], "05_maryam_in_the_field")

    edit_customer(qtbot, laptops["reza"], customer, None, "ali-reza.example.ir")
    qtbot.waitUntil(lambda: "در صف" in laptops["reza"].sync_status.line.text(), timeout=WAIT)
    bundle = tmp_path / "رضا.peyvand-sync"
    answers.saves.append(bundle)
    sync_file_item(laptops["reza"], "ساختن فایل همگام‌سازی…").trigger()
    assert bundle.is_file() and "ساخته شد" in told["info"][-1], told
    shot(laptops["reza"], "06_reza_sync_file")

    edit_amount(qtbot, office, deal, OFFICE_AMOUNT)  # the office, meanwhile

    # --- the evening ------------------------------------------------------------------------------
    status = laptops["maryam"].sync_status
    synced(qtbot, laptops["maryam"])
    assert told["error"] == []
    qtbot.waitUntil(lambda: line_is(status, "همگام‌سازی: همین حالا"), timeout=WAIT)
    qtbot.waitUntil(lambda: "۱ تعارض" in status.conflicts.text(), timeout=WAIT)
    shot(laptops["maryam"], "07_maryam_synced")
    assert read(world.office, Identity, customer, "website") == "ali-maryam.example.ir"

    back = tmp_path / "برای رضا.peyvand-return"
    answers.opens.append(bundle)
    answers.saves.append(back)
    sync_file_item(office, "خواندن فایل همگام‌سازی لپ‌تاپ…").trigger()
    assert back.is_file() and "خوانده شد" in told["info"][-1], told
    shot(office, "08_office_read_reza")
    answers.opens.append(back)
    sync_file_item(laptops["reza"], "خواندن فایل بازگشتی…").trigger()
    assert answers.all_answered() and told["error"] == [], told
    assert told["info"][-1].startswith("۲ تغییر فرستاده شد، "), told["info"][-1]
    qtbot.waitUntil(lambda: line_is(laptops["reza"].sync_status, "همگام‌سازی: همین حالا"), timeout=WAIT)
    shot(laptops["reza"], "09_reza_return")
    assert read(world.office, Identity, customer, "website") == "ali-reza.example.ir"  # the later edit

    # --- the amount, decided by Maryam ------------------------------------------------------------
    click_link(status.conflicts)
    inbox = laptops["maryam"].findChild(ConflictsDialog)
    qtbot.waitUntil(lambda: inbox.isVisible() and inbox.table.rowCount() == 1, timeout=WAIT)
    table = inbox.table
    assert [table.item(0, c).text() for c in range(table.columnCount())] == [
        "فرصت: قرارداد پشتیبانی",
        "مبلغ",
        "ویرایش هم‌زمان",
        "باز",
    ]
    plain = {box: getattr(inbox, box) for box in ("office_box", "device_box")}
    values = {k: box.value.text().replace(RLM, "") for k, box in plain.items()}
    who = {k: box.who.text().replace(RLM, "") for k, box in plain.items()}
    assert values == {
        "office_box": f"{format_number(OFFICE_AMOUNT)} ریال",
        "device_box": f"{format_number(FIELD_AMOUNT)} ریال",
    }
    assert who["office_box"].startswith(world.admin.display_name) and "۱۴" in who["office_box"], who
    assert who["device_box"].startswith("maryam") and "۱۴" in who["device_box"], who
    shot(inbox, "10_conflicts")
    inbox.buttons["device"].click()
    qtbot.waitUntil(lambda: inbox.table.rowCount() == 0, timeout=WAIT)
    shot(inbox, "11_conflicts_empty")
    inbox.close()

    synced(qtbot, laptops["maryam"])
    qtbot.waitUntil(lambda: status.conflicts.text() == "", timeout=WAIT)
    qtbot.waitUntil(lambda: line_is(status, "همگام‌سازی: همین حالا"), timeout=WAIT)
    shot(laptops["maryam"], "12_maryam_settled")
    assert told["error"] == []
    assert read(world.office, Opportunity, deal, "amount") == FIELD_AMOUNT
    assert world.office.conflicts.count_open(world.admin) == 0
    for name, services in copies.items():
        seen_at_office = dump(world.at_office(name).db, world.reps[name])
        assert differences(dump(services.db, world.reps[name]), seen_at_office) == [], name
    for services, actor in ((world.office, world.admin), (copies["maryam"], maryam), (copies["reza"], reza)):
        seen = services.identities.get(actor, customer)
        assert ([p.number for p in seen.phones], seen.website) == (["09351112233"], "ali-reza.example.ir")
    for services in copies.values():
        services.db.dispose()

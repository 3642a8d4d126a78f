"""Laptops registered for offline sync: codes, secrets, the registration file, renaming and revoking, and
only an administrator doing any of it."""

from __future__ import annotations

import json
import uuid

import pytest
from sqlalchemy import select

from app.models import AccessLevel, Setting, SyncDevice, User
from app.services.core.actor import SYSTEM, Actor
from app.services.core.errors import AccessDenied, NotFound, ServiceError, ValidationFailed
from app.services.sync.devices import Registration


def _user(services, login: str, active: bool = True) -> Actor:
    with services.db.write(SYSTEM) as s:
        level = AccessLevel.OWN_DOCUMENTS
        user = User(login=login, display_name=f"کاربر {login}", access_level=level, is_active=active)
        s.add(user)
        s.flush()
        return Actor(user.id, user.login, user.display_name, user.access_level)


def test_registering_gives_each_laptop_the_next_code_a_secret_and_what_the_laptop_needs(services, admin) -> None:
    sara = _user(services, "sara")
    first = services.devices.register(admin, sara.user_id, "  لپ‌تاپ سارا ")
    second = services.devices.register(admin, sara.user_id, "لپ‌تاپ دوم")
    assert (first.device_code, second.device_code) == ("L1", "L2")
    assert first.device_name == "لپ‌تاپ سارا" and first.login == "sara" and first.user_id == sara.user_id
    assert len(first.secret) == 64 and int(first.secret, 16) and first.secret != second.secret
    with services.db.read(SYSTEM) as s:
        assert first.hub_id == s.get(Setting, "device_id").value
        stored = s.get(SyncDevice, first.device_id)
        assert (stored.secret, stored.registered_by, stored.last_batch_no) == (first.secret, admin.user_id, 0)
    url = services.db.url
    assert first.server == {"host": url.host, "port": url.port, "database": url.database}


def test_the_registration_file_reads_back_and_anything_else_is_refused(services, admin) -> None:
    made = services.devices.register(admin, _user(services, "sara").user_id, "لپ‌تاپ")
    text = made.to_json()
    assert json.loads(text)["kind"] == "peyvand-device"
    assert Registration.from_json(text) == made
    wrong = [
        "not json",
        "[]",
        json.dumps({**json.loads(text), "kind": "other"}),
        json.dumps({**json.loads(text), "secret": "short"}),
        json.dumps({**json.loads(text), "device_id": "x"}),
        json.dumps({**json.loads(text), "extra": 1}),
        json.dumps({k: v for k, v in json.loads(text).items() if k != "login"}),
    ]
    for bad in wrong:
        with pytest.raises(ServiceError, match="فایل ثبت دستگاه"):
            Registration.from_json(bad)


def test_a_revoked_device_stays_listed_and_its_code_is_not_given_again(services, admin) -> None:
    sara = _user(services, "sara")
    first = services.devices.register(admin, sara.user_id, "لپ‌تاپ")
    changes = services.devices.revoke(admin, first.device_id)
    assert "sync_devices" in changes.tables
    assert services.devices.register(admin, sara.user_id, "تازه").device_code == "L2"
    with pytest.raises(ServiceError, match="پیش‌تر باطل"):
        services.devices.revoke(admin, first.device_id)
    listed = services.devices.list(admin)
    assert [(d.code, d.user_name, d.revoked_at is not None) for d in listed] == [
        ("L1", "کاربر sara", True),
        ("L2", "کاربر sara", False),
    ]


def test_renaming_and_its_refusals(services, admin) -> None:
    device = services.devices.register(admin, _user(services, "sara").user_id, "قدیمی")
    services.devices.rename(admin, device.device_id, "لپ‌تاپ دفتر")
    assert [d.name for d in services.devices.list(admin)] == ["لپ‌تاپ دفتر"]
    with pytest.raises(ValidationFailed) as blank:
        services.devices.rename(admin, device.device_id, "  ")
    assert "name" in blank.value.errors
    with pytest.raises(ValidationFailed):
        services.devices.rename(admin, device.device_id, "ن" * 81)
    with pytest.raises(NotFound):
        services.devices.rename(admin, uuid.uuid4(), "x")


def test_only_an_administrator_manages_devices_and_only_for_an_active_user(services, admin) -> None:
    sara = _user(services, "sara")
    gone = _user(services, "gone", active=False)
    device = services.devices.register(admin, sara.user_id, "لپ‌تاپ")
    for attempt in (
        lambda: services.devices.list(sara),
        lambda: services.devices.register(sara, sara.user_id, "مال خودم"),
        lambda: services.devices.rename(sara, device.device_id, "x"),
        lambda: services.devices.revoke(sara, device.device_id),
    ):
        with pytest.raises(AccessDenied, match="فقط مدیر"):
            attempt()
    with pytest.raises(ValidationFailed) as refused:
        services.devices.register(admin, gone.user_id, "لپ‌تاپ")
    assert "user_id" in refused.value.errors
    with services.db.read(SYSTEM) as s:
        assert s.scalars(select(SyncDevice.code)).all() == ["L1"]

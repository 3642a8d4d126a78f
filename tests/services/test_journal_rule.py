"""The change journal is written only where a device reads it: a laptop copy, or an office with a registered,
non-revoked device. Elsewhere a write leaves no journal entry (and takes no number)."""

from __future__ import annotations

from sqlalchemy import func, select

from app.models import ChangeLogEntry, new_id
from app.services.core.actor import SYSTEM
from app.services.identities.records import IdentityData
from app.services.sync import state


def entries(services) -> int:
    with services.db.read(SYSTEM) as s:
        return s.scalar(select(func.count()).select_from(ChangeLogEntry))


def create(services, admin, last_name: str = "کریمی") -> None:
    services.identities.create(admin, IdentityData(first_name="علی", last_name=last_name))


def test_without_a_device_a_write_leaves_no_journal(services, admin) -> None:
    before = entries(services)
    create(services, admin)
    assert entries(services) == before


def test_a_registered_device_turns_the_journal_on_and_its_revocation_off(services, admin) -> None:
    registration = services.devices.register(admin, admin.user_id, "لپ‌تاپ")
    before = entries(services)
    create(services, admin)
    assert entries(services) > before
    services.devices.revoke(admin, registration.device_id)
    before = entries(services)
    create(services, admin, "احمدی")
    assert entries(services) == before


def test_a_laptop_copy_journals_its_writes(services, admin) -> None:
    with services.db.write(SYSTEM) as s:
        state.save(
            s,
            hub_id="office",
            device_id=str(new_id()),
            device_code="L1",
            user_id=str(admin.user_id),
            login="admin",
            secret="00",
        )
    before = entries(services)
    create(services, admin)
    assert entries(services) > before

"""The first copy and a first round trip."""

from __future__ import annotations

import dataclasses

from app.models import PhoneKind
from app.services.identities.records import IdentityData, PhoneData
from tests.sync.world import REP_PASSWORD


def person(first: str, last: str, mobile: str = "") -> IdentityData:
    phones = [PhoneData(mobile, PhoneKind.MOBILE)] if mobile else []
    return IdentityData(first_name=first, last_name=last, phones=phones)


def test_first_copy_then_round_trip(world):
    maryam = world.rep("maryam")
    theirs = world.at_office("maryam").identities.create(maryam, person("علی", "رضایی", "09121234567"))
    laptop = world.laptop("maryam")
    copied = laptop.services.identities.get(maryam, theirs.id)
    assert copied.display_name == theirs.display_name
    status = laptop.services.sync.status(maryam)
    assert (status.waiting, status.conflicts_open) == (0, 0)
    assert status.last_sync_at is not None  # the first copy is the first sync
    assert world.office.sync.status(world.admin) is None  # the office is not a laptop
    laptop.services.users.authenticate(maryam.login, REP_PASSWORD)  # offline: the copy's own password hash
    assert laptop.services.sync.status(maryam).waiting == 0  # a login's marks are the laptop's own

    mine = laptop.services.identities.create(maryam, person("سارا", "احمدی", "09131112233"))
    edited = laptop.services.identities.get(maryam, theirs.id)
    data = IdentityData(first_name="علی", last_name="رضایی‌نژاد", phones=[PhoneData("09121234567")])
    laptop.services.identities.update(maryam, edited.id, data, edited.version)
    assert laptop.services.sync.status(maryam).waiting == 2
    report = laptop.sync()
    assert report.pushed == 2
    at_office = world.office.identities.get(world.admin, mine.id)
    assert at_office.display_name == mine.display_name
    assert "رضایی‌نژاد" in world.office.identities.get(world.admin, theirs.id).display_name

    office_row = world.office.identities.get(world.admin, mine.id)
    change = dataclasses.replace(data, last_name="احمدی‌فر", first_name="سارا", phones=[PhoneData("09131112233")])
    world.office.identities.update(world.admin, office_row.id, change, office_row.version)
    again = laptop.sync()
    assert again.pushed == 0
    assert laptop.services.identities.get(maryam, mine.id).display_name.endswith("احمدی‌فر")

"""Optimistic locking compares the version the form opened with, and says who changed what."""

from __future__ import annotations

import pytest

from app.models import Identity, IdentityKind
from app.services.core.concurrency import ensure_version
from app.services.core.errors import ConcurrentChange


def test_a_change_since_opening_is_reported_with_who_when_and_their_values(services, admin) -> None:
    with services.db.write(admin) as s:
        person = Identity(kind=IdentityKind.PERSON, display_name="ندا", name_key="ندا", owner_id=admin.user_id)
        s.add(person)
    opened_version = person.version
    with services.db.write(admin) as s:
        s.get(Identity, person.id).description = "تغییر همکار"
    with pytest.raises(ConcurrentChange) as caught, services.db.write(admin) as s:
        ensure_version(s.get(Identity, person.id), opened_version, ["description"])
    conflict = caught.value
    assert conflict.changed_by == admin.display_name and conflict.changed_at is not None
    assert conflict.theirs == {"description": "تغییر همکار"}
    assert "تغییر کرده است" in conflict.message


def test_the_same_version_passes(services, admin) -> None:
    with services.db.write(admin) as s:
        person = Identity(kind=IdentityKind.PERSON, display_name="نیما", name_key="نیما", owner_id=admin.user_id)
        s.add(person)
    with services.db.write(admin) as s:
        ensure_version(s.get(Identity, person.id), person.version, ["description"])

"""sync.md §4 case 22: versions that cannot talk. A laptop newer than its office is refused with a
Persian message before anything is sent; a field the office does not know is an error, never dropped."""

from __future__ import annotations

import dataclasses

import pytest

from app.models import Identity
from app.services.core.errors import ServiceError
from app.services.sync import handshake, push, tables
from tests.sync.faults import customer_and_laptop, ledger, numbered
from tests.sync.world import edit, read


def test_22_a_laptop_newer_than_the_office_is_refused(world, monkeypatch):
    maryam, customer, laptop = customer_and_laptop(world)
    edit(laptop.services, maryam, Identity, customer, website="laptop.example.ir")
    monkeypatch.setattr(handshake, "SCHEMA_HEAD", "9999_from_the_future")
    with pytest.raises(ServiceError) as refused:
        laptop.sync()
    assert refused.value.message == handshake.NEWER
    assert read(world.office, Identity, customer, "website") is None
    assert laptop.services.sync.status(maryam).waiting == 1  # kept for later
    monkeypatch.undo()
    laptop.sync()
    assert read(world.office, Identity, customer, "website") == "laptop.example.ir"


def test_22_an_unknown_field_is_an_error_not_dropped(world, office_link):
    maryam, customer, laptop = customer_and_laptop(world)
    edit(laptop.services, maryam, Identity, customer, website="laptop.example.ir")
    (batch,) = numbered(laptop)
    (entry,) = batch.entries
    strange = dataclasses.replace(batch, entries=[{**entry, "f": {**entry["f"], "favourite_colour": "آبی"}}])
    hub_db, actor, origin = office_link(laptop)
    with pytest.raises(ValueError, match="favourite_colour"):
        push.send(hub_db, actor, [strange], origin)
    assert read(world.office, Identity, customer, "website") is None
    assert ledger(world, laptop) == []
    with pytest.raises(ValueError, match="favourite_colour"):
        tables.to_python(tables.by_name()["identities"], {"website": "x", "favourite_colour": "آبی"})

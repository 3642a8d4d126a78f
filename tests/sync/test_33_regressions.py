"""Divergences the convergence property (case 33) found, kept as plain examples: a record whose owner
changes at the office enters or leaves a rep's laptop whole, with the children seen through it."""

from __future__ import annotations

from app.models import Identity, SalesTeam, User
from app.services.core.actor import SYSTEM
from tests.sync.convergence import differences, dump
from tests.sync.test_first_sync import person
from tests.sync.world import edit


def _team(world):
    """maryam leads the team reza is in: she sees his records and may hand hers to him."""
    maryam, reza = world.rep("maryam"), world.rep("reza")
    with world.office.db.write(world.admin) as s:
        team = SalesTeam(name="تیم شمال", leader_id=maryam.user_id)
        s.add(team)
        s.flush()
        s.get(User, reza.user_id).team_id = team.id
    return maryam, reza


def _same_as_office(world, laptop) -> list[str]:
    return differences(dump(laptop.db, SYSTEM), dump(world.at_office(laptop.name).db, laptop.actor))


def test_a_record_handed_to_a_rep_reaches_the_laptop_with_its_phones(pg_world):
    maryam, reza = _team(pg_world)
    laptop = pg_world.laptop("reza")
    office = pg_world.at_office("maryam")
    customer = office.identities.create(maryam, person("علی", "رضایی", "09121234567")).id
    laptop.sync()  # the laptop's cursor passes the phone's journal entry, which it may not read yet
    edit(office, maryam, Identity, customer, owner_id=reza.user_id)
    laptop.sync()
    assert _same_as_office(pg_world, laptop) == []
    assert laptop.services.identities.get(reza, customer).phones


def test_a_record_taken_back_while_edited_on_the_laptop_leaves_it_with_its_phones(pg_world):
    maryam, reza = _team(pg_world)
    laptop = pg_world.laptop("reza")
    customer = laptop.services.identities.create(reza, person("علی", "رضایی", "09121234567")).id
    laptop.sync()
    edit(laptop.services, reza, Identity, customer, website="reza.example.ir")
    edit(pg_world.at_office("maryam"), maryam, Identity, customer, owner_id=maryam.user_id)
    laptop.sync()  # the office refuses reza's edit; reading the record again finds nothing to show him
    assert _same_as_office(pg_world, laptop) == []


def test_a_record_taken_back_leaves_the_laptop(pg_world):
    """Case 34: the journal entry of a record handed away names its former owner, whose laptop then reads
    the record again, finds nothing to show and removes it with its children."""
    maryam, reza = _team(pg_world)
    laptop = pg_world.laptop("reza")
    customer = laptop.services.identities.create(reza, person("علی", "رضایی", "09121234567")).id
    laptop.sync()
    edit(pg_world.at_office("maryam"), maryam, Identity, customer, owner_id=maryam.user_id)
    laptop.sync()
    assert _same_as_office(pg_world, laptop) == []

"""sync.md §4 cases 12-20: the same record changed on both sides, deletes against edits, duplicates."""

from __future__ import annotations

import datetime as dt

from app.models import Identity, Opportunity
from app.services.opportunities.data import OpportunityData
from tests.sync.test_first_sync import person
from tests.sync.world import conflicts, edit, read


def _customer(world, rep):
    return world.at_office(rep.display_name).identities.create(rep, person("علی", "رضایی", "09121234567")).id


def test_12_different_fields_merge_without_a_conflict(world):
    maryam = world.rep("maryam")
    customer = _customer(world, maryam)
    laptop = world.laptop("maryam")
    edit(laptop.services, maryam, Identity, customer, website="ali.example.ir")
    edit(world.office, world.admin, Identity, customer, description="مشتری قدیمی")
    laptop.sync()
    assert read(world.office, Identity, customer, "website", "description") == ("ali.example.ir", "مشتری قدیمی")
    assert read(laptop.services, Identity, customer, "website", "description") == ("ali.example.ir", "مشتری قدیمی")
    assert conflicts(world.office) == []


def test_13_same_ordinary_field_goes_to_the_later_edit(world):
    maryam = world.rep("maryam")
    customer = _customer(world, maryam)
    laptop = world.laptop("maryam")
    edit(world.office, world.admin, Identity, customer, website="office.example.ir")
    edit(laptop.services, maryam, Identity, customer, website="laptop.example.ir")  # later
    laptop.sync()
    assert read(world.office, Identity, customer, "website") == "laptop.example.ir"
    (row,) = conflicts(world.office)
    assert row == ("identities", "website", "update_update", "auto", "device", "office.example.ir", "laptop.example.ir")
    assert conflicts(laptop.services) == [row]  # the ledger of what was settled travels to the laptop


def test_13_an_older_laptop_edit_loses_and_is_kept(world):
    maryam = world.rep("maryam")
    customer = _customer(world, maryam)
    laptop = world.laptop("maryam")
    edit(laptop.services, maryam, Identity, customer, website="laptop.example.ir")
    edit(world.office, world.admin, Identity, customer, website="office.example.ir")  # later
    laptop.sync()
    assert read(world.office, Identity, customer, "website") == "office.example.ir"
    assert read(laptop.services, Identity, customer, "website") == "office.example.ir"
    (row,) = conflicts(world.office)
    assert row[3:] == ("auto", "server", "office.example.ir", "laptop.example.ir")


def test_14_money_never_resolves_silently(world):
    maryam = world.rep("maryam")
    customer = _customer(world, maryam)
    deal = world.at_office("maryam").opportunity_records.create(
        maryam, OpportunityData(customer, "قرارداد پشتیبانی", amount=100)
    )
    laptop = world.laptop("maryam")
    edit(laptop.services, maryam, Opportunity, deal, amount=250_000_000)
    edit(world.office, world.admin, Opportunity, deal, amount=300_000_000)
    laptop.sync()
    assert read(world.office, Opportunity, deal, "amount") == 300_000_000
    assert read(laptop.services, Opportunity, deal, "amount") == 300_000_000
    (row,) = conflicts(laptop.services)
    assert row == ("opportunities", "amount", "update_update", "open", None, 300_000_000, 250_000_000)


def test_15_two_laptops_the_second_meets_the_first(world):
    maryam = world.rep("maryam")
    customer = _customer(world, maryam)
    first, second = world.laptop("maryam"), world.laptop("maryam")
    edit(first.services, maryam, Identity, customer, website="first.example.ir")
    edit(second.services, maryam, Identity, customer, website="second.example.ir")  # later
    first.sync()
    second.sync()
    first.sync()
    for services in (world.office, first.services, second.services):
        assert read(services, Identity, customer, "website") == "second.example.ir"
    (row,) = conflicts(world.office)
    assert row[3:] == ("auto", "device", "first.example.ir", "second.example.ir")


def test_16_an_edit_of_a_record_deleted_at_the_office_stays_deleted(world):
    maryam = world.rep("maryam")
    customer = _customer(world, maryam)
    laptop = world.laptop("maryam")
    edit(laptop.services, maryam, Identity, customer, website="laptop.example.ir")
    world.office.identities.soft_delete(world.admin, customer)
    laptop.sync()
    assert read(world.office, Identity, customer, "deleted_at") is not None
    assert read(laptop.services, Identity, customer, "deleted_at") is not None
    (row,) = conflicts(world.office)
    assert row[:4] == ("identities", None, "delete_update", "open")
    assert row[6]["website"] == "laptop.example.ir"


def test_17_a_delete_of_a_record_edited_at_the_office_is_not_applied(world):
    maryam = world.rep("maryam")
    customer = _customer(world, maryam)
    laptop = world.laptop("maryam")
    laptop.services.identities.soft_delete(maryam, customer)
    edit(world.office, world.admin, Identity, customer, website="office.example.ir")
    laptop.sync()
    assert read(world.office, Identity, customer, "deleted_at") is None
    assert read(laptop.services, Identity, customer, "deleted_at", "website") == (None, "office.example.ir")
    (row,) = conflicts(world.office)
    assert row[:4] == ("identities", None, "update_delete", "open")


def test_18_deleted_on_both_sides_is_one_delete(world):
    maryam = world.rep("maryam")
    customer = _customer(world, maryam)
    laptop = world.laptop("maryam")
    laptop.services.identities.soft_delete(maryam, customer)
    world.office.identities.soft_delete(world.admin, customer)
    laptop.sync()
    assert read(world.office, Identity, customer, "deleted_at") is not None
    assert conflicts(world.office) == []


def test_20_the_same_person_made_on_two_laptops_is_a_merge_proposal(world):
    maryam = world.rep("maryam")
    first, second = world.laptop("maryam"), world.laptop("maryam")
    one = first.services.identities.create(maryam, person("رضا", "کریمی", "09351234567")).id
    two = second.services.identities.create(maryam, person("رضا", "کریمی", "09351234567")).id
    first.sync()
    second.sync()
    rows = conflicts(world.office)
    assert [(r[0], r[2], r[3]) for r in rows] == [("identities", "duplicate", "open")]
    with world.office.db.read(world.admin) as s:
        from app.models import SyncConflict

        proposal = s.query(SyncConflict).one()
        assert (proposal.row_id, proposal.other_row_id) == (str(two), str(one))
    assert dt.datetime.now(dt.UTC) >= proposal.created_at

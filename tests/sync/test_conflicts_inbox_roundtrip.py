"""A conflict reaches the rep's laptop by sync, is resolved there in the inbox, and the resolution travels
back: the office's record takes the chosen value and its conflict is resolved too, with no new conflict."""

from __future__ import annotations

from app.models import Identity, Opportunity
from app.services.opportunities.data import OpportunityData
from tests.sync.test_conflict_rules import _customer
from tests.sync.world import conflicts, edit, read


def test_money_chosen_on_the_laptop_reaches_the_office(world):
    maryam = world.rep("maryam")
    customer = _customer(world, maryam)
    office = world.at_office("maryam")
    deal = office.opportunity_records.create(maryam, OpportunityData(customer, "قرارداد پشتیبانی", amount=100))
    laptop = world.laptop("maryam")
    edit(laptop.services, maryam, Opportunity, deal, amount=250_000_000)
    edit(world.office, world.admin, Opportunity, deal, amount=300_000_000)
    laptop.sync()
    (view,) = laptop.services.conflicts.list(maryam)
    assert (view.field_label, view.server_text, view.device_text) == ("مبلغ", "۳۰۰٬۰۰۰٬۰۰۰ ریال", "۲۵۰٬۰۰۰٬۰۰۰ ریال")
    laptop.services.conflicts.keep_device(maryam, view.id)
    assert read(laptop.services, Opportunity, deal, "amount") == 250_000_000
    laptop.sync()
    assert read(world.office, Opportunity, deal, "amount") == 250_000_000
    (row,) = conflicts(world.office)
    assert row[2:5] == ("update_update", "resolved", "device")
    assert world.office.conflicts.count_open(world.admin) == 0


def test_an_automatic_loss_reverted_on_the_laptop_reaches_the_office(world):
    maryam = world.rep("maryam")
    customer = _customer(world, maryam)
    laptop = world.laptop("maryam")
    edit(laptop.services, maryam, Identity, customer, website="laptop.example.ir")
    edit(world.office, world.admin, Identity, customer, website="office.example.ir")  # later: it wins
    laptop.sync()
    assert laptop.services.conflicts.list(maryam) == []
    (view,) = laptop.services.conflicts.list(maryam, include_settled=True)
    assert view.status == "auto" and view.resolution_label == "نسخهٔ دفتر"
    laptop.services.conflicts.keep_device(maryam, view.id)
    laptop.sync()
    assert read(world.office, Identity, customer, "website") == "laptop.example.ir"
    (row,) = conflicts(world.office)
    assert row[3:5] == ("resolved", "device")


def test_a_record_restored_on_the_laptop_lives_again_at_the_office(world):
    maryam = world.rep("maryam")
    customer = _customer(world, maryam)
    laptop = world.laptop("maryam")
    world.office.identities.soft_delete(world.admin, customer)
    edit(laptop.services, maryam, Identity, customer, website="ali.example.ir")
    laptop.sync()
    (view,) = laptop.services.conflicts.list(maryam)
    assert view.kind == "delete_update" and view.device_text == "وب‌سایت: ali.example.ir"
    laptop.services.conflicts.restore(maryam, view.id)
    laptop.sync()
    assert read(world.office, Identity, customer, "deleted_at", "website") == (None, "ali.example.ir")
    (row,) = conflicts(world.office)
    assert row[2:5] == ("delete_update", "resolved", "restored")

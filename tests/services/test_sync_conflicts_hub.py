"""Conflicts as the office's sync makes them (app.services.sync.hub applying a laptop's batch), shown in
the inbox and resolved there: the shapes the hub stores are the ones the inbox reads."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import func, select

from app.models import ChangeLogEntry, Identity, Opportunity, utcnow
from app.services.core.actor import SYSTEM
from app.services.identities.records import IdentityData, PhoneData
from app.services.sync import hub
from tests.services.access_world import World, build
from tests.services.test_sync_conflicts import stored

DEVICE = uuid.uuid4()


@pytest.fixture
def world(services, journaling) -> World:
    return build(services)


def last_seq(world: World) -> int:
    with world.services.db.read(SYSTEM) as s:
        return s.scalar(select(func.max(ChangeLogEntry.seq))) or 0


def push(world: World, base_seq: int, edited: dt.datetime, *entries: dict, refuse: str | None = None) -> None:
    """rep_a's laptop batch, made at `edited`, applied (or refused) at the office as rep_a."""
    hlc = f"{int(edited.timestamp() * 1000):013d}:0000"
    batch = hub.Batch(1, uuid.uuid4(), base_seq, hlc, "", list(entries))
    origin = hub.Origin(DEVICE, world.rep_a.user_id, 0, utcnow())
    with world.services.db.write(world.rep_a) as s:
        if refuse:
            hub.reject(s, batch, origin, refuse)
        else:
            hub.apply_batch(s, batch, origin)


def update(table: str, row_id, **fields) -> dict:
    return {"t": table, "r": str(row_id), "o": "update", "f": fields}


def test_money_edited_on_both_sides_waits_for_the_rep_who_keeps_the_laptops(world) -> None:
    opp = world.records["opportunity_a"]
    base = last_seq(world)
    with world.services.db.write(world.clerk) as s:
        s.get(Opportunity, opp).amount = 2_000_000
    push(world, base, utcnow(), update("opportunities", opp, amount=3_000_000))
    (view,) = world.services.conflicts.list(world.rep_a)
    assert (view.field_label, view.status, view.server_text, view.device_text) == (
        "مبلغ",
        "open",
        "۲٬۰۰۰٬۰۰۰ ریال",
        "۳٬۰۰۰٬۰۰۰ ریال",
    )
    assert view.server_who == "clerk" and view.device_who == "rep_a"
    world.services.conflicts.keep_device(world.rep_a, view.id)
    assert stored(world, Opportunity, opp).amount == 3_000_000


def test_an_older_laptop_edit_loses_silently_and_can_be_brought_back(world) -> None:
    identity = world.records["identity_a"]
    base = last_seq(world)
    with world.services.db.write(world.clerk) as s:
        s.get(Identity, identity).description = "از دفتر"
    push(world, base, utcnow() - dt.timedelta(hours=2), update("identities", identity, description="از سفر"))
    assert world.services.conflicts.list(world.rep_a) == []
    (view,) = world.services.conflicts.list(world.rep_a, include_settled=True)
    assert (view.status_label, view.resolution_label) == ("حل خودکار", "نسخهٔ دفتر")
    assert stored(world, Identity, identity).description == "از دفتر"
    world.services.conflicts.keep_device(world.rep_a, view.id)
    assert stored(world, Identity, identity).description == "از سفر"


def test_an_edit_of_a_record_deleted_at_the_office_is_restored_with_the_laptops_values(world) -> None:
    opp = world.records["opportunity_a"]
    base = last_seq(world)
    world.services.opportunity_records.soft_delete(world.clerk, opp)
    push(world, base, utcnow(), update("opportunities", opp, title="فرصت سفر"))
    (view,) = world.services.conflicts.list(world.rep_a)
    assert view.kind_label == "ویرایش رکورد حذف‌شده" and view.device_text == "عنوان: فرصت سفر"
    assert view.server_text == "این رکورد در دفتر حذف شده است." and view.server_who == "clerk"
    world.services.conflicts.restore(world.rep_a, view.id)
    row = stored(world, Opportunity, opp)
    assert row.deleted_at is None and row.title == "فرصت سفر"


def test_a_refused_batch_lists_its_changes_and_is_set_aside(world) -> None:
    opp = world.records["opportunity_a"]
    push(world, last_seq(world), utcnow(), update("opportunities", opp, amount=9), refuse="دوره مالی بسته است.")
    (view,) = world.services.conflicts.list(world.rep_a)
    assert (view.kind_label, view.record_title, view.message) == ("ردشده در دفتر", "فرصت a", "دوره مالی بسته است.")
    assert view.device_text == "ویرایش فرصت — مبلغ: ۹ ریال" and view.server_text == "تغییر پذیرفته نشد."
    world.services.conflicts.discard(world.rep_a, view.id)
    assert world.services.conflicts.count_open(world.rep_a) == 0


def test_the_same_person_made_on_the_laptop_is_merged_into_the_office_one(world) -> None:
    office = IdentityData(first_name="مریم", last_name="احمدی", phones=[PhoneData("09121234567")])
    known = world.services.identities.create(world.rep_a, office).id
    new_id = uuid.uuid4()
    phone = {"identity_id": str(new_id), "number": "0912 123 4567"}
    fields = {"kind": "person", "display_name": "مریم احمدی", "owner_id": str(world.rep_a.user_id)}
    push(
        world,
        last_seq(world),
        utcnow(),
        {"t": "identities", "r": str(new_id), "o": "insert", "f": fields},
        {"t": "identity_phones", "r": str(uuid.uuid4()), "o": "insert", "f": phone},
    )
    (view,) = world.services.conflicts.list(world.rep_a)
    assert (view.kind_label, view.record_title, view.other_title) == ("هویت تکراری", "مریم احمدی", "مریم احمدی")
    assert (view.server_text, view.device_text) == ("مریم احمدی", "مریم احمدی") and "تلفن" in view.message
    world.services.conflicts.merge_duplicate(world.rep_a, view.id, str(known))
    assert stored(world, Identity, new_id).merged_into_id == known

"""sync.md §4 cases 8-10: a batch delivered twice, batches out of order, a child made right after its
parent on a laptop."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import func, select

from app.models import Activity, ChangeLogEntry, Identity, SyncOutbox, utcnow
from app.models.enums import ActivityKind, IdentityKind
from app.services.activities.data import ActivityData
from app.services.sync import push
from app.services.sync.hub_calls import OutOfOrder
from tests.sync.faults import customer_and_laptop, ledger, numbered
from tests.sync.test_first_sync import person
from tests.sync.world import edit, read


def _office_journal(world) -> int:
    with world.office.db.engine.connect() as conn:
        return conn.execute(select(func.max(ChangeLogEntry.seq))).scalar_one()


def test_8_the_same_batch_sent_twice_is_applied_once(world, office_link):
    maryam, customer, laptop = customer_and_laptop(world)
    edit(laptop.services, maryam, Identity, customer, website="laptop.example.ir")
    (batch,) = numbered(laptop)
    hub_db, actor, origin = office_link(laptop)
    first = push.send(hub_db, actor, [batch], origin)
    journal = _office_journal(world)
    assert push.send(hub_db, actor, [batch], origin) == first
    assert (ledger(world, laptop), _office_journal(world)) == ([1], journal)


def test_8_an_acknowledged_batch_back_in_the_outbox_is_a_no_op(world):
    maryam, customer, laptop = customer_and_laptop(world)
    edit(laptop.services, maryam, Identity, customer, website="laptop.example.ir")
    with laptop.db.engine.connect() as conn:
        queued = dict(conn.execute(select(SyncOutbox.__table__)).mappings().one())
    laptop.sync()
    edit(world.at_office("maryam"), maryam, Identity, customer, website="office.example.ir")
    journal = _office_journal(world)
    with laptop.db.engine.begin() as conn:  # as if the acknowledgement had been lost
        conn.execute(SyncOutbox.__table__.insert().values({**queued, "batch_no": 1}))
    assert laptop.sync().pushed == 1
    assert (ledger(world, laptop), _office_journal(world)) == ([1], journal)
    assert read(world.office, Identity, customer, "website") == "office.example.ir"
    assert laptop.services.sync.status(maryam).waiting == 0


def test_9_a_batch_before_its_predecessor_is_refused_then_both_apply_in_order(world, office_link):
    maryam, customer, laptop = customer_and_laptop(world)
    edit(laptop.services, maryam, Identity, customer, website="first.example.ir")
    edit(laptop.services, maryam, Identity, customer, description="دوم")
    one, two = numbered(laptop)
    hub_db, actor, origin = office_link(laptop)
    journal = _office_journal(world)
    with pytest.raises(OutOfOrder):
        push.send(hub_db, actor, [two], origin)
    assert (ledger(world, laptop), _office_journal(world)) == ([], journal)
    assert read(world.office, Identity, customer, "description") is None
    push.send(hub_db, actor, [one], origin)
    push.send(hub_db, actor, [two], origin)
    assert ledger(world, laptop) == [1, 2]
    assert read(world.office, Identity, customer, "website", "description") == ("first.example.ir", "دوم")


def test_10_a_child_made_right_after_its_parent_arrives_with_it(world, office_link):
    maryam = world.rep("maryam")
    laptop = world.laptop("maryam")
    due = utcnow() + dt.timedelta(days=1)
    # Batches of their own: the identity, then an activity on it.
    parent = laptop.services.identities.create(maryam, person("سارا", "احمدی", "09131112233")).id
    call = laptop.services.activities.plan(maryam, ActivityData(parent, "تماس نخست", due, ActivityKind.CALL)).id
    # One batch with both, its entries turned around (the child first): the office still inserts the parent first.
    with laptop.db.write(maryam) as s:
        other = Identity(kind=IdentityKind.PERSON, display_name="رضا", name_key="رضا", owner_id=maryam.user_id)
        s.add(other)
        s.flush()
        task = Activity(
            identity_id=other.id, kind=ActivityKind.TASK, summary="کاتالوگ", due_at=due, assignee_id=maryam.user_id
        )
        s.add(task)
    *earlier, both = numbered(laptop)
    both = dataclasses.replace(both, entries=list(reversed(both.entries)))
    assert both.entries[0]["t"] == "activities"
    hub_db, actor, origin = office_link(laptop)
    for batch in (*earlier, both):
        (answer,) = push.send(hub_db, actor, [batch], origin)
        assert "rejected" not in answer
    assert read(world.office, Activity, call, "identity_id") == parent
    assert read(world.office, Activity, task.id, "identity_id") == other.id

"""Helpers of the fault and delivery tests (not a test module): a rep with a customer and a laptop, the
office's ledger of a laptop's batches, the laptop's batches numbered as a push numbers them."""

from __future__ import annotations

from sqlalchemy import select

from app.models import SyncBatch
from app.services.sync import push
from tests.sync.test_first_sync import person


def customer_and_laptop(world):
    """(maryam, her customer made at the office, her laptop copied after it)."""
    maryam = world.rep("maryam")
    customer = world.at_office("maryam").identities.create(maryam, person("علی", "رضایی", "09121234567")).id
    return maryam, customer, world.laptop("maryam")


def ledger(world, laptop) -> list[int]:
    """The batch numbers the office recorded for this laptop."""
    with world.office.db.engine.connect() as conn:
        stmt = select(SyncBatch.batch_no).where(SyncBatch.device_id == laptop.registration.device_id)
        return sorted(conn.execute(stmt).scalars())


def numbered(laptop) -> list[push.hub.Batch]:
    with laptop.db.engine.begin() as conn:
        push.number_batches(conn)
        return push.batches(conn)

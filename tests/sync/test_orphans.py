"""sync.md §4 case 19: a record made offline under a parent the office has meanwhile deleted is kept
(the work is not lost) and flagged for a person: restore the parent or remove the new record."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from app.models import Activity, SyncConflict, utcnow
from app.models.enums import ActivityKind
from app.services.activities.data import ActivityData
from app.services.sync.hub import ORPHAN
from tests.sync.test_first_sync import person
from tests.sync.world import conflicts, read


def test_19_an_activity_on_an_identity_deleted_at_the_office_is_inserted_and_flagged(world):
    maryam = world.rep("maryam")
    customer = world.at_office("maryam").identities.create(maryam, person("علی", "رضایی", "09121234567")).id
    laptop = world.laptop("maryam")
    data = ActivityData(customer, "پیگیری پیش‌فاکتور", utcnow() + dt.timedelta(days=1), ActivityKind.CALL)
    call = laptop.services.activities.plan(maryam, data).id
    world.office.identities.soft_delete(world.admin, customer)
    report = laptop.sync()
    assert read(world.office, Activity, call, "identity_id", "summary") == (customer, "پیگیری پیش‌فاکتور")
    (row,) = conflicts(world.office)
    assert row[:4] == ("identities", None, "delete_update", "open")
    assert row[6] == {"t": "activities", "r": str(call)}
    assert report.conflicts == 1
    with world.office.db.read(world.admin) as s:
        flag = s.scalars(select(SyncConflict)).one()
        assert (flag.row_id, flag.message) == (str(customer), ORPHAN)

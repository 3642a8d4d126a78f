"""sync.md §4 case 21: a change the office refuses (here its access rules: the record was given to
another rep meanwhile) is refused with its whole batch, kept for a person as a "rejected" conflict with
the change, the laptop gets the office's state back, and later batches still flow."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from app.models import Activity, Identity, IdentityPhone, SyncConflict, utcnow
from app.models.enums import ActivityKind
from app.services.activities.data import ActivityData
from app.services.core.actor import SYSTEM
from tests.sync.test_first_sync import person
from tests.sync.world import edit, read


def test_21_a_refused_batch_is_kept_whole_and_later_batches_flow(world):
    maryam, reza = world.rep("maryam"), world.rep("reza")
    office = world.at_office("maryam")
    given = office.identities.create(maryam, person("علی", "رضایی", "09121234567")).id
    kept = office.identities.create(maryam, person("سارا", "احمدی", "09131112233")).id
    laptop = world.laptop("maryam")
    with laptop.db.write(maryam) as s:  # one batch: both records
        s.get(Identity, given).website = "given.example.ir"
        s.get(Identity, kept).website = "kept.example.ir"
    edit(laptop.services, maryam, Identity, kept, description="بعدی")  # a later batch
    edit(world.office, world.admin, Identity, given, owner_id=reza.user_id)  # the office gives it to reza

    report = laptop.sync()
    assert (report.pushed, report.conflicts) == (2, 1)
    assert read(world.office, Identity, given, "website", "owner_id") == (None, reza.user_id)
    assert read(world.office, Identity, kept, "website", "description") == (None, "بعدی")  # nothing of batch 1
    with world.office.db.read(world.admin) as s:
        rejected = s.scalars(select(SyncConflict)).one()
        assert (rejected.kind, rejected.status, rejected.user_id) == ("rejected", "open", maryam.user_id)
        changed = {e["r"]: e["f"]["website"] for e in rejected.device_value["entries"]}
        assert changed == {str(given): "given.example.ir", str(kept): "kept.example.ir"}
        assert rejected.message

    # The laptop has the office's state back: the record it may no longer see is gone, the other as there.
    assert read(laptop.services, Identity, kept, "website", "description") == (None, "بعدی")
    with laptop.db.read(SYSTEM) as s:
        assert s.get(Identity, given) is None
        assert s.scalars(select(IdentityPhone).where(IdentityPhone.identity_id == given)).all() == []
        assert s.scalars(select(SyncConflict.kind)).all() == ["rejected"]
    assert laptop.services.sync.status(maryam).waiting == 0


def test_21_a_record_given_away_stays_while_the_laptop_still_shows_something_of_it(world):
    maryam, reza = world.rep("maryam"), world.rep("reza")
    office = world.at_office("maryam")
    given = office.identities.create(maryam, person("علی", "رضایی", "09121234567")).id
    due = utcnow() + dt.timedelta(days=1)
    call = office.activities.plan(maryam, ActivityData(given, "تماس", due, ActivityKind.CALL)).id
    laptop = world.laptop("maryam")
    edit(world.office, world.admin, Identity, given, owner_id=reza.user_id)
    laptop.sync()  # her activity stays hers: the identity it points at stays too, or the pull could not commit
    with laptop.db.read(SYSTEM) as s:
        assert s.get(Activity, call).identity_id == given
        assert s.get(Identity, given) is not None
    edit(world.office, world.admin, Activity, call, summary="تماس دوباره")
    laptop.sync()
    assert read(laptop.services, Activity, call, "summary") == "تماس دوباره"

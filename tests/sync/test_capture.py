"""sync.md §4 cases 1-3: what a laptop's write transaction leaves in its outbox."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from app.models import ChangeLogEntry, Identity, IdentityPhone, IdentityTag, SyncOutbox, Tag
from app.models.enums import IdentityKind, IdentityRole
from app.services.sync import push
from tests.sync.test_first_sync import person
from tests.sync.world import read, sqlite_world


@pytest.fixture
def laptop_world(tmp_path):
    """Capture happens on the laptop alone: an office in a SQLite file is enough to make the copy."""
    with sqlite_world(tmp_path) as world:
        world.rep("maryam")
        yield world, world.laptop("maryam")


def _count(laptop, model) -> int:
    with laptop.db.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(model)).scalar_one()


def _only_batch(laptop) -> push.hub.Batch:
    with laptop.db.engine.begin() as conn:
        push.number_batches(conn)
        (batch,) = push.batches(conn)
    return batch


def test_1_an_edit_and_its_outbox_row_commit_together(laptop_world):
    world, laptop = laptop_world
    maryam = laptop.actor
    made = laptop.services.identities.create(maryam, person("علی", "رضایی", "09121234567"))
    assert _count(laptop, SyncOutbox) == 1
    with laptop.db.engine.connect() as conn:
        (seq,) = conn.execute(select(SyncOutbox.seq)).scalars()
        logged = set(conn.execute(select(ChangeLogEntry.table_name).where(ChangeLogEntry.seq == seq)).scalars())
    assert {"identities", "identity_phones"} <= logged

    journal = _count(laptop, ChangeLogEntry)
    with pytest.raises(RuntimeError), laptop.db.write(maryam) as s:
        s.get(Identity, made.id).website = "never.example.ir"
        s.add(Identity(kind=IdentityKind.PERSON, display_name="نیمه", name_key="نیمه", owner_id=maryam.user_id))
        s.flush()  # the rows were written in the transaction …
        raise RuntimeError("the use case fails after its writes")
    # … and the rollback took the rows, their journal entries and the outbox row away together.
    assert read(laptop.services, Identity, made.id, "website") is None
    assert _count(laptop, Identity) == 1
    assert (_count(laptop, SyncOutbox), _count(laptop, ChangeLogEntry)) == (1, journal)


def test_2_defaults_children_and_links_travel_with_their_final_values(laptop_world):
    world, laptop = laptop_world
    maryam = laptop.actor
    data = person("سارا", "احمدی", "09131112233")
    data.tags = ["نمایشگاه"]
    made = laptop.services.identities.create(maryam, data)
    with laptop.db.write(maryam) as s:  # a value changed again after its insert was flushed
        row = Identity(kind=IdentityKind.PERSON, display_name="رضا", name_key="رضا", owner_id=maryam.user_id)
        s.add(row)
        s.flush()
        row.website = "final.example.ir"
    entries = [e for batch in _batches(laptop) for e in batch.entries]
    inserted = {(e["t"], e["r"]): e["f"] for e in entries if e["o"] == "insert"}
    identity = inserted[("identities", str(made.id))]
    assert identity["role"] == IdentityRole.LEAD.value  # a Python default, written by the insert
    assert identity["owner_id"] == str(maryam.user_id)
    (phone,) = [f for (t, _), f in inserted.items() if t == "identity_phones"]
    assert (phone["identity_id"], phone["number"]) == (str(made.id), "09131112233")
    (tag,) = [r for (t, r) in inserted if t == "tags"]
    (link,) = [f for (t, _), f in inserted.items() if t == "identity_tags"]
    assert link == {"identity_id": str(made.id), "tag_id": tag}

    laptop.sync()
    office = world.office
    assert read(office, Identity, row.id, "website") == "final.example.ir"
    with office.db.read(world.admin) as s:
        assert s.scalars(select(IdentityPhone.number).where(IdentityPhone.identity_id == made.id)).all() == [
            "09131112233"
        ]
        assert s.scalar(select(IdentityTag.tag_id).where(IdentityTag.identity_id == made.id)) == s.scalar(
            select(Tag.id).where(Tag.name == "نمایشگاه")
        )


def _batches(laptop) -> list:
    with laptop.db.engine.begin() as conn:
        push.number_batches(conn)
        return push.batches(conn)


def test_3_a_bulk_update_reaches_the_outbox_and_the_office(laptop_world):
    world, laptop = laptop_world
    maryam = laptop.actor
    ids = [laptop.services.identities.create(maryam, person("نام", str(n))).id for n in range(3)]
    laptop.sync()
    with laptop.db.write(maryam) as s:
        s.execute(update(Identity).where(Identity.id.in_(ids[:2])).values(website="bulk.example.ir"))
    batch = _only_batch(laptop)
    changed = {e["r"]: e["f"] for e in batch.entries if e["t"] == "identities"}
    assert set(changed) == {str(i) for i in ids[:2]}
    assert all(f["website"] == "bulk.example.ir" for f in changed.values())
    laptop.sync()
    assert [read(world.office, Identity, i, "website") for i in ids] == ["bulk.example.ir"] * 2 + [None]

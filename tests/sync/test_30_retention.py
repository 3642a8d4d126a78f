"""Case 30 (sync.md §4): the office's journal kept only as long as laptops need it (retention.prune,
`python -m app sync prune`), and the position it was pruned to told to every laptop by the hello."""

from __future__ import annotations

import datetime as dt
import json
import os

from sqlalchemy import func, select, update
from sqlalchemy.engine import make_url

from app.cli import main
from app.models import ChangeLogEntry, SyncDevice, utcnow
from app.services.core.actor import SYSTEM
from app.services.core.database import Database
from app.services.sync import hub_calls, retention
from tests.sync.test_first_sync import person


def _owner(world) -> Database:
    """The office as its owner (the command's connection): the journal is the owner's to prune."""
    if "url" in world.server:
        return world.office.db
    admin = make_url(os.environ["PEYVAND_TEST_PG_URL"])
    url = world.office.db.url.set(username=admin.username, password=admin.password)
    return Database(url.render_as_string(hide_password=False), create=False)


def _age(db: Database, days: int) -> None:
    """Every journal entry so far made `days` old."""
    with db.engine.begin() as conn:
        conn.execute(update(ChangeLogEntry).values(at=utcnow() - dt.timedelta(days=days)))


def _device(db: Database, device_id, **values) -> None:
    with db.engine.begin() as conn:
        conn.execute(update(SyncDevice).where(SyncDevice.id == device_id).values(**values))


def _first_kept(db: Database) -> int | None:
    with db.read(SYSTEM) as s:
        return s.scalar(select(func.min(ChangeLogEntry.seq)))


def _office_edits(world, name: str, count: int) -> None:
    for _ in range(count):
        world.codes += 1  # a distinct name each
        world.at_office(name).identities.create(world.reps[name], person(f"مشتری {name}", f"شمارهٔ {world.codes}"))


def test_prune_keeps_what_active_laptops_need_and_a_revoked_one_holds_nothing_back(world) -> None:
    world.rep("maryam"), world.rep("reza")
    owner = _owner(world)
    try:
        maryam, reza = world.laptop("maryam"), world.laptop("reza")
        _office_edits(world, "maryam", 3)
        behind = _first_kept(owner) + 2  # reza's laptop has pulled up to here only
        _office_edits(world, "reza", 3)
        maryam.sync()
        _device(owner, reza.registration.device_id, last_pull_seq=behind)
        _age(owner, 100)
        _office_edits(world, "maryam", 1)  # recent: kept whatever the cursors say

        report = retention.prune(owner, 90)
        assert (_first_kept(owner), report.retention_seq) == (behind, behind)  # reza still needs behind + 1..
        assert report.deleted > 0
        with owner.engine.connect() as conn:
            assert hub_calls.hello(conn, maryam.registration.device_id)["retention_seq"] == behind
        assert retention.prune(owner, 90).deleted == 0  # nothing more to take

        world.office.devices.revoke(world.admin, reza.registration.device_id)
        with owner.read(SYSTEM) as s:
            maryam_cursor = s.get(SyncDevice, maryam.registration.device_id).last_pull_seq
        report = retention.prune(owner, 90)
        assert report.retention_seq == _first_kept(owner) == maryam_cursor  # the revoked laptop waits for nothing

        # A laptop away longer than the retention holds nothing back either: only the recent entry stays.
        _device(owner, maryam.registration.device_id, last_seen_at=utcnow() - dt.timedelta(days=120))
        report = retention.prune(owner, 90)
        with owner.read(SYSTEM) as s:
            kept = s.scalars(select(ChangeLogEntry.at)).all()
        assert kept and all(
            at.replace(tzinfo=None) > (utcnow() - dt.timedelta(days=1)).replace(tzinfo=None) for at in kept
        )
        assert report.retention_seq == _first_kept(owner)
    finally:
        if owner is not world.office.db:
            owner.dispose()


def test_the_prune_command(world, capsys) -> None:
    world.rep("maryam")
    owner = _owner(world)
    try:
        laptop = world.laptop("maryam")  # the journal is written because a device reads it
        _office_edits(world, "maryam", 2)
        laptop.sync()  # and it has read these edits: nothing holds them back
        _age(owner, 40)
        url = owner.url.render_as_string(hide_password=False)
        assert main(["sync", "prune", "--days", "30", "--json", "--db", url]) == 0
        printed = json.loads(capsys.readouterr().out)
        assert printed["deleted"] > 0 and printed["retention_seq"] > 1
        assert _first_kept(owner) == printed["retention_seq"]  # its own note of it, in the journal too
        assert main(["sync", "prune", "--days", "0", "--db", url]) == 1
        assert "دست‌کم یک روز" in capsys.readouterr().err
    finally:
        if owner is not world.office.db:
            owner.dispose()


def test_a_laptop_away_past_the_retention_reads_the_office_again(world) -> None:
    from app.models import Identity, SyncOutbox
    from app.services.sync import state
    from tests.sync.world import edit, read

    maryam = world.rep("maryam")
    office = world.at_office("maryam")
    gone = office.identities.create(maryam, person("رفته", "از دفتر")).id
    kept = office.identities.create(maryam, person("مانده", "در دفتر")).id
    laptop = world.laptop("maryam")
    owner = _owner(world)
    try:
        edit(laptop.services, maryam, Identity, kept, title="دکتر")  # waiting in its outbox
        office.identities.soft_delete(maryam, gone)
        new = office.identities.create(maryam, person("تازه", "در دفتر")).id
        _age(owner, 100)
        _device(owner, laptop.registration.device_id, last_seen_at=utcnow() - dt.timedelta(days=120))
        report = retention.prune(owner, 90)
        cursor = state.load(laptop.db).pull_cursor
        assert cursor + 1 < report.retention_seq  # the office forgot entries this laptop never pulled

        laptop.sync()
        assert read(world.office, Identity, kept, "title") == "دکتر"  # pushed first
        assert read(laptop.services, Identity, kept, "title") == "دکتر"
        assert read(laptop.services, Identity, new, "display_name")  # read again: the office's new row
        with laptop.db.read(SYSTEM) as s:
            row = s.get(Identity, gone)
            assert row is None or row.deleted_at is not None  # its delete's entry was pruned, yet it is gone
            assert s.scalar(select(func.count()).select_from(SyncOutbox)) == 0
        assert state.load(laptop.db).pull_cursor >= report.retention_seq
        laptop.sync()  # from here on, ordinary pulls
        edit(office, maryam, Identity, new, title="مهندس")
        laptop.sync()
        assert read(laptop.services, Identity, new, "title") == "مهندس"
    finally:
        if owner is not world.office.db:
            owner.dispose()

"""Sync files refused: a gap, a damaged or forged file, a revoked or unknown device, another office or
laptop, a newer program, an importer who is not an administrator. Nothing of a refused file is applied."""

from __future__ import annotations

from sqlalchemy import func, select, update

from app.models import AccessLevel, SyncDevice, SyncOutbox, User, new_id
from app.services.core.actor import SYSTEM
from app.services.sync import bundle, bundle_file, bundle_guard, bundle_office, state
from tests.sync.bundle_helpers import forge, journal_top, office_import, person, refused


def test_gap_asks_for_a_newer_file(world):
    maryam = world.rep("maryam")
    laptop = world.laptop("maryam")
    world.at_office("maryam").identities.create(maryam, person("رضا", "کریمی", "09351234567"))
    out = world.tmp / "out.pvsync"
    bundle.export_bundle(laptop.db, maryam, out)
    _, back = office_import(world, out)
    bundle.import_return(laptop.db, maryam, back)
    bundle.export_bundle(laptop.db, maryam, out)
    world.at_office("maryam").identities.create(maryam, person("مینا", "نوری", "09361234567"))
    _, later = office_import(world, out, "later")
    with laptop.db.engine.begin() as conn:  # the laptop restored from an older backup
        state.save(conn, pull_cursor=0)
    refused(lambda: bundle.import_return(laptop.db, maryam, later), bundle.GAP)


def test_tampered_files_refused(world):
    maryam = world.rep("maryam")
    laptop = world.laptop("maryam")
    laptop.services.identities.create(maryam, person("سارا", "احمدی", "09131112233"))
    out = world.tmp / "out.pvsync"
    bundle.export_bundle(laptop.db, maryam, out)
    good = out.read_bytes()
    out.write_bytes(good[:-40] + bytes([good[-40] ^ 1]) + good[-39:])
    top = journal_top(world.office.db)
    refused(lambda: office_import(world, out), bundle_file.DAMAGED)
    assert journal_top(world.office.db) == top
    out.write_bytes(good)
    _, back = office_import(world, out)
    data = back.read_bytes()
    back.write_bytes(data[:-40] + bytes([data[-40] ^ 1]) + data[-39:])
    refused(lambda: bundle.import_return(laptop.db, maryam, back), bundle_file.DAMAGED)
    with laptop.db.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(SyncOutbox)).scalar() == 1


def test_revoked_device_refused(world):
    maryam = world.rep("maryam")
    laptop = world.laptop("maryam")
    laptop.services.identities.create(maryam, person("سارا", "احمدی", "09131112233"))
    out = world.tmp / "out.pvsync"
    bundle.export_bundle(laptop.db, maryam, out)
    with world.office.db.write(SYSTEM) as s:
        s.execute(
            update(SyncDevice).where(SyncDevice.id == laptop.registration.device_id).values(revoked_at=func.now())
        )
    refused(lambda: office_import(world, out), bundle_office.REVOKED)


def test_other_office_and_other_device_refused(world):
    maryam, sara = world.rep("maryam"), world.rep("sara")
    laptop, other = world.laptop("maryam"), world.laptop("sara")
    out = world.tmp / "out.pvsync"
    bundle.export_bundle(laptop.db, maryam, out)
    _, back = office_import(world, out)
    refused(lambda: bundle.import_return(other.db, sara, back), bundle.OTHER_DEVICE)
    refused(lambda: bundle.import_return(laptop.db, maryam, out), bundle.NOT_RETURN)
    refused(lambda: office_import(world, back, "back-again"), bundle_office.NOT_OUTBOUND)
    refused(lambda: bundle.export_bundle(laptop.db, sara, out), bundle.NOT_OWNER)
    with laptop.db.engine.begin() as conn:  # a laptop registered at another office
        state.save(conn, hub_id="another-office")
    bundle.export_bundle(laptop.db, maryam, out)
    refused(lambda: office_import(world, out), bundle_office.OTHER_OFFICE)
    refused(lambda: bundle.import_return(laptop.db, maryam, back), bundle.OTHER_OFFICE)


def test_only_an_administrator_imports(world):
    maryam = world.rep("maryam")
    laptop = world.laptop("maryam")
    out = world.tmp / "out.pvsync"
    bundle.export_bundle(laptop.db, maryam, out)
    refused(
        lambda: bundle.import_bundle(world.office.db, maryam, out, world.tmp / "back.pvsync"), bundle_office.ADMIN_ONLY
    )
    assert not (world.tmp / "back.pvsync").exists()


def test_unknown_device_and_newer_programs_refused(world):
    maryam = world.rep("maryam")
    laptop = world.laptop("maryam")
    out, back = world.tmp / "out.pvsync", world.tmp / "back.pvsync"
    bundle.export_bundle(laptop.db, maryam, out)
    secret = laptop.registration.secret
    header, payload = bundle_file.read_bundle(out, secret)
    bundle_file.write_bundle(out, {**header, "device_id": str(new_id())}, payload, secret)
    refused(lambda: office_import(world, out), bundle_office.UNKNOWN_DEVICE)
    bundle_file.write_bundle(out, {**header, "schema": "9999_future"}, payload, secret)
    refused(lambda: office_import(world, out), bundle_office.NEWER_LAPTOP)
    bundle_file.write_bundle(out, header, payload, secret)
    office_import(world, out)
    header, payload = bundle_file.read_bundle(world.tmp / "return.pvsync", secret)
    bundle_file.write_bundle(back, {**header, "schema": "9999_future"}, payload, secret)
    refused(lambda: bundle.import_return(laptop.db, maryam, back), bundle.NEWER_OFFICE)


def test_forged_file_cannot_raise_its_users_access(pg_world):
    """A rep holds their laptop's secret and may forge a file; the administrator's import still applies
    it as the rep, whose access refuses what their own role would."""
    maryam = pg_world.rep("maryam")
    laptop = pg_world.laptop("maryam")
    out = pg_world.tmp / "out.pvsync"
    bundle.export_bundle(laptop.db, maryam, out)
    entry = {"t": "users", "r": str(maryam.user_id), "o": "update", "f": {"access_level": "admin"}}
    forge(laptop, out, [entry])
    report, _ = office_import(pg_world, out)
    # The office's access refuses the batch whole (no journal entry of the user's row to conflict with:
    # it was made before any device read the journal); it is kept for a person, not applied.
    assert (report.rejected, report.conflicts) == (1, 1)
    with pg_world.office.db.engine.connect() as conn:
        level = conn.execute(select(User.access_level).where(User.id == maryam.user_id)).scalar()
    assert level == AccessLevel.OWN_DOCUMENTS


def test_forged_file_cannot_write_another_users_own_rows(pg_world):
    """The administrator's role may write anyone's recently opened records; a file names only its user's."""
    maryam, sara = pg_world.rep("maryam"), pg_world.rep("sara")
    laptop = pg_world.laptop("maryam")
    made = pg_world.at_office("sara").identities.create(sara, person("مینا", "نوری", "09361234567"))
    out = pg_world.tmp / "out.pvsync"
    bundle.export_bundle(laptop.db, maryam, out)
    row = {"user_id": str(sara.user_id), "record_table": "identities", "record_id": str(made.id)}
    entry = {"t": "recent_records", "r": str(new_id()), "o": "insert", "f": {**row, "opened_at": "2026-12-04T10:00:00"}}
    forge(laptop, out, [entry])
    top = journal_top(pg_world.office.db)
    refused(lambda: office_import(pg_world, out), bundle_guard.FOREIGN_ROWS)
    assert journal_top(pg_world.office.db) == top

"""Sync by file: a laptop's outbound file imported at the office, the return file imported on the laptop,
on a real office server (a rep's access decides what comes back) and on an office kept in a SQLite file
(the `world` and `pg_world` fixtures of tests/sync/conftest.py).
Every file may arrive twice or late: nothing changes then."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

from app.models import Invoice, RecentRecord, SyncConflict
from app.services.documents.invoice_views import InvoiceDraft
from app.services.documents.lines import LineDraft
from app.services.sync import bundle, bundle_file, state
from tests.services.doc_helpers import DAY, add_identity, add_product
from tests.sync.bundle_helpers import journal_top, local_row, office_import, person, rename
from tests.sync.world import read


def test_round_trip(world):
    maryam, sara = world.rep("maryam"), world.rep("sara")
    theirs = world.at_office("maryam").identities.create(maryam, person("علی", "رضایی", "09121234567"))
    laptop = world.laptop("maryam")
    mine = laptop.services.identities.create(maryam, person("سارا", "احمدی", "09131112233"))
    rename(laptop.services, maryam, theirs.id, "رضایی‌نژاد")
    out = world.tmp / "out.pvsync"
    assert bundle.export_bundle(laptop.db, maryam, out) == 2
    assert bundle_file.read_header(out)["device_id"] == str(laptop.registration.device_id)

    # Meanwhile at the office: a change for maryam, and a record of sara's she must never receive.
    office_side = world.at_office("maryam").identities.create(maryam, person("رضا", "کریمی", "09351234567"))
    secret = world.at_office("sara").identities.create(sara, person("مینا", "نوری", "09361234567"))
    report, back = office_import(world, out)
    assert (report.batches, report.applied, report.repeated, report.rejected) == (2, 2, 0, 0)
    assert report.user_name == "maryam"
    assert world.office.identities.get(world.admin, mine.id).display_name == mine.display_name
    assert "رضایی‌نژاد" in world.office.identities.get(world.admin, theirs.id).display_name

    cursor = state.load(laptop.db).pull_cursor
    got = bundle.import_return(laptop.db, maryam, back)
    assert (got.pushed, got.conflicts) == (2, 0)
    assert got.pulled >= 1
    assert laptop.services.sync.status(maryam).waiting == 0
    assert laptop.services.identities.get(maryam, office_side.id).display_name == office_side.display_name
    assert local_row(laptop, secret.id) is None
    assert state.load(laptop.db).pull_cursor == journal_top(world.office.db) > cursor

    # The laptop goes on from there: the next file carries only what is new.
    rename(laptop.services, maryam, office_side.id, "کریمی‌پور")
    assert bundle.export_bundle(laptop.db, maryam, out) == 1
    report, back = office_import(world, out, "return-2")
    assert (report.applied, report.repeated) == (1, 0)
    assert "کریمی‌پور" in world.office.identities.get(world.admin, office_side.id).display_name
    assert bundle.import_return(laptop.db, maryam, back).pushed == 1


def test_outbound_file_imported_twice(world):
    maryam = world.rep("maryam")
    laptop = world.laptop("maryam")
    laptop.services.identities.create(maryam, person("سارا", "احمدی", "09131112233"))
    out = world.tmp / "out.pvsync"
    bundle.export_bundle(laptop.db, maryam, out)
    first, _ = office_import(world, out)
    top = journal_top(world.office.db)
    again, back = office_import(world, out, "again")
    assert (first.applied, again.applied, again.repeated, again.conflicts) == (1, 0, 1, 0)
    assert journal_top(world.office.db) == top  # nothing written at the office
    assert bundle.import_return(laptop.db, maryam, back).pushed == 1  # the stored answer still acknowledges


def test_files_in_the_wrong_order(world):
    maryam = world.rep("maryam")
    laptop = world.laptop("maryam")
    made = laptop.services.identities.create(maryam, person("سارا", "احمدی", "09131112233"))
    older, newer = world.tmp / "older.pvsync", world.tmp / "newer.pvsync"
    assert bundle.export_bundle(laptop.db, maryam, older) == 1
    rename(laptop.services, maryam, made.id, "احمدی‌فر")
    assert bundle.export_bundle(laptop.db, maryam, newer) == 2  # cumulative
    report, back_newer = office_import(world, newer, "back-newer")
    assert report.applied == 2
    top = journal_top(world.office.db)
    late, back_older = office_import(world, older, "back-older")
    assert (late.applied, late.repeated) == (0, 1)
    assert journal_top(world.office.db) == top
    assert "احمدی‌فر" in world.office.identities.get(world.admin, made.id).display_name

    # Return files out of order: the later one first, then the earlier one is a no-op.
    office_side = world.office.identities.get(world.admin, made.id)
    rename(world.office, world.admin, office_side.id, "احمدی‌راد")
    bundle.export_bundle(laptop.db, maryam, newer)
    _, back_latest = office_import(world, newer, "back-latest")
    assert bundle.import_return(laptop.db, maryam, back_latest).pushed == 2
    assert "احمدی‌راد" in laptop.services.identities.get(maryam, made.id).display_name
    cursor = state.load(laptop.db).pull_cursor
    for stale in (back_newer, back_older):
        got = bundle.import_return(laptop.db, maryam, stale)
        assert (got.pushed, got.pulled) == (0, 0)
    assert "احمدی‌راد" in laptop.services.identities.get(maryam, made.id).display_name
    assert state.load(laptop.db).pull_cursor == cursor


def test_return_file_imported_twice(world):
    maryam = world.rep("maryam")
    laptop = world.laptop("maryam")
    laptop.services.identities.create(maryam, person("سارا", "احمدی", "09131112233"))
    out = world.tmp / "out.pvsync"
    bundle.export_bundle(laptop.db, maryam, out)
    world.at_office("maryam").identities.create(maryam, person("رضا", "کریمی", "09351234567"))
    _, back = office_import(world, out)
    first = bundle.import_return(laptop.db, maryam, back)
    assert (first.pushed, first.pulled > 0) == (1, True)
    top = journal_top(laptop.db)
    again = bundle.import_return(laptop.db, maryam, back)
    assert (again.pushed, again.pulled, again.conflicts) == (0, 0, 0)
    assert not again.changes.rows
    assert journal_top(laptop.db) == top


def test_return_file_carries_only_the_users_rows(pg_world):
    """The administrator's connection sees all; the return file is read as the laptop's user."""
    maryam, sara = pg_world.rep("maryam"), pg_world.rep("sara")
    laptop = pg_world.laptop("maryam")
    hers = pg_world.at_office("sara").identities.create(sara, person("مینا", "نوری", "09361234567"))
    mine = pg_world.at_office("maryam").identities.create(maryam, person("رضا", "کریمی", "09351234567"))
    out = pg_world.tmp / "out.pvsync"
    bundle.export_bundle(laptop.db, maryam, out)
    _, back = office_import(pg_world, out)
    _, payload = bundle_file.read_bundle(back, laptop.registration.secret)
    carried = {row["id"] for row in payload["tables"].get("identities", {}).get("rows", [])}
    assert str(mine.id) in carried and str(hers.id) not in carried
    bundle.import_return(laptop.db, maryam, back)
    assert local_row(laptop, hers.id) is None


def test_users_own_rows_applied_by_the_administrator(pg_world):
    """A rep's own list rows (recently opened records) pass the office's row security when an
    administrator imports them, and stay on the laptop."""
    maryam = pg_world.rep("maryam")
    laptop = pg_world.laptop("maryam")
    made = laptop.services.identities.create(maryam, person("سارا", "احمدی", "09131112233"))
    laptop.services.recent.record_opened(maryam, "identity", made.id)
    out = pg_world.tmp / "out.pvsync"
    assert bundle.export_bundle(laptop.db, maryam, out) == 2
    report, back = office_import(pg_world, out)
    assert (report.applied, report.rejected, report.conflicts) == (2, 0, 0)
    with pg_world.office.db.engine.connect() as conn:
        at_office = conn.execute(select(RecentRecord.record_id).where(RecentRecord.user_id == maryam.user_id))
        assert list(at_office.scalars()) == [made.id]
    bundle.import_return(laptop.db, maryam, back)
    with laptop.db.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(RecentRecord)).scalar() == 1


def test_conflict_comes_back_in_the_return_file(world):
    """The same name changed on the laptop and, later, at the office: the office's later edit stays,
    and the laptop receives both the office's value and the conflict that keeps its own."""
    maryam = world.rep("maryam")
    theirs = world.at_office("maryam").identities.create(maryam, person("علی", "رضایی", "09121234567"))
    laptop = world.laptop("maryam")
    rename(laptop.services, maryam, theirs.id, "رضایی‌نژاد")
    rename(world.at_office("maryam"), maryam, theirs.id, "رضاییان")
    out = world.tmp / "out.pvsync"
    bundle.export_bundle(laptop.db, maryam, out)
    report, back = office_import(world, out)
    assert report.conflicts >= 1
    got = bundle.import_return(laptop.db, maryam, back)
    assert got.conflicts == report.conflicts
    assert laptop.services.identities.get(maryam, theirs.id).last_name == "رضاییان"
    with laptop.db.engine.connect() as conn:
        kept = conn.execute(select(SyncConflict.device_value).where(SyncConflict.row_id == str(theirs.id)))
        assert "رضایی‌نژاد" in list(kept.scalars())


def test_invoice_issued_on_the_laptop_gets_its_legal_number_by_file(world):
    maryam = world.rep("maryam")
    with world.office.db.write(world.admin) as s:
        customer = add_identity(s, maryam, "مشتری مریم")
        product = add_product(s, "A", "کالای نمونه", 1_000_000, on_hand=10)
    lines = [LineDraft("", Decimal(2), 1_000_000, 0, None, product)]
    office = world.at_office("maryam")
    sold = office.invoices.create(maryam, InvoiceDraft(customer, DAY, lines))
    assert office.invoices.issue(maryam, sold.id).number == 1
    laptop = world.laptop("maryam")
    draft = laptop.services.invoices.create(maryam, InvoiceDraft(customer, DAY, lines))
    laptop.services.invoices.issue(maryam, draft.id)
    out = world.tmp / "out.pvsync"
    bundle.export_bundle(laptop.db, maryam, out)
    report, back = office_import(world, out)
    assert (report.rejected, report.conflicts) == (0, 0)
    code = laptop.registration.device_code
    assert read(world.office, Invoice, draft.id, "number", "provisional_number") == (2, f"P-{code}-1")
    bundle.import_return(laptop.db, maryam, back)
    got = laptop.services.invoices.get(maryam, draft.id)
    assert (got.number, got.number_text) == (2, "2")

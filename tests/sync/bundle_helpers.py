"""Helpers of the sync file tests (not a test module)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.models import ChangeLogEntry, Identity, PhoneKind, new_id
from app.services.core.errors import ServiceError
from app.services.identities.records import IdentityData, PhoneData
from app.services.sync import bundle, bundle_file


def person(first: str, last: str, mobile: str = "") -> IdentityData:
    phones = [PhoneData(mobile, PhoneKind.MOBILE)] if mobile else []
    return IdentityData(first_name=first, last_name=last, phones=phones)


def rename(services, actor, identity_id, last: str) -> None:
    row = services.identities.get(actor, identity_id)
    data = IdentityData(first_name=row.first_name, last_name=last, phones=[PhoneData(p.number) for p in row.phones])
    services.identities.update(actor, identity_id, data, row.version)


def office_import(world, laptop_file, name="return"):
    back = world.tmp / f"{name}.pvsync"
    report = bundle.import_bundle(world.office.db, world.admin, laptop_file, back)
    return report, back


def journal_top(db) -> int:
    with db.engine.connect() as conn:
        return conn.execute(select(func.max(ChangeLogEntry.seq))).scalar() or 0


def local_row(laptop, identity_id):
    with laptop.db.engine.connect() as conn:
        return conn.execute(select(Identity.__table__).where(Identity.__table__.c.id == identity_id)).first()


def forge(laptop, path, entries: list[dict]) -> None:
    """A file as its user could write it with the secret their laptop keeps: one batch of these entries."""
    secret = laptop.registration.secret
    header, _ = bundle_file.read_bundle(path, secret)
    batch = {
        "batch_no": 1,
        "batch_id": str(new_id()),
        "base_seq": 0,
        "hlc": "0000000000001:0000",
        "schema": "0015_sync",
    }
    bundle_file.write_bundle(path, header, {"batches": [{**batch, "entries": entries}]}, secret)


def refused(call, message: str) -> None:
    with pytest.raises(ServiceError) as caught:
        call()
    assert caught.value.message == message

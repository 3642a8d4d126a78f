"""Files travel inside the database: round trip with the hash, dedupe, size limit, access."""

from __future__ import annotations

import hashlib
import os

import pytest
from sqlalchemy import func, select

from app.models import AttachmentBlob
from app.services.activities.attachments import MAX_BYTES
from app.services.activities.service import ActivityData
from app.services.core.errors import AccessDenied, ServiceError, ValidationFailed
from tests.services.activity_helpers import add_identity, add_opportunity, add_user, at


@pytest.fixture
def records(services, admin):
    identity = add_identity(services, admin)
    opp = add_opportunity(services, admin, identity)
    activity = services.activities.plan(admin, ActivityData(None, "ارسال کاتالوگ", at(24, 10), opportunity_id=opp.id))
    return identity, opp, activity


def test_round_trip_keeps_every_byte(services, admin, records, tmp_path) -> None:
    identity, opp, activity = records
    data = os.urandom(300_000) + "پیش‌فاکتور".encode()
    source = tmp_path / "پیش‌فاکتور ۱۲.pdf"
    source.write_bytes(data)
    row = services.attachments.attach_file(admin, source, activity_id=activity.id)
    assert row.sha256 == hashlib.sha256(data).hexdigest() and row.size_bytes == len(data)
    assert (row.identity_id, row.opportunity_id, row.activity_id) == (identity.id, opp.id, activity.id)
    assert row.filename == "پیش‌فاکتور ۱۲.pdf" and row.mime_type == "application/pdf"
    assert services.attachments.content(admin, row.id) == data
    saved = services.attachments.save_as(admin, row.id, tmp_path / "copy.pdf")
    assert hashlib.sha256(saved.read_bytes()).hexdigest() == row.sha256
    opened = services.attachments.export_temp(admin, row.id)
    assert opened.name == "پیش‌فاکتور ۱۲.pdf" and opened.read_bytes() == data
    assert [f.id for f in services.attachments.files(admin, identity_id=identity.id)] == [row.id]
    assert [f.id for f in services.attachments.files(admin, opportunity_id=opp.id)] == [row.id]


def test_same_content_is_stored_once(services, admin, records) -> None:
    identity, opp, _ = records
    first = services.attachments.attach(admin, "a.txt", b"same bytes", identity_id=identity.id)
    second = services.attachments.attach(admin, "b.txt", b"same bytes", opportunity_id=opp.id)
    assert first.id != second.id and first.sha256 == second.sha256
    with services.db.read(admin) as s:
        assert s.scalar(select(func.count()).select_from(AttachmentBlob)) == 1
    services.attachments.soft_delete(admin, first.id)
    assert [f.id for f in services.attachments.files(admin, identity_id=identity.id)] == [second.id]
    assert services.attachments.content(admin, second.id) == b"same bytes"


def test_files_over_25_mb_are_refused(services, admin, records, tmp_path) -> None:
    identity, _, _ = records
    with pytest.raises(ValidationFailed) as caught:
        services.attachments.attach(admin, "big.bin", b"\0" * (MAX_BYTES + 1), identity_id=identity.id)
    assert "۲۵" in caught.value.errors["content"]
    big = tmp_path / "big.bin"
    with big.open("wb") as f:
        f.truncate(MAX_BYTES + 1)
    with pytest.raises(ValidationFailed):
        services.attachments.attach_file(admin, big, identity_id=identity.id)
    exactly = services.attachments.attach(admin, "ok.bin", b"\1" * MAX_BYTES, identity_id=identity.id)
    assert exactly.size_bytes == MAX_BYTES


def test_a_damaged_blob_is_detected(services, admin, records) -> None:
    identity, _, _ = records
    row = services.attachments.attach(admin, "a.txt", b"original", identity_id=identity.id)
    with services.db.write(admin) as s:
        s.get(AttachmentBlob, row.sha256).content = b"tampered"
    with pytest.raises(ServiceError):
        services.attachments.content(admin, row.id)


def test_another_reps_files_are_out_of_reach(services, admin, records) -> None:
    identity, _, _ = records
    row = services.attachments.attach(admin, "a.txt", b"secret", identity_id=identity.id)
    rep = add_user(services, "rep")
    assert services.attachments.files(rep, identity_id=identity.id) == []
    with pytest.raises(AccessDenied):
        services.attachments.content(rep, row.id)
    with pytest.raises(AccessDenied):
        services.attachments.attach(rep, "x.txt", b"x", identity_id=identity.id)

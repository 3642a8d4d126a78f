"""Every committed write reports what it changed (table -> id -> operation); a rolled-back one reports nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, text, update

from app.models import ActivityAttendee, Identity, IdentityKind, IdentityPhone, utcnow
from app.services.activities.service import ActivityData
from app.services.core import capture
from app.services.core.changes import Op, collecting
from app.services.core.errors import ValidationFailed
from app.services.identities.records import IdentityData, PhoneData
from app.services.identities.table import ImportTable


def person(**values) -> IdentityData:
    return IdentityData(**({"first_name": "علی", "last_name": "کریمی"} | values))


def test_an_orm_insert_reports_the_row_and_its_children(services, admin) -> None:
    with collecting() as builder:
        detail = services.identities.create(admin, person(phones=[PhoneData("09121234567")], tags=["مهم"]))
    changes = builder.build()
    assert changes.rows["identities"] == {detail.id: Op.INSERT}
    assert list(changes.rows["identity_phones"].values()) == [Op.INSERT]
    assert list(changes.rows["tags"].values()) == [Op.INSERT]
    assert "audit_log" not in changes.tables


def test_update_soft_delete_and_restore_are_told_apart(services, admin) -> None:
    detail = services.identities.create(admin, person())
    with collecting() as builder:
        services.identities.update(admin, detail.id, person(first_name="رضا"), detail.version)
    assert builder.build().rows["identities"] == {detail.id: Op.UPDATE}
    with collecting() as builder:
        services.identities.soft_delete(admin, detail.id)
    assert builder.build().rows["identities"] == {detail.id: Op.DELETE}
    with collecting() as builder:
        services.recycle_bin.restore(admin, "identities", detail.id)
    assert builder.build().rows["identities"] == {detail.id: Op.RESTORE}


def test_a_write_that_fails_reports_nothing(services, admin) -> None:
    with collecting() as builder:
        with pytest.raises(ValidationFailed):
            services.identities.create(admin, IdentityData(national_code="123"))
        with pytest.raises(RuntimeError), services.db.write(admin) as s:
            s.add(Identity(kind=IdentityKind.PERSON, display_name="x", first_name="x"))
            s.flush()
            raise RuntimeError("rolled back after the flush")
    assert not builder.build()


def test_plain_statements_report_the_rows_they_matched(services, admin) -> None:
    first = services.identities.create(admin, person(phones=[PhoneData("09121234567")]))
    second = services.identities.create(admin, person(last_name="احمدی"))
    with collecting() as builder, services.db.write(admin) as s:
        s.execute(update(Identity).where(Identity.id == first.id).values(description="یادداشت"))
        s.execute(update(Identity).where(Identity.id == second.id).values(deleted_at=Identity.updated_at))
        phone_id = s.scalar(select(IdentityPhone.id).where(IdentityPhone.identity_id == first.id))
        changes_inside = capture.changes_of(s)
    assert builder.build().rows["identities"] == {first.id: Op.UPDATE, second.id: Op.DELETE}
    assert changes_inside == builder.build()
    assert phone_id is not None


def test_raw_sql_on_a_business_table_is_refused(services, admin) -> None:
    services.identities.create(admin, person())
    with pytest.raises(capture.UnrecordedWrite), services.db.write(admin) as s:
        s.execute(text("UPDATE identities SET notes = 'x'"))


def test_nested_collectors_each_receive_the_changes(services, admin) -> None:
    with collecting() as outer:
        with collecting() as inner:
            detail = services.identities.create(admin, person())
        services.identities.soft_delete(admin, detail.id)
    assert inner.build().rows["identities"] == {detail.id: Op.INSERT}
    assert outer.build().rows["identities"] == {detail.id: Op.DELETE}


def test_a_bulk_import_reports_every_new_row_and_what_a_merged_duplicate_gained(services, admin) -> None:
    existing = services.identities.create(admin, person(phones=[PhoneData("09121234567")]))
    table = ImportTable(
        ["نام", "نام خانوادگی", "موبایل", "ایمیل"],
        [["علی", "کریمی", "09121234567", "ali@example.ir"], ["سارا", "احمدی", "09351112233", ""]],
    )
    mapping = {0: "first_name", 1: "last_name", 2: "mobile", 3: "email"}
    with collecting() as builder:
        result = services.identity_import.run(admin, table, mapping, "merge")
    changes = builder.build()
    assert result.created == 1
    (created,) = [i for i in changes.rows["identities"] if i != existing.id]
    assert changes.rows["identities"][created] is Op.INSERT
    assert list(changes.rows["identity_phones"].values()) == [Op.INSERT]  # the new person's mobile
    (email,) = changes.rows["identity_emails"].items()  # the e-mail the existing person gained
    assert email[1] is Op.INSERT


def test_a_child_row_alone_reports_its_record_too(services, admin, journaling) -> None:
    detail = services.identities.create(admin, person())
    planned = services.activities.plan(admin, ActivityData(detail.id, "جلسه", utcnow() + dt.timedelta(days=1)))
    with collecting() as builder, services.db.write(admin) as s:
        s.add(ActivityAttendee(activity_id=planned.id, user_id=admin.user_id))
    changes = builder.build()
    assert list(changes.rows["activity_attendees"].values()) == [Op.INSERT]
    assert changes.rows["activities"] == {planned.id: Op.UPDATE}  # views of the activity refresh
    with services.db.read(admin) as s:
        last = text("SELECT table_name FROM change_log WHERE seq = (SELECT max(seq) FROM change_log)")
        journal = s.execute(last).scalars().all()
    assert journal == ["activity_attendees"]  # the journal keeps only the rows really written

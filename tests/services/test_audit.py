"""The audit history: written by one hook in the same transaction, read through the history service."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from app.models import AuditEntry, Identity, IdentityKind, IdentityPhone, IdentityRole
from app.persian import search_key
from app.services.core.errors import AccessDenied


def _create(services, actor, name="زهرا کاظمی") -> Identity:
    with services.db.write(actor) as s:
        person = Identity(
            kind=IdentityKind.PERSON, display_name=name, name_key=search_key(name), owner_id=actor.user_id
        )
        s.add(person)
    return person


def _entries(services, actor) -> int:
    with services.db.read(actor) as s:
        return s.scalar(select(func.count()).select_from(AuditEntry))


def test_create_update_delete_and_restore_are_recorded_with_values(services, admin) -> None:
    person = _create(services, admin)
    with services.db.write(admin) as s:
        row = s.get(Identity, person.id)
        row.role = IdentityRole.CONTACT
        row.description = "مشتری نمایشگاه"
    services.identities.soft_delete(admin, person.id)
    services.recycle_bin.restore(admin, "identities", person.id)

    history = services.history.record_history(admin, "identities", person.id)
    assert [h.action for h in history] == ["restore", "delete", "update", "create"]
    assert [h.action_label for h in history] == ["بازیابی", "حذف", "ویرایش", "ایجاد"]
    update = history[2]
    assert {c.field: (c.old, c.new) for c in update.changes} == {
        "role": ("lead", "contact"),
        "description": (None, "مشتری نمایشگاه"),
    }
    assert {c.label for c in update.changes} == {"نقش", "توضیحات"}
    created = {c.field: c.new for c in history[3].changes}
    assert created["display_name"] == "زهرا کاظمی" and created["kind"] == "person"
    assert "name_key" not in created and "version" not in created  # bookkeeping is not history
    assert all(h.user_name == admin.display_name for h in history)
    assert history[0].at.tzinfo is not None


def test_a_create_stores_its_non_empty_values_alone_and_an_update_only_what_changed(services, admin) -> None:
    person = _create(services, admin)
    with services.db.write(admin) as s:
        row = s.get(Identity, person.id)
        row.title = ""  # empty: as good as none
        row.description = "مشتری نمایشگاه"
    with services.db.read(admin) as s:
        created, updated = s.scalars(
            select(AuditEntry.changes).where(AuditEntry.record_id == person.id).order_by(AuditEntry.at)
        ).all()
    assert created["display_name"] == "زهرا کاظمی" and created["owner_id"] == str(admin.user_id)
    assert "description" not in created and "title" not in created
    assert updated == {"description": [None, "مشتری نمایشگاه"], "title": [None, ""]}


def test_a_rolled_back_change_leaves_no_history(services, admin) -> None:
    person = _create(services, admin)
    before = _entries(services, admin)
    with pytest.raises(RuntimeError), services.db.write(admin) as s:
        s.get(Identity, person.id).description = "نباید بماند"
        s.flush()
        raise RuntimeError("cancelled")
    assert _entries(services, admin) == before


def test_child_changes_show_in_the_parents_history(services, admin) -> None:
    person = _create(services, admin)
    with services.db.write(admin) as s:
        s.add(IdentityPhone(identity_id=person.id, number="09121234567", number_key="09121234567"))
    history = services.history.record_history(admin, "identities", person.id)
    phone = history[0]
    assert phone.record_kind == "تلفن" and phone.action == "create"
    assert {c.field: c.new for c in phone.changes}["number"] == "09121234567"


def test_children_created_with_their_parent_show_in_its_history(services, admin) -> None:
    from app.services.identities.records import IdentityData, PhoneData

    detail = services.identities.create(
        admin, IdentityData(last_name="کاظمی", phones=[PhoneData("09121234567")], emails=["k@example.ir"])
    )
    history = services.history.record_history(admin, "identities", detail.id)
    assert sorted(h.record_table for h in history) == ["identities", "identity_emails", "identity_phones"]
    phone = next(h for h in history if h.record_table == "identity_phones")
    assert {c.field: c.new for c in phone.changes}["number"] == "09121234567"


def test_admin_lists_changes_by_user_and_period(services, admin) -> None:
    _create(services, admin, "الف")
    now = dt.datetime.now(dt.UTC)
    rows = services.history.changes(admin, user_id=admin.user_id, start=now - dt.timedelta(minutes=5))
    assert [r.action for r in rows] == ["create"]
    assert services.history.changes(admin, start=now + dt.timedelta(minutes=5)) == []


def test_history_is_append_only_for_users(services, admin) -> None:
    """No service changes or deletes entries, and the recycle bin is the admin's."""
    from tests.services.access_world import build

    world = build(services)
    with pytest.raises(AccessDenied):
        services.recycle_bin.deleted(world.rep_a)
    public = {name for name in dir(services.history) if not name.startswith("_")}
    assert public == {"record_history", "changes"}


def test_recycle_bin_lists_deleted_records_newest_first(services, admin) -> None:
    first, second = _create(services, admin, "یکم"), _create(services, admin, "دوم")
    services.identities.soft_delete(admin, first.id)
    services.identities.soft_delete(admin, second.id)
    rows = services.recycle_bin.deleted(admin)
    assert [r.title for r in rows] == ["دوم", "یکم"]
    assert rows[0].record_kind == "هویت" and rows[0].deleted_by == admin.display_name
    services.recycle_bin.restore(admin, "identities", first.id)
    assert [r.title for r in services.recycle_bin.deleted(admin)] == ["دوم"]

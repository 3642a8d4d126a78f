"""The conflicts inbox: listing a rep's conflicts in Persian and resolving them as ordinary edits (the
record's field written through the ORM: history, journal), each resolution marked with who and when."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import select

from app.models import AuditEntry, ChangeLogEntry, Identity, IdentityKind, Opportunity, SyncConflict, utcnow
from app.persian import search_key
from app.services.core.actor import SYSTEM
from app.services.core.errors import AccessDenied, ServiceError
from tests.services.access_world import World, build

OFFICE_AT = dt.datetime(2026, 11, 22, 8, 30, tzinfo=dt.UTC)
LAPTOP_AT = dt.datetime(2026, 11, 21, 14, 0, tzinfo=dt.UTC)


@pytest.fixture
def world(services, journaling) -> World:
    return build(services)


def conflict(world: World, owner, table: str, row_id, **values) -> uuid.UUID:
    """A conflict as the hub makes one, owned by the rep whose change met another."""
    with world.services.db.write(SYSTEM) as s:
        row = SyncConflict(
            user_id=owner.user_id,
            table_name=table,
            row_id=str(row_id),
            server_user_id=world.clerk.user_id,
            server_at=OFFICE_AT,
            device_at=LAPTOP_AT,
            **({"kind": "update_update"} | values),
        )
        s.add(row)
        s.flush()
        return row.id


def stored(world: World, model, row_id):
    with world.services.db.read(SYSTEM) as s:
        return s.get(model, row_id)


def audit_of(world: World, row_id) -> list[AuditEntry]:
    with world.services.db.read(SYSTEM) as s:
        return list(s.scalars(select(AuditEntry).where(AuditEntry.record_id == row_id).order_by(AuditEntry.at)))


def journal_of(world: World, row_id) -> list[ChangeLogEntry]:
    with world.services.db.read(SYSTEM) as s:
        stmt = select(ChangeLogEntry).where(ChangeLogEntry.row_id == str(row_id)).order_by(ChangeLogEntry.seq)
        return list(s.scalars(stmt))


def assert_resolved(world: World, conflict_id, by, resolution: str) -> None:
    row = stored(world, SyncConflict, conflict_id)
    assert (row.status, row.resolution, row.resolved_by) == ("resolved", resolution, by.user_id)
    assert row.resolved_at is not None
    assert journal_of(world, conflict_id)[-1].fields["status"] == "resolved"  # travels back by sync


def test_the_list_names_record_field_values_who_and_when_in_persian(world) -> None:
    opp = world.records["opportunity_a"]
    conflict(world, world.rep_a, "opportunities", opp, field="amount", server_value=2_500_000, device_value=3_000_000)
    conflict(world, world.rep_b, "opportunities", world.records["opportunity_b"], field="amount", server_value=1)
    (view,) = world.services.conflicts.list(world.rep_a)
    assert (view.record_kind, view.record_title, view.field_label) == ("فرصت", "فرصت a", "مبلغ")
    assert (view.kind_label, view.status_label) == ("ویرایش هم‌زمان", "باز")
    assert view.server_text == "۲٬۵۰۰٬۰۰۰ ریال" and view.device_text == "۳٬۰۰۰٬۰۰۰ ریال"
    assert (view.server_who, view.device_who) == ("clerk", "rep_a")
    assert (view.server_at, view.device_at) == (OFFICE_AT, LAPTOP_AT)
    assert view.actions == {"server", "device"}  # money is no text to combine
    assert world.services.conflicts.count_open(world.rep_a) == 1
    assert world.services.conflicts.count_open(world.admin) == 2


def test_linked_records_dates_and_enums_are_shown_by_their_persian_names(world) -> None:
    identity = world.records["identity_a"]
    conflict(world, world.rep_a, "identities", identity, field="owner_id", server_value=str(world.clerk.user_id))
    conflict(world, world.rep_a, "identities", identity, field="birth_date", device_value="2026-11-22")
    conflict(world, world.rep_a, "identities", identity, field="role", device_value="customer")
    texts = {v.field: (v.server_text, v.device_text) for v in world.services.conflicts.list(world.rep_a)}
    assert texts == {"owner_id": ("clerk", "—"), "birth_date": ("—", "۱۴۰۵/۰۹/۰۱"), "role": ("—", "مشتری")}


def test_keep_device_writes_the_field_as_an_edit_of_the_rep(world) -> None:
    opp = world.records["opportunity_a"]
    cid = conflict(
        world, world.rep_a, "opportunities", opp, field="amount", server_value=1_000_000, device_value=3_000_000
    )
    changes = world.services.conflicts.keep_device(world.rep_a, cid)
    assert stored(world, Opportunity, opp).amount == 3_000_000
    assert changes.ids("opportunities") == {opp} and changes.ids("sync_conflicts") == {cid}
    last = audit_of(world, opp)[-1]
    assert last.user_id == world.rep_a.user_id and last.changes["amount"] == [1_000_000, 3_000_000]
    entry = journal_of(world, opp)[-1]
    assert entry.fields["amount"] == 3_000_000 and entry.user_id == world.rep_a.user_id
    assert_resolved(world, cid, world.rep_a, "device")
    assert world.services.conflicts.list(world.rep_a) == []
    (settled,) = world.services.conflicts.list(world.rep_a, include_settled=True)
    assert (settled.status_label, settled.resolved_by, settled.actions) == ("حل‌شده", "rep_a", frozenset())
    with pytest.raises(ServiceError, match="پیش‌تر حل شده"):
        world.services.conflicts.keep_server(world.rep_a, cid)


def test_keep_server_reverts_an_automatic_win_of_the_laptop(world) -> None:
    identity = world.records["identity_a"]
    with world.services.db.write(SYSTEM) as s:
        s.get(Identity, identity).description = "از لپ‌تاپ"
    cid = conflict(
        world,
        world.rep_a,
        "identities",
        identity,
        field="description",
        status="auto",
        server_value="از دفتر",
        device_value="از لپ‌تاپ",
    )
    assert world.services.conflicts.list(world.rep_a) == []  # settled: shown only on request
    (view,) = world.services.conflicts.list(world.rep_a, include_settled=True)
    assert view.actions == {"server", "device", "merge"}
    world.services.conflicts.keep_server(world.rep_a, cid)
    assert stored(world, Identity, identity).description == "از دفتر"
    assert audit_of(world, identity)[-1].changes["description"] == ["از لپ‌تاپ", "از دفتر"]
    assert_resolved(world, cid, world.rep_a, "server")


def test_keep_server_on_an_open_conflict_leaves_the_record_alone(world) -> None:
    opp = world.records["opportunity_a"]
    cid = conflict(world, world.rep_a, "opportunities", opp, field="amount", server_value=1_000_000, device_value=5)
    before = len(journal_of(world, opp))
    world.services.conflicts.keep_server(world.rep_a, cid)
    assert stored(world, Opportunity, opp).amount == 1_000_000 and len(journal_of(world, opp)) == before
    assert_resolved(world, cid, world.rep_a, "server")


def test_merge_writes_the_combined_text_and_refuses_a_field_that_is_no_text(world) -> None:
    identity = world.records["identity_a"]
    cid = conflict(
        world, world.rep_a, "identities", identity, field="description", server_value="الف", device_value="ب"
    )
    world.services.conflicts.merge(world.rep_a, cid, "الف\nب")
    assert stored(world, Identity, identity).description == "الف\nب"
    assert_resolved(world, cid, world.rep_a, "merged")
    money = conflict(world, world.rep_a, "opportunities", world.records["opportunity_a"], field="amount")
    with pytest.raises(ServiceError, match="این راه"):
        world.services.conflicts.merge(world.rep_a, money, "۱۲")


def test_an_identitys_name_field_keeps_its_shown_name(world) -> None:
    identity = world.records["identity_a"]
    cid = conflict(world, world.rep_a, "identities", identity, field="last_name", device_value="کریمی")
    world.services.conflicts.keep_device(world.rep_a, cid)
    row = stored(world, Identity, identity)
    assert row.last_name == "کریمی" and row.display_name == "کریمی" and row.name_key == search_key("کریمی")


def test_restore_brings_back_a_record_deleted_at_the_office_with_the_laptops_values(world) -> None:
    opp = world.records["opportunity_a"]
    with world.services.db.write(SYSTEM) as s:
        s.get(Opportunity, opp).deleted_at = utcnow()
    cid = conflict(
        world, world.rep_a, "opportunities", opp, kind="delete_update", device_value={"title": "فرصت تازه", "amount": 7}
    )
    (view,) = world.services.conflicts.list(world.rep_a)
    assert view.field_label == "کل رکورد" and view.device_text == "عنوان: فرصت تازه\nمبلغ: ۷ ریال"
    assert view.actions == {"server", "restore"}
    world.services.conflicts.restore(world.rep_a, cid)
    row = stored(world, Opportunity, opp)
    assert row.deleted_at is None and (row.title, row.amount) == ("فرصت تازه", 7)
    assert journal_of(world, opp)[-1].op == "restore"
    assert_resolved(world, cid, world.rep_a, "restored")


def test_keep_device_of_an_update_delete_deletes_the_record(world) -> None:
    activity = world.records["activity_a"]
    cid = conflict(world, world.rep_a, "activities", activity, kind="update_delete", server_value={"summary": "x"})
    world.services.conflicts.keep_device(world.rep_a, cid)
    assert journal_of(world, activity)[-1].op == "delete"
    assert_resolved(world, cid, world.rep_a, "device")


def test_discard_sets_aside_a_refused_change_and_is_only_for_that(world) -> None:
    opp = world.records["opportunity_a"]
    cid = conflict(
        world, world.rep_a, "opportunities", opp, kind="rejected", device_value={"amount": 9}, message="دوره بسته است"
    )
    (view,) = world.services.conflicts.list(world.rep_a)
    assert (view.kind_label, view.message, view.actions) == ("ردشده در دفتر", "دوره بسته است", {"discard"})
    with pytest.raises(ServiceError, match="این راه"):
        world.services.conflicts.keep_device(world.rep_a, cid)
    world.services.conflicts.discard(world.rep_a, cid)
    assert stored(world, Opportunity, opp).amount == 1_000_000
    assert_resolved(world, cid, world.rep_a, "discarded")


def test_merge_duplicate_merges_the_other_identity_into_the_kept_one(world) -> None:
    keep = world.records["identity_a"]
    with world.services.db.write(SYSTEM) as s:
        twin = Identity(
            kind=IdentityKind.PERSON,
            display_name="مشتری a",
            name_key=search_key("مشتری a"),
            owner_id=world.rep_a.user_id,
        )
        s.add(twin)
        s.flush()
        twin_id = twin.id
    cid = conflict(world, world.rep_a, "identities", twin_id, kind="duplicate", other_row_id=str(keep))
    (view,) = world.services.conflicts.list(world.rep_a)
    assert (view.record_title, view.other_title, view.kind_label) == ("مشتری a", "مشتری a", "هویت تکراری")
    with pytest.raises(ServiceError, match="یکی از دو هویت"):
        world.services.conflicts.merge_duplicate(world.rep_a, cid, str(world.records["identity_b"]))
    changes = world.services.conflicts.merge_duplicate(world.rep_a, cid, str(keep))
    assert stored(world, Identity, twin_id).merged_into_id == keep
    assert twin_id in changes.ids("identities") and cid in changes.ids("sync_conflicts")
    assert_resolved(world, cid, world.rep_a, "merged")


def test_a_rep_cannot_see_or_resolve_another_reps_conflict(world) -> None:
    opp = world.records["opportunity_b"]
    cid = conflict(world, world.rep_b, "opportunities", opp, field="amount", server_value=1, device_value=2)
    assert world.services.conflicts.list(world.rep_a) == []
    for resolve in (world.services.conflicts.keep_device, world.services.conflicts.keep_server):
        with pytest.raises(AccessDenied):
            resolve(world.rep_a, cid)
    assert stored(world, Opportunity, opp).amount == 1_000_000
    assert stored(world, SyncConflict, cid).status == "open"


def test_keep_device_on_a_record_the_rep_may_not_change_is_refused_and_leaves_the_conflict_open(world) -> None:
    """A conflict handed to rep_a about rep_b's record: the record's own access check refuses it."""
    opp = world.records["opportunity_b"]
    cid = conflict(world, world.rep_a, "opportunities", opp, field="amount", server_value=1, device_value=2)
    with pytest.raises(AccessDenied):
        world.services.conflicts.keep_device(world.rep_a, cid)
    assert stored(world, Opportunity, opp).amount == 1_000_000
    assert stored(world, SyncConflict, cid).status == "open"


def test_a_stage_is_kept_as_the_board_moves_it_and_never_on_a_closed_opportunity(world) -> None:
    from app.models import OpportunityStatus, Stage
    from app.services.opportunities.pipelines import ensure_default_pipeline

    stages = ensure_default_pipeline(world.services.db)
    opp = world.records["opportunity_a"]
    target = stages[2]["id"]
    cid = conflict(world, world.rep_a, "opportunities", opp, field="stage_id", device_value=str(target))
    (view,) = world.services.conflicts.list(world.rep_a)
    assert view.field_label == "مرحله" and view.device_text == stored(world, Stage, target).name
    world.services.conflicts.keep_device(world.rep_a, cid)
    row = stored(world, Opportunity, opp)
    assert row.stage_id == target and row.probability == stored(world, Stage, target).probability
    with world.services.db.write(SYSTEM) as s:
        s.get(Opportunity, opp).status = OpportunityStatus.WON
    again = conflict(world, world.rep_a, "opportunities", opp, field="stage_id", device_value=str(stages[0]["id"]))
    with pytest.raises(ServiceError):
        world.services.conflicts.keep_device(world.rep_a, again)
    assert stored(world, Opportunity, opp).stage_id == target


def test_a_combined_text_may_not_empty_a_required_field(world) -> None:
    opp = world.records["opportunity_a"]
    cid = conflict(world, world.rep_a, "opportunities", opp, field="title", server_value="الف", device_value="ب")
    with pytest.raises(ServiceError, match="نمی‌تواند خالی بماند"):
        world.services.conflicts.merge(world.rep_a, cid, "  ")
    world.services.conflicts.merge(world.rep_a, cid, "الف ب")
    assert stored(world, Opportunity, opp).title == "الف ب"

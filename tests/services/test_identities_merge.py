"""Duplicates on create and merging: candidates, every related row moves, tombstone, undo."""

from __future__ import annotations

import datetime as dt

import pytest

from app.models import Activity, ActivityKind, Attachment, Follower, IdentityRole, utcnow
from app.services.core.errors import ServiceError
from app.services.identities.duplicates import DuplicatesFound
from app.services.identities.merge import identity_references
from app.services.identities.records import IdentityData, PhoneData
from app.services.identities.service import IdentityQuery


def _person(services, actor, last: str, *phones: str, **values):
    data = IdentityData(last_name=last, phones=[PhoneData(p) for p in phones], **values)
    return services.identities.create(actor, data, allow_duplicates=True)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (IdentityData(last_name="دیگر", phones=[PhoneData("+989121234567")]), "شماره تلفن یکسان"),
        (IdentityData(last_name="دیگر", emails=["ALI@example.ir"]), "ایمیل یکسان"),
        (IdentityData(last_name="دیگر", national_code="0068415941"), "کد ملی یکسان"),
        (IdentityData(first_name="علي", last_name="كريمي"), "نام یکسان"),
    ],
)
def test_creating_a_duplicate_shows_the_candidates_with_the_reason(services, admin, data, reason) -> None:
    first = services.identities.create(
        admin,
        IdentityData(
            first_name="علی",
            last_name="کریمی",
            national_code="0068415941",
            phones=[PhoneData("09121234567")],
            emails=["ali@example.ir"],
        ),
    )
    with pytest.raises(DuplicatesFound) as caught:
        services.identities.create(admin, data)
    (candidate,) = caught.value.candidates
    assert candidate.id == first.id and reason in candidate.reasons
    assert [c.id for c in services.identities.find_duplicates(admin, data)] == [first.id]
    assert services.identities.create(admin, data, allow_duplicates=True).id != first.id


def test_hidden_duplicates_are_counted_not_shown(services, admin) -> None:
    from app.models import AccessLevel
    from app.services.admin.users import UserData

    services.users.create_user(admin, UserData("rep", "نماینده", AccessLevel.OWN_DOCUMENTS), "Secret-pass-123")
    rep = services.users.authenticate("rep", "Secret-pass-123")
    _person(services, admin, "مشتری مدیر", "09121234567")
    with pytest.raises(DuplicatesFound) as caught:
        services.identities.create(rep, IdentityData(last_name="تازه", phones=[PhoneData("09121234567")]))
    assert caught.value.candidates == [] and caught.value.hidden == 1


def test_add_to_existing_fills_gaps_and_adds_contacts(services, admin) -> None:
    first = _person(services, admin, "کریمی", "09121234567")
    data = IdentityData(
        last_name="کریمی", first_name="علی", phones=[PhoneData("09121234567"), PhoneData("09350000000")]
    )
    detail = services.identities.add_to_existing(admin, first.id, data)
    assert detail.first_name == "علی" and [p.number for p in detail.phones] == ["09121234567", "09350000000"]


def test_merge_moves_every_related_row_and_undo_puts_them_back(services, admin) -> None:
    survivor = _person(services, admin, "کریمی", "09121234567", tags=["مهم"])
    merged = _person(
        services, admin, "کریمی دوم", "09121234567", "09350000000", emails=["k@example.ir"], tags=["مهم", "vip"]
    )
    result = services.identity_lifecycle.convert(admin, merged.id, "فرصت ادغامی")
    with services.db.write(admin) as s:
        s.add(
            Activity(
                identity_id=merged.id, kind=ActivityKind.CALL, summary="تماس", due_at=utcnow() + dt.timedelta(days=1)
            )
        )
        s.add(Attachment(identity_id=merged.id, filename="a.pdf", **_blob(s)))
        s.add(Follower(record_table="identities", record_id=merged.id, user_id=admin.user_id))
    preview = services.identity_merge.preview(admin, survivor.id, merged.id)
    assert preview.related["فرصت"] == 1 and preview.related["تلفن"] == 2
    assert {f.name for f in preview.fields if f.take_merged_by_default} == {"role"}

    merge_id = services.identity_merge.merge(admin, survivor.id, merged.id, {"role", "last_name"})
    after = services.identities.get(admin, survivor.id)
    assert after.last_name == "کریمی دوم" and after.role is IdentityRole.CONTACT
    assert [p.number for p in after.phones] == ["09121234567", "09350000000"]  # the shared number once
    assert after.emails == ["k@example.ir"] and sorted(after.tags) == ["vip", "مهم"]
    assert services.identities.get(admin, merged.id).merged_into_id == survivor.id
    assert services.identities.count(admin, IdentityQuery(text="0935")) == 1
    assert services.identities.search(admin, IdentityQuery(text="0935"))[0].id == survivor.id
    titles = {i.title for i in services.timeline.for_identity(admin, survivor.id)}
    assert {"فرصت ادغامی", "تماس", "ادغام «کریمی دوم» در این هویت"} <= titles
    with services.db.read(admin) as s:
        assert _owners(s, merged.id) == {survivor.id}
    with pytest.raises(ServiceError):
        services.identity_merge.merge(admin, survivor.id, merged.id)

    services.identity_merge.undo(admin, merge_id)
    back = services.identities.get(admin, merged.id)
    assert back.merged_into_id is None and [p.number for p in back.phones] == ["09121234567", "09350000000"]
    assert sorted(back.tags) == ["vip", "مهم"] and back.emails == ["k@example.ir"]
    restored = services.identities.get(admin, survivor.id)
    assert (restored.last_name, restored.role) == ("کریمی", IdentityRole.LEAD)
    assert [p.number for p in restored.phones] == ["09121234567"] and restored.tags == ["مهم"]
    with services.db.read(admin) as s:
        assert _owners(s, merged.id) == {merged.id}
    assert services.opportunities.search(admin, _opps(merged.id))[0].id == result.opportunity_id
    assert services.identity_merge.merges(admin, survivor.id)[0].undone_at is not None
    with pytest.raises(ServiceError):
        services.identity_merge.undo(admin, merge_id)
    actions = [h.action for h in services.history.record_history(admin, "identities", survivor.id)]
    assert "merge" in actions and "unmerge" in actions


def test_references_are_discovered_from_the_metadata() -> None:
    found = {(t.name, c) for t, c in identity_references()}
    assert {
        ("identity_phones", "identity_id"),
        ("opportunities", "identity_id"),
        ("activities", "identity_id"),
    } <= found
    assert {("invoices", "identity_id"), ("receipts", "identity_id"), ("identity_tags", "identity_id")} <= found


def test_a_merge_of_a_record_the_user_cannot_see_is_refused(services, admin) -> None:
    from app.models import AccessLevel
    from app.services.admin.users import UserData
    from app.services.core.errors import AccessDenied

    services.users.create_user(admin, UserData("rep", "نماینده", AccessLevel.OWN_DOCUMENTS), "Secret-pass-123")
    rep = services.users.authenticate("rep", "Secret-pass-123")
    mine = services.identities.create(rep, IdentityData(last_name="مال من"))
    theirs = _person(services, admin, "مال مدیر")
    with pytest.raises(AccessDenied):
        services.identity_merge.merge(rep, mine.id, theirs.id)
    with pytest.raises(ServiceError):
        services.identity_merge.merge(admin, mine.id, mine.id)


def _blob(s) -> dict:
    import hashlib

    from app.models import AttachmentBlob

    data = b"%PDF"
    digest = hashlib.sha256(data).hexdigest()
    if s.get(AttachmentBlob, digest) is None:
        s.add(AttachmentBlob(sha256=digest, content=data))
        s.flush()
    return {"sha256": digest, "size_bytes": len(data)}


def _owners(s, original_id) -> set:
    from sqlalchemy import select

    from app.models import Opportunity

    return set(s.scalars(select(Opportunity.identity_id).where(Opportunity.title == "فرصت ادغامی")))


def _opps(identity_id):
    from app.services.opportunities.queries import OpportunityQuery

    return OpportunityQuery(identity_id=identity_id, status=None)

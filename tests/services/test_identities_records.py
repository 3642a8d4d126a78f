"""Identity records through the service: validation, normalisation, children, versions, quick search."""

from __future__ import annotations

import pytest

from app.models import IdentityKind, PhoneKind
from app.persian import sort_key
from app.services.core.errors import AccessDenied, ConcurrentChange, ValidationFailed
from app.services.identities.records import AddressData, IdentityData, PhoneData
from app.services.identities.service import IdentityQuery


def person(**values) -> IdentityData:
    return IdentityData(**({"first_name": "علی", "last_name": "کریمی"} | values))


def test_every_faulty_field_is_reported_at_once_in_persian(services, admin) -> None:
    data = IdentityData(
        national_code="1234567890",
        phones=[PhoneData("0912"), PhoneData("abc", PhoneKind.WORK)],
        emails=["not-an-email"],
        addresses=[AddressData(city="تهران", postal_code="123")],
        website="no spaces allowed .com",
    )
    with pytest.raises(ValidationFailed) as caught:
        services.identities.create(admin, data)
    errors = caught.value.errors
    # A lead may go by a phone, an e-mail or a website, but none of these is valid: the name is asked for.
    assert errors["last_name"] == "نام، شماره تماس، ایمیل یا وب‌سایت را وارد کنید"
    assert errors["national_code"] == "کد ملی معتبر نیست"
    assert errors["phones.0"] == "شماره موبایل معتبر نیست"
    assert errors["phones.1"] == "شماره تلفن معتبر نیست"
    assert errors["emails.0"] == "ایمیل معتبر نیست"
    assert errors["addresses.0.postal_code"] == "کد پستی باید ۱۰ رقم باشد"
    assert "website" in errors
    assert services.identities.count(admin, IdentityQuery()) == 0


def test_organisation_needs_a_name_and_valid_codes(services, admin) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.identities.create(
            admin, IdentityData(kind=IdentityKind.ORGANISATION, legal_id="10101010101", economic_code="123")
        )
    assert set(caught.value.errors) == {"org_name", "legal_id", "economic_code"}
    org = services.identities.create(
        admin, IdentityData(kind=IdentityKind.ORGANISATION, org_name="شركت آلفا", legal_id="۱۰۳۸۰۲۸۴۷۹۰")
    )
    assert org.display_name == "شرکت آلفا" and org.legal_id == "10380284790"


def test_values_are_normalised_and_children_kept_in_order(services, admin) -> None:
    detail = services.identities.create(
        admin,
        person(
            first_name="علي",
            national_code="۰۰۶۸۴۱۵۹۴۱",
            phones=[PhoneData("+98 912 123 4567"), PhoneData("021-8877 6655", PhoneKind.WORK)],
            emails=["Ali@Example.IR"],
            addresses=[AddressData("تهران", "تهران", "ولیعصر", "۱۳۱۴۵۶۷۸۹۱")],
            tags=["مهم", "vip", "مهم"],
        ),
    )
    assert detail.display_name == "علی کریمی"
    assert detail.national_code == "0068415941"
    assert [(p.number, p.kind) for p in detail.phones] == [
        ("09121234567", PhoneKind.MOBILE),
        ("02188776655", PhoneKind.WORK),
    ]
    assert detail.emails == ["Ali@example.ir"]
    assert detail.addresses[0].postal_code == "1314567891"
    assert sorted(detail.tags) == ["vip", "مهم"]
    row = services.identities.search(admin, IdentityQuery())[0]
    assert (row.mobile, row.city) == ("09121234567", "تهران")


def test_update_replaces_children_and_refuses_a_stale_version(services, admin) -> None:
    created = services.identities.create(admin, person(phones=[PhoneData("09121234567")]))
    data = created.to_data()
    data.phones = [PhoneData("09350000000")]
    data.addresses = [AddressData(city="شیراز")]
    updated = services.identities.update(admin, created.id, data, created.version)
    assert [p.number for p in updated.phones] == ["09350000000"]
    assert services.identities.search(admin, IdentityQuery(text="0935"))[0].city == "شیراز"
    assert services.identities.count(admin, IdentityQuery(text="0912123")) == 0
    with pytest.raises(ConcurrentChange):
        services.identities.update(admin, created.id, data, created.version)
    history = services.history.record_history(admin, "identities", created.id)
    assert any(h.record_kind == "تلفن" and h.action == "delete" for h in history)
    assert not any(c.field == "search_blob" for h in history for c in h.changes)


@pytest.mark.parametrize(
    "typed",
    ["کریمی", "كريمي", "علی کریمی", "0912123", "۰۹۱۲۱۲۳", "+989121234567", "example.ir", "0068415941", "عل", "ع"],
)
def test_quick_search_finds_names_phones_emails_and_codes(services, admin, typed) -> None:
    target = services.identities.create(
        admin,
        person(national_code="0068415941", phones=[PhoneData("09121234567")], emails=["ali@example.ir"]),
    )
    services.identities.create(admin, IdentityData(last_name="رضایی", phones=[PhoneData("09350001122")]))
    hits = services.identities.search(admin, IdentityQuery(text=typed))
    assert [h.id for h in hits] == [target.id]
    assert services.identities.count(admin, IdentityQuery(text=typed)) == 1


@pytest.mark.sqlite_only  # the FTS5 plan; PostgreSQL: tests/server/test_quick_search_postgres.py
def test_quick_search_uses_the_fts_index_and_the_name_index(services, admin) -> None:
    from sqlalchemy import text

    from app.services.identities.service import list_select, order_of

    with services.db.read(admin) as s:
        plans = {}
        for typed in ("کریمی", "کر"):
            query = IdentityQuery(text=typed)
            stmt = list_select(s, query, "sqlite").order_by(*order_of(query)).limit(50)
            sql = str(stmt.compile(s.get_bind(), compile_kwargs={"literal_binds": True}))
            plans[typed] = " ".join(str(r[3]) for r in s.execute(text("EXPLAIN QUERY PLAN " + sql)))
    assert "identity_search VIRTUAL TABLE" in plans["کریمی"]
    assert "ix_identities_live_sort (name_sort>? AND name_sort<?)" in plans["کر"]  # walked from the prefix


def test_deleted_identities_leave_the_list_and_counts(services, admin) -> None:
    a = services.identities.create(admin, person())
    services.identities.create(admin, person(last_name="کریمیان"))
    services.identities.soft_delete(admin, a.id)
    assert services.identities.count(admin, IdentityQuery(text="کریمی")) == 1
    assert [r.display_name for r in services.identities.search(admin, IdentityQuery(text="کریمی"))] == ["علی کریمیان"]


def test_sorting_by_owner_pages_group_by_group_like_a_plain_sort(demo_services, demo_admin) -> None:
    ids = demo_services.identities
    for sort in ("owner_name", "category_name", "source_name", "city", "mobile"):
        for descending in (False, True):
            query = IdentityQuery(sort=sort, descending=descending)
            pages = ids.search(demo_admin, query, 0, 70) + ids.search(demo_admin, query, 70, 500)
            assert len({r.id for r in pages}) == 300
            key = {"owner_name": "owner_name", "category_name": "category_name", "source_name": "source_name"}
            values = [getattr(r, key.get(sort, sort)) or "" for r in pages]
            order = None if sort == "mobile" else sort_key  # names and cities: the Persian alphabet (issue 14)
            assert values == sorted(values, key=order, reverse=descending), sort


def test_a_rep_cannot_give_a_new_identity_to_someone_else(services, admin) -> None:
    from app.models import AccessLevel
    from app.services.admin.users import UserData

    rep = services.users.create_user(admin, UserData("rep", "نماینده", AccessLevel.OWN_DOCUMENTS), "Secret-pass-123")
    other = services.users.create_user(admin, UserData("rep2", "دیگری", AccessLevel.OWN_DOCUMENTS), "Secret-pass-123")
    actor = services.users.authenticate("rep", "Secret-pass-123")
    mine = services.identities.create(actor, person())
    assert mine.owner_id == rep.id
    with pytest.raises(AccessDenied):
        services.identities.create(actor, person(last_name="دیگر", owner_id=other.id))

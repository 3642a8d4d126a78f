"""Advanced search, group-by counts, favourites, categories and the demo's derived columns."""

from __future__ import annotations

import datetime as dt

import pytest

from app.models import IdentityKind, IdentityRole
from app.services.core.errors import AccessDenied, ServiceError, ValidationFailed
from app.services.identities.advanced_search import AdvancedQuery, Condition
from app.services.identities.records import AddressData, IdentityData, PhoneData
from app.services.identities.service import IdentityQuery


@pytest.fixture
def people(services, admin):
    tehran = services.categories.save(admin, "تهران")
    north = services.categories.save(admin, "شمال تهران", tehran.id)
    made = {
        "ali": IdentityData(
            first_name="علی",
            last_name="کریمی",
            addresses=[AddressData(city="تهران")],
            category_id=north.id,
            phones=[PhoneData("09121234567")],
            role=IdentityRole.CONTACT,
        ),
        "sara": IdentityData(
            first_name="سارا",
            last_name="رضایی",
            addresses=[AddressData(city="شیراز")],
            category_id=tehran.id,
            website="example.ir",
        ),
        "alpha": IdentityData(kind=IdentityKind.ORGANISATION, org_name="شرکت آلفا", economic_code="411111111111"),
    }
    ids = {k: services.identities.create(admin, v, allow_duplicates=True).id for k, v in made.items()}
    return ids | {"tehran": tehran.id, "north": north.id}


def _names(services, admin, conditions, match_all=True) -> set[str]:
    query = IdentityQuery(advanced=AdvancedQuery(tuple(conditions), match_all))
    return {r.display_name for r in services.identities.search(admin, query)}


def test_conditions_contains_equals_empty_and_or(services, admin, people) -> None:
    assert _names(services, admin, [Condition("name", "contains", "کريمي")]) == {"علی کریمی"}
    assert _names(services, admin, [Condition("city", "equals", "شیراز")]) == {"سارا رضایی"}
    assert _names(services, admin, [Condition("website", "empty")]) == {"علی کریمی", "شرکت آلفا"}
    assert _names(services, admin, [Condition("phone", "contains", "۰۹۱۲")]) == {"علی کریمی"}
    assert _names(services, admin, [Condition("economic_code", "equals", "411111111111")]) == {"شرکت آلفا"}
    both = [Condition("kind", "equals", "person"), Condition("role", "equals", "contact")]
    assert _names(services, admin, both) == {"علی کریمی"}
    assert _names(services, admin, both, match_all=False) == {"علی کریمی", "سارا رضایی"}
    assert _names(services, admin, [Condition("category", "equals", str(people["tehran"]))]) == {
        "علی کریمی",
        "سارا رضایی",
    }
    with pytest.raises(ValidationFailed):
        _names(services, admin, [Condition("city", "between", "x")])


def test_jalali_date_between_and_group_counts(services, admin, people) -> None:
    today = dt.date.today()
    window = [Condition("created_at", "between", today - dt.timedelta(days=1), today)]
    assert len(_names(services, admin, window)) == 3
    future = [Condition("created_at", "between", today + dt.timedelta(days=1), None)]
    assert _names(services, admin, future) == set()
    groups = services.advanced_search.group_counts(admin, IdentityQuery(), "city")
    assert {(g.label, g.count) for g in groups} == {("تهران", 1), ("شیراز", 1), ("—", 1)}
    roles = services.advanced_search.group_counts(admin, IdentityQuery(), "role")
    assert {(g.label, g.count) for g in roles} == {("مخاطب", 1), ("سرنخ", 2)}
    months = services.advanced_search.group_counts(admin, IdentityQuery(), "created_month")
    assert (
        len(months) == 1
        and months[0].count == 3
        and months[0].label.split()[0]
        in (
            "فروردین",
            "اردیبهشت",
            "خرداد",
            "تیر",
            "مرداد",
            "شهریور",
            "مهر",
            "آبان",
            "آذر",
            "دی",
            "بهمن",
            "اسفند",
        )
    )
    with pytest.raises(ValidationFailed):
        services.advanced_search.group_counts(admin, IdentityQuery(), "colour")


def test_favourites_are_per_user_and_round_trip(services, admin, people) -> None:
    query = AdvancedQuery((Condition("created_at", "between", dt.date(2025, 3, 21), None),), match_all=False)
    saved = services.saved_searches.save(admin, " مشتریان جدید ", query.to_dict())
    assert saved.name == "مشتریان جدید"
    again = services.saved_searches.save(admin, "مشتریان جدید", AdvancedQuery().to_dict())
    assert again.id == saved.id and len(services.saved_searches.list(admin)) == 1
    services.saved_searches.save(admin, "مشتریان جدید", query.to_dict())
    (row,) = services.saved_searches.list(admin)
    assert AdvancedQuery.from_dict(row.definition) == query
    with pytest.raises(ValidationFailed):
        services.saved_searches.save(admin, "  ", query.to_dict())
    services.saved_searches.delete(admin, row.id)
    assert services.saved_searches.list(admin) == []


def test_category_tree_filter_and_rules(services, admin, people) -> None:
    tree = services.categories.tree(admin)
    assert [(n.name, n.depth) for n in tree] == [("تهران", 0), ("شمال تهران", 1)]
    assert services.identities.count(admin, IdentityQuery(category_id=people["tehran"])) == 2
    assert services.identities.count(admin, IdentityQuery(category_id=people["north"])) == 1
    with pytest.raises(ValidationFailed):
        services.categories.save(admin, "تهران", people["north"], people["tehran"])  # inside itself
    with pytest.raises(ServiceError):
        services.categories.delete(admin, people["tehran"])  # has a sub-category
    with pytest.raises(ServiceError):
        services.categories.delete(admin, people["north"])  # has identities
    clerk = _clerk(services, admin)
    with pytest.raises(AccessDenied):
        services.categories.save(clerk, "دسته من")


def test_tags_filter_and_completion(services, admin) -> None:
    a = services.identities.create(admin, IdentityData(last_name="برچسب‌دار", tags=["همکار", "VIP"]))
    services.identities.create(admin, IdentityData(last_name="بی‌برچسب"))
    tags = {t.name: t.id for t in services.tags.tags(admin)}
    assert set(tags) == {"همکار", "VIP"} and [t.name for t in services.tags.tags(admin, "vi")] == ["VIP"]
    assert [r.id for r in services.identities.search(admin, IdentityQuery(tag_id=tags["VIP"]))] == [a.id]


def test_demo_identities_carry_the_derived_columns(demo_services, demo_admin) -> None:
    rows = demo_services.identities.search(demo_admin, IdentityQuery(), 0, 50)
    assert all(r.mobile and r.mobile.startswith("09") and r.city for r in rows)
    sample = rows[7]
    assert demo_services.identities.search(demo_admin, IdentityQuery(text=sample.mobile))[0].id == sample.id
    from app.persian import validators

    assert all(validators.mobile(r.mobile) == r.mobile for r in rows)


def _clerk(services, admin):
    from app.models import AccessLevel
    from app.services.admin.users import UserData

    services.users.create_user(admin, UserData("clerk", "کارمند", AccessLevel.ALL_DOCUMENTS), "Secret-pass-123")
    return services.users.authenticate("clerk", "Secret-pass-123")

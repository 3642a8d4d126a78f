"""A lead known only by a phone, an e-mail or a website (seed 000: «تنها یک شماره تماس یا یک وبسایت
داریم»): saved, shown by what it has, sorted and found by it; a contact still needs a name."""

from __future__ import annotations

import pytest

from app.models import Identity, IdentityKind, IdentityRole
from app.persian import sort_key
from app.services.core.errors import ValidationFailed
from app.services.identities.records import IdentityData, PhoneData
from app.services.identities.service import IdentityQuery
from app.services.opportunities.data import OpportunityData
from app.services.opportunities.queries import OpportunityQuery


def test_a_lead_with_only_a_phone_is_shown_sorted_and_found_by_it(services, admin) -> None:
    lead = services.identities.create(admin, IdentityData(phones=[PhoneData("09121234567")]))
    assert lead.role is IdentityRole.LEAD and lead.display_name == "۰۹۱۲۱۲۳۴۵۶۷"
    assert (lead.first_name, lead.last_name) == ("", "")  # the phone is not put into the name field
    with services.db.read(admin) as s:
        assert s.get(Identity, lead.id).name_sort == sort_key("۰۹۱۲۱۲۳۴۵۶۷")
    services.identities.create(admin, IdentityData(last_name="احمدی"))
    rows = services.identities.search(admin, IdentityQuery())
    assert [r.display_name for r in rows] == ["۰۹۱۲۱۲۳۴۵۶۷", "احمدی"]  # digits sort before letters
    for typed in ("۰۹۱۲۱۲", "0912123", "1234567"):
        assert [r.id for r in services.identities.search(admin, IdentityQuery(text=typed))] == [lead.id]


def test_an_e_mail_or_a_website_names_a_lead_without_a_phone(services, admin) -> None:
    by_mail = services.identities.create(admin, IdentityData(emails=["info@alpha.ir"], website="alpha.ir"))
    by_site = services.identities.create(admin, IdentityData(kind=IdentityKind.ORGANISATION, website="beta.ir"))
    assert (by_mail.display_name, by_site.display_name) == ("info@alpha.ir", "beta.ir")
    assert by_site.org_name == ""


def test_a_lead_with_nothing_and_a_contact_without_a_name_are_refused_by_the_name_field(services, admin) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.identities.create(admin, IdentityData())
    assert caught.value.errors == {"last_name": "نام، شماره تماس، ایمیل یا وب‌سایت را وارد کنید"}
    with pytest.raises(ValidationFailed) as caught:
        services.identities.create(admin, IdentityData(kind=IdentityKind.ORGANISATION))
    assert caught.value.errors == {"org_name": "نام، شماره تماس، ایمیل یا وب‌سایت را وارد کنید"}
    with pytest.raises(ValidationFailed) as caught:
        services.identities.create(admin, IdentityData(phones=[PhoneData("09121234567")], role=IdentityRole.CONTACT))
    assert caught.value.errors == {"last_name": "نام یا نام خانوادگی را وارد کنید"}

    contact = services.identities.create(admin, IdentityData(last_name="کاظمی", role=IdentityRole.CONTACT))
    data = contact.to_data()
    data.last_name, data.phones, data.role = "", [PhoneData("09121234567")], IdentityRole.LEAD
    with pytest.raises(ValidationFailed) as caught:  # the saved role decides, not the form's
        services.identities.update(admin, contact.id, data, contact.version)
    assert caught.value.errors == {"last_name": "نام یا نام خانوادگی را وارد کنید"}


def test_a_name_added_later_replaces_the_phone_everywhere_and_allows_the_conversion(services, admin) -> None:
    lead = services.identities.create(admin, IdentityData(phones=[PhoneData("09121234567")]))
    opportunity = services.opportunity_records.create(admin, OpportunityData(lead.id, "فروش پرینتر"))
    listed = services.opportunities.search(admin, OpportunityQuery(identity_id=lead.id))
    assert [r.identity_name for r in listed] == ["۰۹۱۲۱۲۳۴۵۶۷"]

    with pytest.raises(ValidationFailed) as caught:  # a contact needs a name
        services.identity_lifecycle.convert(admin, lead.id)
    assert set(caught.value.errors) == {"last_name"}
    assert services.identities.get(admin, lead.id).role is IdentityRole.LEAD

    data = lead.to_data()
    data.last_name = "کاظمی"
    named = services.identities.update(admin, lead.id, data, lead.version)
    assert named.display_name == "کاظمی"
    assert [r.id for r in services.identities.search(admin, IdentityQuery(text="کاظ"))] == [lead.id]
    assert [r.id for r in services.identities.search(admin, IdentityQuery(text="0912123"))] == [lead.id]
    listed = services.opportunities.search(admin, OpportunityQuery(identity_id=lead.id))
    assert [(r.id, r.identity_name) for r in listed] == [(opportunity, "کاظمی")]
    assert services.identity_lifecycle.convert(admin, lead.id).role is IdentityRole.CONTACT

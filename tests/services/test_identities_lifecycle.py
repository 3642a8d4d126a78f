"""Roles: lead → contact (with an opportunity at once), lead ⇄ unqualified, customer from invoices."""

from __future__ import annotations

import pytest

from app.models import IdentityRole, Opportunity, Stage
from app.services.core.errors import ServiceError
from app.services.identities.lifecycle import allowed_moves, mark_customer
from app.services.identities.records import IdentityData, PhoneData
from app.services.opportunities.queries import OpportunityQuery


@pytest.fixture
def lead(services, admin):
    return services.identities.create(admin, IdentityData(last_name="سرنخ تازه", phones=[PhoneData("09121112233")]))


def test_convert_keeps_the_record_and_opens_an_opportunity_in_the_first_stage(services, admin, lead) -> None:
    result = services.identity_lifecycle.convert(admin, lead.id, "فروش ۵۰ دستگاه", 125_000_000)
    assert result.role is IdentityRole.CONTACT and result.identity_id == lead.id
    detail = services.identities.get(admin, lead.id)
    assert detail.role is IdentityRole.CONTACT and [p.number for p in detail.phones] == ["09121112233"]
    with services.db.read(admin) as s:
        opportunity = s.get(Opportunity, result.opportunity_id)
        stage = s.get(Stage, opportunity.stage_id)
        assert (opportunity.identity_id, opportunity.amount, opportunity.owner_id) == (
            lead.id,
            125_000_000,
            admin.user_id,
        )
        assert stage.position == 0 and opportunity.probability == stage.probability
    rows = services.opportunities.search(admin, OpportunityQuery(identity_id=lead.id, status=None))
    assert [r.title for r in rows] == ["فروش ۵۰ دستگاه"]
    items = services.timeline.for_identity(admin, lead.id)
    # Newest first: the role change is recorded after the opportunity it opened, both after the identity.
    assert [i.title for i in items] == ["تغییر نقش از «سرنخ» به «مخاطب»", "فروش ۵۰ دستگاه", "ثبت هویت"]


def test_convert_without_an_opportunity_and_only_from_a_lead(services, admin, lead) -> None:
    assert services.identity_lifecycle.convert(admin, lead.id).opportunity_id is None
    with pytest.raises(ServiceError, match="فقط سرنخ"):
        services.identity_lifecycle.convert(admin, lead.id)


def test_unqualified_is_reversible(services, admin, lead) -> None:
    assert services.identity_lifecycle.mark_unqualified(admin, lead.id) is IdentityRole.UNQUALIFIED
    with pytest.raises(ServiceError):
        services.identity_lifecycle.mark_unqualified(admin, lead.id)
    assert services.identity_lifecycle.requalify(admin, lead.id) is IdentityRole.LEAD
    with pytest.raises(ServiceError):
        services.identity_lifecycle.requalify(admin, lead.id)
    assert allowed_moves(IdentityRole.LEAD) == [IdentityRole.CONTACT, IdentityRole.UNQUALIFIED]
    assert IdentityRole.CUSTOMER not in allowed_moves(IdentityRole.CONTACT)


def test_an_issued_invoice_makes_a_customer_inside_its_own_transaction(services, admin, lead) -> None:
    with services.db.write(admin) as s:
        mark_customer(s, lead.id)
        mark_customer(s, lead.id)  # idempotent
    assert services.identities.get(admin, lead.id).role is IdentityRole.CUSTOMER
    with pytest.raises(ServiceError), services.db.write(admin) as s:
        mark_customer(s, lead.id)
        raise ServiceError("rolled back with the invoice")
    history = services.history.record_history(admin, "identities", lead.id)
    assert sum(1 for h in history if h.action == "update" for c in h.changes if c.field == "role") == 1


def test_new_identities_start_as_lead_or_contact_only(services, admin) -> None:
    contact = services.identities.create(admin, IdentityData(last_name="مخاطب", role=IdentityRole.CONTACT))
    forced = services.identities.create(admin, IdentityData(last_name="ادعا", role=IdentityRole.CUSTOMER))
    assert (contact.role, forced.role) == (IdentityRole.CONTACT, IdentityRole.LEAD)

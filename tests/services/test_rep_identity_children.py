"""An own-documents rep records their own leads with phones, e-mails and addresses (seed 000's first step).

The children are added through the identity's collections, so their foreign key is set only when the
flush writes them; the access check must see the identity on the other side of the relationship.
"""

from __future__ import annotations

from app.models import AccessLevel
from app.services.admin.users import UserData
from app.services.identities.records import AddressData, IdentityData, PhoneData

PASSWORD = "Kh0sh-Gozar-99"


def test_a_rep_records_a_lead_with_a_phone_and_adds_more_later(services, admin) -> None:
    services.users.create_user(admin, UserData("maryam", "مریم", AccessLevel.OWN_DOCUMENTS), PASSWORD)
    rep = services.users.authenticate("maryam", PASSWORD)
    lead = services.identities.create(rep, IdentityData(last_name="سرنخ تلفنی", phones=[PhoneData("09121112233")]))
    assert [p.number for p in lead.phones] == ["09121112233"]
    data = lead.to_data()
    data.phones.append(PhoneData("09351234567"))
    data.emails = ["lead@example.ir"]
    data.addresses = [AddressData(city="تهران", street="خیابان ولیعصر")]
    saved = services.identities.update(rep, lead.id, data, lead.version)
    assert {p.number for p in saved.phones} == {"09121112233", "09351234567"}
    assert [a.city for a in saved.addresses] == ["تهران"] and saved.owner_id == rep.user_id

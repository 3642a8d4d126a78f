"""Similar opportunities (seed 004): other opportunities of the same identity, or of an identity sharing a
phone or an e-mail with it, counted in one query under the access policy.

  Amir (rep):   0912 111 2222, amir@example.com — «الف ۱» (the one on the form), «الف ۲», «الف ۳» merged into
                «الف ۲» (does not count), «الف ۴» deleted (does not count)
  Behnam (rep): the same mobile typed with Persian digits — «ب ۱»
  Cyrus (mate): AMIR@example.com — «ج ۱», the mate's: the rep does not see it
  Dara (rep):   other numbers — «د ۱», not similar
The rep counts 2 beside «الف ۱» (الف ۲, ب ۱); the admin 3.
"""

from __future__ import annotations

import pytest

from app.models import IdentityKind
from app.services.identities.records import IdentityData, PhoneData
from app.services.opportunities.similar import SAME_EMAIL, SAME_IDENTITY, SAME_PHONE
from tests.services.sales_helpers import build


def _person(sales, actor, last_name: str, phone: str = "", email: str = ""):
    data = IdentityData(
        kind=IdentityKind.PERSON,
        last_name=last_name,
        phones=[PhoneData(phone)] if phone else [],
        emails=[email] if email else [],
    )
    return sales.services.identities.create(actor, data, allow_duplicates=True).id


@pytest.fixture
def world(services):
    sales = build(services)
    amir = _person(sales, sales.rep, "امیری", "09121112222", "amir@example.com")
    behnam = _person(sales, sales.rep, "بهنامی", "۰۹۱۲۱۱۱۲۲۲۲")
    cyrus = _person(sales, sales.mate, "کوروشی", email="AMIR@example.com")
    dara = _person(sales, sales.rep, "دارایی", "09350000000", "dara@example.com")
    ids = {title: sales.new(identity_id=amir, title=title) for title in ("الف ۱", "الف ۲", "الف ۳", "الف ۴")}
    ids["ب ۱"] = sales.new(identity_id=behnam, title="ب ۱")
    ids["ج ۱"] = sales.new(sales.mate, identity_id=cyrus, title="ج ۱")
    ids["د ۱"] = sales.new(identity_id=dara, title="د ۱")
    services.opportunity_merge.merge(sales.rep, ids["الف ۲"], ids["الف ۳"])
    services.opportunity_records.soft_delete(sales.rep, ids["الف ۴"])
    return sales, amir, ids


def test_same_identity_phone_or_email_counted_within_what_one_may_see(world) -> None:
    sales, amir, ids = world
    similar = sales.services.similar_opportunities
    assert similar.count(sales.rep, amir, ids["الف ۱"]) == 2
    assert similar.count(sales.admin, amir, ids["الف ۱"]) == 3
    rows = similar.rows(sales.admin, amir, ids["الف ۱"])
    assert {(r.title, r.reason) for r in rows} == {("الف ۲", SAME_IDENTITY), ("ب ۱", SAME_PHONE), ("ج ۱", SAME_EMAIL)}
    assert [r.title for r in similar.rows(sales.rep, amir, ids["الف ۱"])] == ["ب ۱", "الف ۲"]  # newest first
    # A new opportunity (nothing to exclude) counts every live one of the customer.
    assert similar.count(sales.rep, amir) == 3


def test_an_identity_with_nothing_in_common_has_none(world) -> None:
    sales, _amir, ids = world
    dara = sales.services.opportunity_records.get(sales.rep, ids["د ۱"]).identity_id
    assert sales.services.similar_opportunities.count(sales.rep, dara, ids["د ۱"]) == 0

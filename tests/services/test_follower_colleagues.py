"""Followers of an identity or an opportunity (issue 15, seed 004 «دنبال کنندگان»): the colleagues one may
add (`candidates`), adding one, a colleague who cannot see the record refused with the reason, removing one."""

from __future__ import annotations

import pytest

from app.models import User
from app.services.core.actor import SYSTEM
from app.services.core.errors import ValidationFailed
from tests.services.sales_helpers import build


@pytest.fixture
def sales(services):
    return build(services)


def _names(rows) -> set[str]:
    return {r.display_name for r in rows}


def test_an_admin_may_add_any_active_colleague(services, sales) -> None:
    with services.db.write(SYSTEM) as s:
        s.add(User(login="gone", display_name="gone", is_active=False))
    followers = services.followers
    assert _names(followers.candidates(sales.admin, "identities", sales.customer)) == {
        "leader", "rep one", "rep two", "rep three"
    }  # fmt: skip
    followers.follow(sales.admin, "identities", sales.customer, sales.other.user_id)
    assert _names(followers.followers(sales.rep, "identities", sales.customer)) == {"rep three"}
    assert "rep three" not in _names(followers.candidates(sales.admin, "identities", sales.customer))


def test_a_rep_adds_whoever_sees_the_record_and_is_told_why_not_others(services, sales) -> None:
    opp = sales.new(title="فرصت مشترک")
    followers = services.followers
    # the leader of the rep's team and the administrator see it anyway; the mate and rep three do not
    candidates = {r.user_id for r in followers.candidates(sales.rep, "opportunities", opp)}
    assert candidates == {sales.leader.user_id, sales.admin.user_id}
    followers.follow(sales.rep, "opportunities", opp, sales.leader.user_id)
    with pytest.raises(ValidationFailed) as refused:
        followers.follow(sales.rep, "opportunities", opp, sales.mate.user_id)
    assert refused.value.errors["user_id"].startswith("«rep two» این فرصت را نمی‌بیند")
    assert _names(followers.followers(sales.rep, "opportunities", opp)) == {"leader"}
    followers.unfollow(sales.rep, "opportunities", opp, sales.leader.user_id)
    assert followers.followers(sales.rep, "opportunities", opp) == []


def test_a_leader_shares_a_record_with_the_team_but_not_outside_it(services, sales) -> None:
    followers = services.followers
    candidates = _names(followers.candidates(sales.leader, "identities", sales.customer))
    assert {"rep one", "rep two"} <= candidates and "rep three" not in candidates
    followers.follow(sales.leader, "identities", sales.customer, sales.mate.user_id)
    assert services.identities.get(sales.mate, sales.customer).display_name == "شرکت آلفا"  # she sees it now
    with pytest.raises(ValidationFailed):
        followers.follow(sales.leader, "identities", sales.customer, sales.other.user_id)
    followers.unfollow(sales.leader, "identities", sales.customer, sales.mate.user_id)
    assert followers.followers(sales.leader, "identities", sales.customer) == []

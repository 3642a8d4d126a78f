"""Notes are visible to the record's owner and followers; users follow and unfollow records."""

from __future__ import annotations

import pytest

from app.models import ActivityKind, ActivityState
from app.services.core.errors import AccessDenied, ValidationFailed
from tests.services.activity_helpers import add_identity, add_opportunity, add_user


@pytest.fixture
def office(services, admin):
    owner = add_user(services, "owner")
    other = add_user(services, "other")
    identity = add_identity(services, owner, "شرکت بتا")
    opp = add_opportunity(services, owner, identity)
    note = services.activities.add_note(owner, identity.id, "مدیرعامل فقط صبح‌ها پاسخ می‌دهد.\nبا منشی هماهنگ شود.")
    return owner, other, identity, opp, note


def _note_ids(services, actor, identity) -> set:
    return {r.id for r in services.activities.for_record(actor, identity_id=identity.id)}


def test_a_note_is_recorded_as_done_with_its_text(services, office) -> None:
    owner, _, identity, _, note = office
    assert note.kind is ActivityKind.NOTE and note.state is ActivityState.DONE
    assert note.summary == "مدیرعامل فقط صبح‌ها پاسخ می‌دهد."
    assert note.details.endswith("با منشی هماهنگ شود.")
    with pytest.raises(ValidationFailed):
        services.activities.add_note(owner, identity.id, "   ")


def test_notes_are_hidden_from_others_until_they_follow(services, admin, office) -> None:
    owner, other, identity, _, note = office
    assert _note_ids(services, owner, identity) == {note.id}
    assert _note_ids(services, other, identity) == set()
    with pytest.raises(AccessDenied):
        services.activities.get(other, note.id)
    with pytest.raises(AccessDenied):  # one cannot follow a record one cannot reach
        services.followers.follow(other, "identities", identity.id)

    services.followers.follow(admin, "identities", identity.id, other.user_id)  # the manager adds a follower
    assert services.followers.is_following(other, "identities", identity.id)
    assert [f.display_name for f in services.followers.followers(owner, "identities", identity.id)] == ["other"]
    assert _note_ids(services, other, identity) == {note.id}
    assert services.activities.get(other, note.id).details.startswith("مدیرعامل")

    services.followers.unfollow(other, "identities", identity.id)
    assert services.followers.followers(admin, "identities", identity.id) == []
    assert _note_ids(services, other, identity) == set()


def test_following_an_opportunity_shows_it_but_not_the_identitys_notes(services, admin, office) -> None:
    owner, other, identity, opp, note = office
    opp_note = services.activities.add_note(owner, identity.id, "رقیب قیمت پایین‌تری داده", opportunity_id=opp.id)
    services.followers.follow(admin, "opportunities", opp.id, other.user_id)
    services.followers.follow(admin, "opportunities", opp.id, other.user_id)  # twice is harmless
    assert len(services.followers.followers(admin, "opportunities", opp.id)) == 1
    # notes follow the identity (their access parent): following only the opportunity is not enough
    assert _note_ids(services, other, identity) == set()
    assert opp_note.opportunity_id == opp.id


def test_the_owner_follows_their_own_record(services, office) -> None:
    owner, _, identity, _, _ = office
    services.followers.follow(owner, "identities", identity.id)
    assert services.followers.is_following(owner, "identities", identity.id)
    with pytest.raises(ValidationFailed):
        services.followers.follow(owner, "users", identity.id)

"""Favourites shared with the owner's team (issue 17): teammates read them, only the owner changes them."""

from __future__ import annotations

import pytest

from app.models import AccessLevel, User
from app.services.core.actor import SYSTEM, Actor
from app.services.core.errors import AccessDenied, NotFound, ValidationFailed
from tests.services.access_world import build

REPORT = {"report": "pipeline", "chart": "bar"}


@pytest.fixture
def world(services):
    world = build(services)
    with services.db.write(SYSTEM) as s:  # a second own-documents member of rep_a's team
        team = s.get(User, world.rep_a.user_id).team_id
        mate = User(login="mate", display_name="همکار", access_level=AccessLevel.OWN_DOCUMENTS, team_id=team)
        s.add(mate)
        s.flush()
        world.records["mate"] = Actor(mate.id, "mate", "همکار", AccessLevel.OWN_DOCUMENTS)
    return world


def test_a_shared_favourite_is_read_by_the_team_only(services, world) -> None:
    saved, mate = services.saved_searches, world.records["mate"]
    shared = saved.save(world.rep_a, "کاریز تیم", REPORT, "reports", shared=True)
    saved.save(world.rep_a, "خودم", REPORT, "reports")
    assert shared.shared and shared.mine
    mine = saved.list(world.rep_a, "reports")
    assert [(r.name, r.shared, r.mine) for r in mine] == [("خودم", False, True), ("کاریز تیم", True, True)]
    (seen,) = saved.list(mate, "reports")
    assert (seen.name, seen.shared, seen.mine, seen.owner_name, seen.definition) == (
        "کاریز تیم", True, False, "rep_a", REPORT
    )  # fmt: skip
    assert saved.list(world.rep_b, "reports") == []  # no team
    assert saved.list(world.admin, "reports") == []  # an administrator's list is still their own
    assert saved.list(mate, "identities") == []  # one list's favourites only


def test_only_the_owner_changes_or_removes_a_shared_favourite(services, world) -> None:
    saved, mate = services.saved_searches, world.records["mate"]
    shared = saved.save(world.rep_a, "کاریز تیم", REPORT, "reports", shared=True)
    with pytest.raises(AccessDenied):
        saved.delete(mate, shared.id)
    with pytest.raises(NotFound):
        saved.delete(world.rep_b, shared.id)  # outside the team it does not exist
    own_copy = saved.save(mate, "کاریز تیم", {"report": "funnel"}, "reports")  # the same name: the mate's own
    assert own_copy.id != shared.id and not own_copy.shared
    assert saved.list(world.rep_a, "reports")[0].definition == REPORT
    private = saved.save(world.rep_a, "کاریز تیم", REPORT, "reports")  # the owner un-shares it
    assert private.id == shared.id and not private.shared
    assert [r.name for r in saved.list(mate, "reports")] == ["کاریز تیم"] and saved.list(mate, "reports")[0].mine
    saved.delete(world.rep_a, shared.id)
    assert saved.list(world.rep_a, "reports") == []


def test_sharing_needs_a_team(services, world) -> None:
    with pytest.raises(ValidationFailed) as raised:
        services.saved_searches.save(world.rep_b, "کاریز", REPORT, "reports", shared=True)
    assert "تیم" in raised.value.errors["shared"]

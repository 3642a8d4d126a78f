"""A rep's quick search on their own server role (the hits from peyvand_identity_hits, then sorted, or a
walk of the sort's index when there are more than the cap) gives the pages and count the app's own
access policy gives the same rep on the owner's connection."""

from __future__ import annotations

import datetime as dt

import pytest

from app.models import Activity, ActivityKind, Identity, IdentityKind, SalesTeam, User
from app.persian import search_key
from app.services.core.actor import SYSTEM
from app.services.identities import list_pages, server_hits
from app.services.identities.service import IdentityQuery
from tests.security.test_followers import FOLLOW

NAMES = ["مشتری الف", "مشتری ب", "پ مشتری", "مشتری ت", "ث مشتریان", "ج مشتری"]


def _add(attacked) -> None:
    """Customers of both reps with the same word, and one of sara's that maryam reads as the customer
    of an activity assigned to her (peyvand_identity_hits finds it, the list does not show it)."""
    with attacked.office.owner.db.write(SYSTEM) as s:
        for i, name in enumerate(NAMES * 2):
            owner = attacked.maryam if i % 3 else attacked.sara
            key = search_key(name)
            s.add(Identity(kind=IdentityKind.PERSON, display_name=name, name_key=key, owner_id=owner.user_id))
        name = "مشتری معرفی"
        referred = Identity(
            kind=IdentityKind.PERSON, display_name=name, name_key=search_key(name), owner_id=attacked.sara.user_id
        )
        s.add(referred)
        s.flush()
        s.add(
            Activity(
                identity_id=referred.id,
                kind=ActivityKind.CALL,
                summary="تماس",
                due_at=dt.datetime(2026, 11, 22, tzinfo=dt.UTC),
                assignee_id=attacked.maryam.user_id,
            )
        )


def _pages(services, actor, query: IdentityQuery, size: int = 3) -> list[list]:
    pages, cursor = [], None
    while True:
        page = services.identities.page(actor, query, cursor, size)
        pages.append([row.id for row in page.rows])
        if page.after is None:
            return pages
        cursor = page.after


SORTS = [("display_name", False), ("display_name", True), ("created_at", True), ("owner_name", False)]


@pytest.mark.parametrize("cap", [server_hits.HITS_CAP, 4])
@pytest.mark.parametrize(("sort", "descending"), SORTS)
def test_own_role_pages_are_the_apps_pages(attacked, monkeypatch, cap, sort, descending) -> None:
    _add(attacked)
    monkeypatch.setattr(server_hits, "HITS_CAP", cap)  # 4: more hits than the cap, the sort's index is walked
    query = IdentityQuery(text="مشتری", sort=sort, descending=descending)
    own = _pages(attacked.as_maryam, attacked.maryam, query)
    app = _pages(attacked.office.owner, attacked.maryam, query)
    assert own == app
    found = [i for page in own for i in page]
    with attacked.office.owner.db.read(SYSTEM) as s:
        owners = {s.get(Identity, i).owner_id for i in found}
    # Her 8 and mine["identity"]; the customer of her activity is read beside the activity, not listed.
    assert len(found) == 9
    assert owners == {attacked.maryam.user_id}
    assert attacked.as_maryam.identities.count(attacked.maryam, query) == len(found)


@pytest.mark.parametrize("walk_rows", [None, 1])  # 1: the walk's window is full at once, every hit fetched
@pytest.mark.parametrize("text", ["مشتری", "مش", "م", "تری", "ان"])
def test_own_role_walks_in_name_order_give_the_apps_pages(attacked, monkeypatch, text, walk_rows) -> None:
    """More hits than the cap, in name order (peyvand_identity_walk: the names starting with the term and
    the hits inside names, or a one- or two-letter name prefix), with a colleague's customer she follows."""
    _add(attacked)
    attacked.as_owner(FOLLOW, ("identities", attacked.theirs["identity"], attacked.maryam.user_id))
    monkeypatch.setattr(server_hits, "HITS_CAP", 0)
    if walk_rows is not None:
        for name in ("WALK_ROWS", "PG_WALK_ROWS", "ROLE_WALK_ROWS"):
            monkeypatch.setattr(list_pages, name, walk_rows)
    query = IdentityQuery(text=text)
    own = _pages(attacked.as_maryam, attacked.maryam, query)
    assert own == _pages(attacked.office.owner, attacked.maryam, query)
    found = [i for page in own for i in page]
    assert attacked.as_maryam.identities.count(attacked.maryam, query) == len(found)  # peyvand_identity_count
    if text != "ان":
        assert found
    if text in ("مشتری", "مش", "م"):
        assert attacked.theirs["identity"] in found


def test_a_team_leaders_walk_merges_every_members_names(attacked, monkeypatch) -> None:
    """Maryam leads sara's team: a branch per owner, merged in name order."""
    _add(attacked)
    with attacked.office.owner.db.write(SYSTEM) as s:
        team = SalesTeam(name="تیم فروش", leader_id=attacked.maryam.user_id)
        s.add(team)
        s.flush()
        s.get(User, attacked.sara.user_id).team_id = team.id
    monkeypatch.setattr(server_hits, "HITS_CAP", 0)
    for text in ("مشتری", "مش", "تری"):
        query = IdentityQuery(text=text)
        own = _pages(attacked.as_maryam, attacked.maryam, query)
        assert own == _pages(attacked.office.owner, attacked.maryam, query)
        with attacked.office.owner.db.read(SYSTEM) as s:
            owners = {s.get(Identity, i).owner_id for page in own for i in page}
        assert owners == {attacked.maryam.user_id, attacked.sara.user_id}, text
        assert attacked.as_maryam.identities.count(attacked.maryam, query) == sum(map(len, own))

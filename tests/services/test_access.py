"""The access policy, through every public service method: own-documents users reach only their own."""

from __future__ import annotations

import dataclasses
import inspect

import pytest
from sqlalchemy import select

from app.models import Identity, IdentityPhone, SalesTeam
from app.services.core.errors import AccessDenied, NotFound
from app.services.core.registry import SERVICES, Services
from app.services.identities.service import IdentityQuery
from tests.conftest import build_template, copy_template, discard_copy
from tests.services import access_cases
from tests.services.access_world import build, follow


@pytest.fixture(scope="session")
def world_template(tmp_path_factory):
    """The office with every area's records, built once; each test works on its own copy."""

    def populate(db):
        world = access_cases.extend(build(Services(db)))
        return dataclasses.replace(world, services=None)

    return build_template(tmp_path_factory, "access_world.db", populate)


@pytest.fixture
def world(world_template, tmp_path):
    template, world = world_template
    db = copy_template(template, tmp_path)
    yield dataclasses.replace(world, services=Services(db), records=dict(world.records))
    discard_copy(db)


# Each area's cases live in tests/services/access_cases/<area>.py (see its __init__ for the contract).
CASES, NOT_RECORD_SCOPED, ADMIN_ONLY, PERSONAL = access_cases.collect()


def _ids(rows) -> set:
    return {r.id for r in rows}


def _cardboard_ids(world, actor) -> set:
    board = world.services.cardboard.load(actor)
    return _ids(board.overdue.rows + board.today.rows + board.next_7_days.rows)


def public_methods(services: Services) -> set[str]:
    names = set()
    for attr in SERVICES:
        for name, _ in inspect.getmembers(type(getattr(services, attr)), inspect.isfunction):
            if not name.startswith("_"):
                names.add(f"{attr}.{name}")
    return names


def test_every_public_service_method_has_an_access_case(services) -> None:
    missing = public_methods(services) - set(CASES) - NOT_RECORD_SCOPED
    assert missing == set(), f"add an access case for: {sorted(missing)}"


def _reached(world, actor, case) -> bool:
    try:
        return bool(CASES[case](world, actor))
    except (AccessDenied, NotFound):
        return False


@pytest.mark.parametrize("case", sorted(CASES))
def test_own_documents_user_cannot_reach_another_users_record(world, case) -> None:
    assert _reached(world, world.rep_a, case) is False


@pytest.mark.parametrize("case", sorted(set(CASES) - PERSONAL))
def test_admin_reaches_everything(world, case) -> None:
    assert _reached(world, world.admin, case) is True


@pytest.mark.parametrize("case", sorted(set(CASES) - ADMIN_ONLY - PERSONAL))
def test_all_documents_user_reaches_every_record(world, case) -> None:
    assert _reached(world, world.clerk, case) is True


@pytest.mark.parametrize("case", sorted(ADMIN_ONLY))
def test_settings_and_admin_views_are_admin_only(world, case) -> None:
    assert _reached(world, world.clerk, case) is False


def test_own_user_sees_own_records_and_team_leader_sees_the_team(world) -> None:
    ids = world.services.identities
    assert _ids(ids.search(world.rep_a, IdentityQuery())) == {world.records["identity_a"]}
    assert ids.count(world.rep_a, IdentityQuery()) == 1
    assert _ids(ids.search(world.leader, IdentityQuery())) == {world.records["identity_a"]}
    assert _ids(ids.search(world.rep_b, IdentityQuery())) == {world.records["identity_b"]}


def test_the_cardboard_shows_each_user_their_own_work(world) -> None:
    assert _cardboard_ids(world, world.rep_b) == {world.records["activity_b"]}
    assert _cardboard_ids(world, world.rep_a) == {world.records["activity_a"]}


def test_a_follower_sees_the_record(world) -> None:
    follow(world, world.rep_a, "identities", world.records["identity_b"])
    seen = _ids(world.services.identities.search(world.rep_a, IdentityQuery()))
    assert seen == {world.records["identity_a"], world.records["identity_b"]}


def test_reading_another_users_record_fails_with_a_persian_message(world) -> None:
    with pytest.raises(AccessDenied) as caught:
        world.services.history.record_history(world.rep_a, "identities", world.records["identity_b"])
    assert caught.value.message == "شما اجازه دسترسی به این رکورد را ندارید."


def test_writes_through_any_session_are_checked(world) -> None:
    db = world.services.db
    with pytest.raises(AccessDenied), db.write(world.rep_a) as s:
        other = s.execute(
            select(Identity).execution_options(skip_access=True).where(Identity.id == world.records["identity_b"])
        ).scalar_one()
        other.description = "دست‌کاری"
    with pytest.raises(AccessDenied), db.write(world.rep_a) as s:  # a phone on someone else's identity
        s.add(IdentityPhone(identity_id=world.records["identity_b"], number="1", number_key="1"))
    with pytest.raises(AccessDenied), db.write(world.rep_a) as s:  # giving one's record away
        s.get(Identity, world.records["identity_a"]).owner_id = world.rep_b.user_id
    with pytest.raises(AccessDenied), db.write(world.clerk) as s:  # lists are the admin's
        s.add(SalesTeam(name="تیم جدید"))
    with db.read(world.rep_a) as s:
        assert s.scalars(select(IdentityPhone.identity_id)).all() == [world.records["identity_a"]]

"""The access policy, through every public service method: own-documents users reach only their own."""

from __future__ import annotations

import inspect

import pytest
from sqlalchemy import select

from app.models import Identity, IdentityPhone, SalesTeam
from app.services.errors import AccessDenied, NotFound
from app.services.identities import IdentityQuery
from app.services.opportunities import OpportunityQuery
from app.services.registry import Services
from app.services.settings import CompanyInfo
from tests.services.access_world import build, follow


@pytest.fixture
def world(services):
    return build(services)


# Each public service method has a case: (world, actor) -> True if the actor reached rep_b's record.
# A case must return False (or raise AccessDenied) for rep_a, and True for the clerk and the admin.
def _ids(rows) -> set:
    return {r.id for r in rows}


CASES = {
    "identities.search": lambda w, a: w.records["identity_b"] in _ids(w.services.identities.search(a, IdentityQuery())),
    "identities.count": lambda w, a: w.services.identities.count(a, IdentityQuery(text="مشتری b")) == 1,
    "identities.soft_delete": lambda w, a: w.services.identities.soft_delete(a, w.records["identity_b"]) is None,
    "opportunities.search": lambda w, a: (
        w.records["opportunity_b"] in _ids(w.services.opportunities.search(a, OpportunityQuery()))
    ),
    "opportunities.count": lambda w, a: w.services.opportunities.count(a, OpportunityQuery(text="فرصت b")) == 1,
    "cardboard.load": lambda w, a: w.records["activity_b"] in _cardboard_ids(w, a),
    "history.record_history": lambda w, a: bool(
        w.services.history.record_history(a, "identities", w.records["identity_b"])
    ),
    "history.changes": lambda w, a: bool(w.services.history.changes(a)),
    "recycle_bin.deleted": lambda w, a: isinstance(w.services.recycle_bin.deleted(a), list),
    "recycle_bin.restore": lambda w, a: _restore_b(w, a),
    "settings.save_company": lambda w, a: w.services.settings.save_company(a, CompanyInfo(name="شرکت")) is not None,
    "settings.set_money_unit": lambda w, a: (
        w.services.settings.set_money_unit(a, w.services.settings.money_unit()) is None
    ),
}
# Methods that hold no one's records: they are the same for every user.
NOT_RECORD_SCOPED = {
    "settings.company",
    "settings.is_first_run",
    "settings.money_unit",
    "users.ensure_admin",
}
# Admin-only methods: an all-documents user is refused too.
ADMIN_ONLY = {
    "history.changes",
    "recycle_bin.deleted",
    "recycle_bin.restore",
    "settings.save_company",
    "settings.set_money_unit",
}


def _cardboard_ids(world, actor) -> set:
    board = world.services.cardboard.load(actor)
    return _ids(board.overdue.rows + board.today.rows + board.next_7_days.rows)


def _restore_b(world, actor) -> bool:
    world.services.identities.soft_delete(world.admin, world.records["identity_b"])
    world.services.recycle_bin.restore(actor, "identities", world.records["identity_b"])
    return True


def public_methods(services: Services) -> set[str]:
    names = set()
    for attr, service in vars(services).items():
        if attr == "db":
            continue
        for name, _ in inspect.getmembers(type(service), inspect.isfunction):
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


# The cardboard is each user's personal inbox, so even an admin's shows only their own work.
PERSONAL = {"cardboard.load"}


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

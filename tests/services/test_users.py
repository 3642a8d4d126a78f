"""Users and sales teams as the administrator manages them; everyone else is refused."""

from __future__ import annotations

import uuid

import pytest
from argon2 import PasswordHasher

from app.models import AccessLevel
from app.services.admin import passwords
from app.services.admin.teams import TeamData, TeamService
from app.services.admin.users import UserData
from app.services.core.actor import SYSTEM, Actor
from app.services.core.errors import AccessDenied, NotFound, ServiceError, ValidationFailed


@pytest.fixture(autouse=True)
def quick_hashes(monkeypatch) -> None:
    """Real Argon2id, with test-sized memory and time (the default costs ~150 ms a hash)."""
    monkeypatch.setattr(passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def boss(services, admin) -> Actor:
    """The administrator after the first-run wizard: has a password, can log in."""
    return services.users.set_up_admin(admin, "boss", "مدیر فروش", "kelid-e-modir")


@pytest.fixture
def teams(db) -> TeamService:
    return TeamService(db)


USER_PASSWORD = "kelid-sabz-9"


def _add(services, boss, login: str, level: AccessLevel = AccessLevel.OWN_DOCUMENTS):
    return services.users.create_user(boss, UserData(login, f"کاربر {login}", level), USER_PASSWORD)


def test_first_admin_is_set_up_once(services, admin) -> None:
    assert services.users.needs_admin_setup()
    boss = services.users.set_up_admin(admin, " Boss ", "مدير فروش", "kelid-e-modir")
    assert (boss.user_id, boss.login, boss.display_name) == (admin.user_id, "boss", "مدیر فروش")
    assert not services.users.needs_admin_setup()
    with pytest.raises(ServiceError):
        services.users.set_up_admin(admin, "other", "دیگری", "kelid-digar-2")
    assert services.users.ensure_admin() == boss  # unattended starts keep acting as this admin


def test_create_list_update_deactivate(services, boss) -> None:
    row = services.users.create_user(boss, UserData(" Maryam ", "مريم  احمدی"), "کلید-۱۴۰۵-سبز")
    assert (row.login, row.display_name, row.access_level) == ("maryam", "مریم احمدی", AccessLevel.OWN_DOCUMENTS)
    assert row.is_active and row.has_password and row.last_login_at is None
    _add(services, boss, "ali")
    # By name in the Persian alphabet (issue 14): «کاربر» (ک) before «مدیر» and «مریم» (م).
    assert [u.login for u in services.users.list_users(boss)] == ["ali", "boss", "maryam"]

    changed = services.users.update_user(boss, row.id, UserData("maryam.a", "مریم احمدی", AccessLevel.ALL_DOCUMENTS))
    assert (changed.login, changed.access_level) == ("maryam.a", AccessLevel.ALL_DOCUMENTS)
    services.users.deactivate(boss, row.id)
    assert services.users.get_by_login(boss, "MARYAM.A").is_active is False
    assert [u.login for u in services.users.list_users(boss)] == ["ali", "boss", "maryam.a"]  # inactive last
    services.users.reactivate(boss, row.id)
    assert services.users.get_by_login(boss, "maryam.a").is_active


def test_validation_names_each_field(services, boss) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.users.create_user(boss, UserData("", " ", team_id=uuid.uuid4(), contact_id=uuid.uuid4()), "short")
    errors = caught.value.errors
    assert errors == {
        "login": "نام کاربری را وارد کنید.",
        "display_name": "نام نمایشی را وارد کنید.",
        "team_id": "این تیم فروش پیدا نشد.",
        "contact_id": "کارت مخاطب پیدا نشد.",
        "password": "گذرواژه باید دست‌کم ۸ نویسه باشد.",
    }
    for bad in ("مریم", "maryam ahmadi", "a@b", "x" * 65):
        with pytest.raises(ValidationFailed) as caught:
            services.users.create_user(boss, UserData(bad, "مریم"), USER_PASSWORD)
        assert set(caught.value.errors) == {"login"}
    assert [u.login for u in services.users.list_users(boss)] == ["boss"]  # nothing half-written


def test_login_is_unique_ignoring_case(services, boss) -> None:
    first = _add(services, boss, "reza")
    with pytest.raises(ValidationFailed) as caught:
        services.users.create_user(boss, UserData("REZA", "رضا دیگر"), USER_PASSWORD)
    assert caught.value.errors == {"login": "این نام کاربری قبلاً ثبت شده است."}
    other = _add(services, boss, "sara")
    with pytest.raises(ValidationFailed):
        services.users.update_user(boss, other.id, UserData("Reza", "سارا"))
    services.users.update_user(boss, first.id, UserData("REZA", "رضا کریمی"))  # its own name is fine


def test_reset_password_checks_length_and_replaces_the_hash(services, boss) -> None:
    row = _add(services, boss, "ali")
    with pytest.raises(ValidationFailed) as caught:
        services.users.reset_password(boss, row.id, "1234567")
    assert set(caught.value.errors) == {"password"}
    services.users.reset_password(boss, row.id, "new-password")
    assert services.users.authenticate("ali", "new-password").user_id == row.id
    with pytest.raises(NotFound):
        services.users.reset_password(boss, uuid.uuid4(), "new-password")


def test_nobody_deactivates_themselves_or_the_last_admin(services, boss) -> None:
    with pytest.raises(ServiceError, match="خودتان"):
        services.users.deactivate(boss, boss.user_id)
    with pytest.raises(ServiceError, match="دست‌کم یک مدیر"):
        services.users.deactivate(SYSTEM, boss.user_id)  # the command line has no self, same rule
    with pytest.raises(ValidationFailed) as caught:
        services.users.update_user(boss, boss.user_id, UserData("boss", "مدیر", AccessLevel.ALL_DOCUMENTS))
    assert set(caught.value.errors) == {"access_level"}
    second = _add(services, boss, "second", AccessLevel.ADMIN)
    services.users.deactivate(services.users.authenticate("second", USER_PASSWORD), boss.user_id)
    with pytest.raises(ServiceError, match="دست‌کم یک مدیر"):
        services.users.deactivate(SYSTEM, second.id)
    with pytest.raises(ValidationFailed):
        services.users.update_user(SYSTEM, second.id, UserData("second", "دوم", AccessLevel.OWN_DOCUMENTS))


@pytest.mark.parametrize("level", [AccessLevel.ALL_DOCUMENTS, AccessLevel.OWN_DOCUMENTS])
def test_only_an_administrator_manages_users_and_teams(services, boss, teams, level) -> None:
    row = _add(services, boss, "rep")
    team = teams.create_team(boss, TeamData("تیم شمال"))
    rep = Actor(row.id, "rep", "کاربر rep", level)
    calls = [
        lambda: services.users.list_users(rep),
        lambda: services.users.get_by_login(rep, "rep"),
        lambda: services.users.create_user(rep, UserData("x", "ایکس"), "password"),
        lambda: services.users.update_user(rep, row.id, UserData("rep", "من", AccessLevel.ADMIN)),
        lambda: services.users.deactivate(rep, boss.user_id),
        lambda: services.users.reactivate(rep, row.id),
        lambda: services.users.reset_password(rep, boss.user_id, "stolen-password"),
        lambda: services.users.set_up_admin(rep, "rep", "من", "password"),
        lambda: teams.list_teams(rep),
        lambda: teams.create_team(rep, TeamData("تیم من")),
        lambda: teams.update_team(rep, team.id, TeamData("تیم من", rep.user_id, (rep.user_id,))),
        lambda: teams.delete_team(rep, team.id),
    ]
    for call in calls:
        with pytest.raises(AccessDenied):
            call()
    assert services.users.get_by_login(boss, "rep").access_level is AccessLevel.OWN_DOCUMENTS
    assert [t.name for t in teams.list_teams(boss)] == ["تیم شمال"]


def test_team_create_update_delete(services, boss, teams) -> None:
    maryam, reza, sara = (_add(services, boss, login) for login in ("maryam", "reza", "sara"))
    north = teams.create_team(boss, TeamData("تیم  شمال", maryam.id, (maryam.id, reza.id), 5_000_000_000))
    assert (north.name, north.leader_name, north.monthly_target) == ("تیم شمال", "کاربر maryam", 5_000_000_000)
    assert set(north.member_ids) == {maryam.id, reza.id}
    assert services.users.get_by_login(boss, "reza").team_name == "تیم شمال"

    south = teams.create_team(boss, TeamData("تیم جنوب", sara.id, (sara.id, reza.id)))  # reza moves south
    assert set(south.member_ids) == {sara.id, reza.id}
    north = teams.update_team(boss, north.id, TeamData("تیم شمال غرب", maryam.id, (maryam.id,), 1))
    assert north.member_ids == (maryam.id,) and north.name == "تیم شمال غرب"
    assert [t.name for t in teams.list_teams(boss)] == ["تیم جنوب", "تیم شمال غرب"]

    teams.delete_team(boss, south.id)
    assert [t.name for t in teams.list_teams(boss)] == ["تیم شمال غرب"]
    assert services.users.get_by_login(boss, "sara").team_id is None
    with pytest.raises(NotFound):
        teams.update_team(boss, south.id, TeamData("تیم جنوب"))
    teams.create_team(boss, TeamData("تیم جنوب"))  # the name of a deleted team is free again


def test_team_validation_names_each_field(services, boss, teams) -> None:
    teams.create_team(boss, TeamData("تیم شمال"))
    with pytest.raises(ValidationFailed) as caught:
        teams.create_team(boss, TeamData(" ", uuid.uuid4(), (uuid.uuid4(),), -1))
    assert set(caught.value.errors) == {"name", "leader_id", "member_ids", "monthly_target"}
    with pytest.raises(ValidationFailed) as caught:
        teams.create_team(boss, TeamData("تيم شمال"))  # Arabic yeh: the same name
    assert caught.value.errors == {"name": "تیمی با این نام وجود دارد."}

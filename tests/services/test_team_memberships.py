"""A user in more than one sales team (seed 004 «مخاطب چندین تیم»): the leader of each of their teams
sees their records, their team's shared favourites reach them from any of their teams, the reports'
team filter counts them in each; users.team_id stays the main team (an opportunity's default team)."""

from __future__ import annotations

import pytest

from app.models import SalesTeam
from app.services.admin.teams import TeamData, TeamService
from app.services.admin.users import UserData
from app.services.core.actor import SYSTEM
from app.services.core.periods import PeriodKind
from app.services.opportunities.queries import OpportunityQuery
from app.services.reports.periods import ReportFilter
from app.services.reports.service import ReportService
from tests.services.sales_helpers import Sales, build, identity, user


@pytest.fixture
def sales(services) -> Sales:
    world = build(services)
    with services.db.write(SYSTEM) as s:
        world.north = s.query(SalesTeam).one().id  # «تیم فروش تهران», led by `leader`
        world.south_leader = user(s, "south_leader")
        south = SalesTeam(name="تیم جنوب", leader_id=world.south_leader.user_id)
        s.add(south)
        s.flush()
        world.south = south.id
    return world


def _join(sales: Sales, actor, main, others) -> None:
    users = sales.services.users
    row = users.get_by_login(sales.admin, actor.login)
    data = UserData(row.login, row.display_name, row.access_level, main, other_team_ids=others)
    users.update_user(sales.admin, row.id, data)


def _titles(sales: Sales, actor) -> set[str]:
    return {r.title for r in sales.services.opportunities.search(actor, OpportunityQuery())}


def test_every_leader_of_a_users_teams_sees_their_records(sales) -> None:
    customer = identity(sales.services, sales.other, "شرکت دو تیمی")
    sales.new(sales.other, title="دو تیمی", identity_id=customer)
    assert "دو تیمی" not in _titles(sales, sales.leader) | _titles(sales, sales.south_leader)
    _join(sales, sales.other, sales.south, (sales.north,))
    assert "دو تیمی" in _titles(sales, sales.leader)  # another team of theirs
    assert "دو تیمی" in _titles(sales, sales.south_leader)  # their main team
    assert "دو تیمی" not in _titles(sales, sales.rep)  # a teammate is no leader
    assert _titles(sales, sales.other) == {"دو تیمی"}  # and they still see only their own
    row = sales.services.users.get_by_login(sales.admin, "rep_three")
    assert (row.team_id, row.other_team_ids) == (sales.south, (sales.north,))
    north = next(t for t in TeamService(sales.services.db).list_teams(sales.admin) if t.id == sales.north)
    assert sales.other.user_id in north.member_ids
    scoped = sales.services.opportunities.search(sales.leader, OpportunityQuery(scope="team"))
    assert "دو تیمی" in {r.title for r in scoped}  # «تیم من»


def test_taking_someone_off_a_teams_list_ends_that_membership_only(sales) -> None:
    sales.new(sales.other, title="دو تیمی", identity_id=identity(sales.services, sales.other, "شرکت ب"))
    _join(sales, sales.other, sales.south, (sales.north,))
    teams = TeamService(sales.services.db)
    north = next(t for t in teams.list_teams(sales.admin) if t.id == sales.north)
    kept = tuple(m for m in north.member_ids if m != sales.other.user_id)
    teams.update_team(sales.admin, sales.north, TeamData(north.name, north.leader_id, kept))
    assert "دو تیمی" not in _titles(sales, sales.leader)
    assert "دو تیمی" in _titles(sales, sales.south_leader)
    assert sales.services.users.get_by_login(sales.admin, "rep_three").other_team_ids == ()


def test_an_update_without_other_teams_keeps_them(sales) -> None:
    _join(sales, sales.other, None, (sales.north, sales.south))
    row = sales.services.users.get_by_login(sales.admin, "rep_three")
    sales.services.users.update_user(sales.admin, row.id, UserData(row.login, "رضا", row.access_level))
    assert set(sales.services.users.get_by_login(sales.admin, "rep_three").other_team_ids) == {sales.north, sales.south}


def test_a_favourite_shared_with_a_team_reaches_members_of_it_from_any_of_their_teams(sales) -> None:
    favourites = sales.services.saved_searches
    favourites.save(sales.mate, "بانک‌ها", {"text": "بانک"}, entity="opportunities", shared=True)  # north
    assert favourites.list(sales.other, "opportunities") == []
    _join(sales, sales.other, sales.south, (sales.north,))
    (seen,) = favourites.list(sales.other, "opportunities")
    assert seen.name == "بانک‌ها" and not seen.mine


def test_the_reports_team_filter_counts_a_member_in_each_of_their_teams(sales) -> None:
    identity(sales.services, sales.other, "شرکت گزارش")
    reports = ReportService(sales.services.db)

    def created(team) -> int:
        return reports.funnel(sales.admin, ReportFilter.of(PeriodKind.THIS_MONTH, team_id=team)).rows[0].values[0]

    assert created(sales.south) == 0
    _join(sales, sales.other, sales.north, (sales.south,))
    assert created(sales.south) == 1 and created(sales.north) == 2  # «شرکت آلفا» of rep_one too


def test_the_main_team_is_still_an_opportunitys_default_team(sales) -> None:
    _join(sales, sales.other, sales.south, (sales.north,))
    customer = identity(sales.services, sales.other, "شرکت پیش‌فرض")
    opportunity = sales.new(sales.other, title="تیم پیش‌فرض", identity_id=customer)
    assert sales.services.opportunity_records.get(sales.other, opportunity).team_id == sales.south

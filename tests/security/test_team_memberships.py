"""Team membership on the office server (seed 004 «مخاطب چندین تیم»), attacked from a rep's own role:
membership of a team (main or other) gives a rep nothing of a teammate's; only leading a team does, for
every member of it; a rep cannot enrol themselves; a user's board folds are theirs alone."""

from __future__ import annotations

import psycopg
import pytest

from app.models import SalesTeam, TeamMember, User
from app.services.core.actor import SYSTEM
from app.services.opportunities.queries import OpportunityQuery

INSERT_MEMBER = "INSERT INTO team_members (id, team_id, user_id) VALUES (gen_random_uuid(), %s, %s)"


def _team(attacked, leader=None, main=(), others=()):
    with attacked.office.owner.db.write(SYSTEM) as s:
        team = SalesTeam(name=f"تیم {len(s.query(SalesTeam).all())}", leader_id=leader.user_id if leader else None)
        s.add(team)
        s.flush()
        for actor in main:
            s.get(User, actor.user_id).team_id = team.id
        for actor in others:
            s.add(TeamMember(team_id=team.id, user_id=actor.user_id))
        return team.id


def _opportunities(conn) -> set[str]:
    return {title for (title,) in conn.execute("SELECT title FROM opportunities")}


def test_a_rep_in_two_teams_still_sees_only_their_own(attacked) -> None:
    _team(attacked, main=(attacked.sara,), others=(attacked.maryam,))
    _team(attacked, main=(attacked.maryam,), others=(attacked.sara,))
    with attacked.raw() as conn:
        assert _opportunities(conn) == set()
        owners = conn.execute("SELECT DISTINCT owner_id FROM identities").fetchall()
        assert owners == [(attacked.maryam.user_id,)]
        opportunity = attacked.theirs["opportunity"]
        assert conn.execute("UPDATE opportunities SET title = 'x' WHERE id = %s", (opportunity,)).rowcount == 0


def test_leading_a_team_shows_its_members_from_any_of_their_teams(attacked) -> None:
    _team(attacked, main=(attacked.sara,))  # sara's main team, led by no one
    led = _team(attacked, leader=attacked.maryam)  # sara joins it below as another team of hers
    with attacked.raw() as conn:
        assert _opportunities(conn) == set()
    with attacked.office.owner.db.write(SYSTEM) as s:
        s.add(TeamMember(team_id=led, user_id=attacked.sara.user_id))
    with attacked.raw() as conn:
        assert _opportunities(conn) == {"فرصت سارا"}
    titles = {r.title for r in attacked.as_maryam.opportunities.search(attacked.maryam, OpportunityQuery())}
    assert titles == {"فرصت سارا"}  # the app on her role agrees


def test_a_rep_cannot_enrol_themselves_in_a_team(attacked) -> None:
    team = _team(attacked, leader=attacked.sara, main=(attacked.sara,))
    with attacked.raw() as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(INSERT_MEMBER, (team, attacked.maryam.user_id))
    assert attacked.as_owner("SELECT count(*) FROM team_members") == [(0,)]


def test_a_users_folded_stages_are_theirs_alone(attacked) -> None:
    stage = attacked.office.owner.pipelines.pipelines(SYSTEM)[0].stages[0].id
    attacked.office.owner.board.set_folded(attacked.sara, stage, True)
    with attacked.raw() as conn:
        assert conn.execute("SELECT count(*) FROM stage_folds").fetchone()[0] == 0
        assert conn.execute("UPDATE stage_folds SET folded = false").rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(
                "INSERT INTO stage_folds (id, user_id, stage_id, folded) VALUES (gen_random_uuid(), %s, %s, true)",
                (attacked.sara.user_id, stage),
            )
    attacked.as_maryam.board.set_folded(attacked.maryam, stage, True)  # her own, through the app
    assert attacked.as_owner("SELECT count(*) FROM stage_folds WHERE folded") == [(2,)]


def test_a_favourite_shared_with_a_team_reaches_a_member_for_whom_it_is_another_team(attacked) -> None:
    _team(attacked, main=(attacked.sara,), others=(attacked.maryam,))
    shared = attacked.office.owner.saved_searches.save(attacked.sara, "کاریز", {"r": 1}, "reports", shared=True)
    (seen,) = attacked.as_maryam.saved_searches.list(attacked.maryam, "reports")
    assert (seen.id, seen.mine) == (shared.id, False)
    with attacked.raw() as conn:
        assert conn.execute("UPDATE saved_searches SET name = 'x'").rowcount == 0

"""A favourite shared with a team, attacked from a rep's own role the way psql would (issue 17): a rep
outside the team cannot read it; a member reads it but can neither change nor delete it, nor write a
favourite in the owner's name or share one with a team not theirs."""

from __future__ import annotations

import psycopg
import pytest

from app.models import SalesTeam, User
from app.services.core.actor import SYSTEM

REPORT = {"report": "pipeline"}


def _team_of_sara(attacked, *members) -> None:
    with attacked.office.owner.db.write(SYSTEM) as s:
        team = SalesTeam(name="تیم سارا")
        s.add(team)
        s.flush()
        for actor in (attacked.sara, *members):
            s.get(User, actor.user_id).team_id = team.id


def _shared(attacked):
    return attacked.office.owner.saved_searches.save(attacked.sara, "کاریز تیم", REPORT, "reports", shared=True).id


def test_a_rep_outside_the_team_cannot_read_it(attacked) -> None:
    _team_of_sara(attacked)
    favourite = _shared(attacked)
    with attacked.raw() as conn:
        assert conn.execute("SELECT count(*) FROM saved_searches").fetchone()[0] == 0
        assert conn.execute("UPDATE saved_searches SET name = 'x' WHERE id = %s", (favourite,)).rowcount == 0
    assert attacked.as_maryam.saved_searches.list(attacked.maryam, "reports") == []


def test_a_team_member_reads_it_and_cannot_change_or_delete_it(attacked) -> None:
    _team_of_sara(attacked, attacked.maryam)
    favourite = _shared(attacked)
    (seen,) = attacked.as_maryam.saved_searches.list(attacked.maryam, "reports")  # the app on her role
    assert (seen.id, seen.mine, seen.shared) == (favourite, False, True)
    with attacked.raw() as conn:
        assert conn.execute("SELECT count(*) FROM saved_searches WHERE id = %s", (favourite,)).fetchone()[0] == 1
        assert conn.execute("UPDATE saved_searches SET name = 'x' WHERE id = %s", (favourite,)).rowcount == 0
        assert conn.execute("UPDATE saved_searches SET team_id = NULL WHERE id = %s", (favourite,)).rowcount == 0
        assert conn.execute("DELETE FROM saved_searches WHERE id = %s", (favourite,)).rowcount == 0
        team = conn.execute("SELECT team_id FROM saved_searches WHERE id = %s", (favourite,)).fetchone()[0]
        insert = (
            "INSERT INTO saved_searches (id, user_id, entity, name, definition, team_id, created_at, updated_at,"
            " version) VALUES (gen_random_uuid(), %s, 'reports', 'جعلی', '{}', %s, now(), now(), 1)"
        )
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(insert, (attacked.sara.user_id, team))  # in the owner's name
    assert attacked.as_owner("SELECT name, deleted_at FROM saved_searches") == [("کاریز تیم", None)]


def test_a_favourite_is_shared_only_with_ones_own_team(attacked) -> None:
    _team_of_sara(attacked)
    favourite = _shared(attacked)
    team = attacked.as_owner("SELECT team_id FROM saved_searches WHERE id = %s", (favourite,))[0][0]
    with attacked.raw() as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(
            "INSERT INTO saved_searches (id, user_id, entity, name, definition, team_id, created_at, updated_at,"
            " version) VALUES (gen_random_uuid(), %s, 'reports', 'نفوذ', '{}', %s, now(), now(), 1)",
            (attacked.maryam.user_id, team),  # her own favourite, "shared" into sara's team to be read there
        )

"""Following shares a record one already sees; it must not open a colleague's record (issue 13)."""

from __future__ import annotations

import psycopg
import pytest

from app.services.admin.teams import TeamData
from app.services.admin.users import UserData
from tests.security.attack_office import REP_PASSWORD

FOLLOW = (
    "INSERT INTO followers (id, record_table, record_id, user_id, created_at)"
    " VALUES (gen_random_uuid(), %s, %s, %s, now())"
)


RECORDS = {"identities": "identity", "opportunities": "opportunity", "activities": "activity"}


@pytest.mark.parametrize("table", sorted(RECORDS))
def test_following_a_colleagues_record_is_refused(attacked, table: str) -> None:
    record = attacked.theirs[RECORDS[table]]
    with attacked.raw() as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(FOLLOW, (table, record, attacked.maryam.user_id))
        assert conn.execute(f"SELECT count(*) FROM {table} WHERE id = %s", (record,)).fetchone()[0] == 0
        assert conn.execute(f"UPDATE {table} SET updated_at = now() WHERE id = %s", (record,)).rowcount == 0


def test_following_ones_own_record_still_works(attacked) -> None:
    with attacked.raw() as conn:
        conn.execute(FOLLOW, ("identities", attacked.mine["identity"], attacked.maryam.user_id))
        assert conn.execute("SELECT count(*) FROM followers").fetchone()[0] == 1


def test_a_rep_cannot_share_their_record_with_a_colleague_outside_their_team(attacked) -> None:
    """Sharing a record is for an administrator or the team's leader: maryam, a plain rep, cannot make
    sara follow (and so see) maryam's customer, nor remove a follower she may not add (issue 15)."""
    record = attacked.mine["identity"]
    with attacked.raw() as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(FOLLOW, ("identities", record, attacked.sara.user_id))
    attacked.as_owner(FOLLOW, ("identities", record, attacked.sara.user_id))
    with attacked.raw() as conn:
        deleted = conn.execute("DELETE FROM followers WHERE user_id = %s", (attacked.sara.user_id,)).rowcount
    assert deleted == 0
    with attacked.raw("sara") as conn:
        assert conn.execute("SELECT count(*) FROM identities WHERE id = %s", (record,)).fetchone()[0] == 1


def test_a_rep_adds_a_colleague_who_sees_the_record_anyway(attacked) -> None:
    """An administrator sees every record: a rep may add one as a follower of her own (issue 15)."""
    record = attacked.mine["identity"]
    boss = attacked.office.boss.user_id
    with attacked.raw() as conn:
        conn.execute(FOLLOW, ("identities", record, boss))
        assert conn.execute("SELECT count(*) FROM followers WHERE user_id = %s", (boss,)).fetchone()[0] == 1
        assert conn.execute("DELETE FROM followers WHERE user_id = %s", (boss,)).rowcount == 1


def test_a_leader_on_her_own_role_adds_a_team_member_but_not_an_outsider(attacked) -> None:
    """The server's rule for a leader is the app's: her team's members may follow her records (issue 15).
    maryam leads a team with sara; a third rep outside it stays refused."""
    office = attacked.office
    office.as_boss.teams.create_team(
        office.boss, TeamData("تیم مریم", attacked.maryam.user_id, (attacked.sara.user_id,))
    )
    outsider = office.as_boss.users.create_user(office.boss, UserData(office.login("neda"), "neda"), REP_PASSWORD)
    record = attacked.mine["identity"]
    with attacked.raw() as conn:
        conn.execute(FOLLOW, ("identities", record, attacked.sara.user_id))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(FOLLOW, ("identities", record, outsider.id))

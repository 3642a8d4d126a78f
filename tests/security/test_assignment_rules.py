"""Assignment rules and their log on the office server, attacked from a rep's own role the way psql would
(issue 19): a rep can neither change a rule, its members or its turn, nor forge, change or delete the
log; the write path still works on the own role of a desk clerk who hands leads out (all documents)."""

from __future__ import annotations

import psycopg
import pytest

from app.models import AccessLevel, SalesTeam, User
from app.services.admin.assignment_rules import RuleData
from app.services.admin.users import UserData
from app.services.core.actor import SYSTEM, Actor
from app.services.core.database import Database
from app.services.core.registry import Services
from app.services.identities.records import IdentityData
from tests.security.attack_office import REP_PASSWORD


def _rule(attacked):
    with attacked.office.owner.db.write(SYSTEM) as s:
        team = SalesTeam(name="تیم تهران")
        s.add(team)
        s.flush()
        for actor in (attacked.maryam, attacked.sara):
            s.get(User, actor.user_id).team_id = team.id
    office = attacked.office
    data = RuleData("همه سرنخ‌ها", member_ids=(attacked.sara.user_id, attacked.maryam.user_id))
    return office.as_boss.assignment_rules.save_rule(office.boss, team.id, None, data)


@pytest.mark.parametrize(
    "attack",
    [
        "UPDATE assignment_rules SET is_active = false",
        "UPDATE assignment_rules SET cap = 0",
        "INSERT INTO assignment_rule_users (id, rule_id, user_id, kind, position)"
        " SELECT gen_random_uuid(), id, '{maryam}', 'member', 9 FROM assignment_rules",
        "INSERT INTO assignment_log (id, at, rule_id, record_table, record_id, user_id, assigned_by, via, reason)"
        " SELECT gen_random_uuid(), now(), id, 'identities', gen_random_uuid(), '{maryam}', '{maryam}', 'create', 'x'"
        " FROM assignment_rules",
        "UPDATE assignment_log SET user_id = '{maryam}'",
        "DELETE FROM assignment_log",
    ],
)
def test_a_rep_cannot_write_the_rules_or_the_log(attacked, attack: str) -> None:
    _rule(attacked)
    with attacked.raw() as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(attack.format(maryam=attacked.maryam.user_id))


def test_a_rep_cannot_move_the_turn_or_delete_a_rule(attacked) -> None:
    rule = _rule(attacked)
    with attacked.raw() as conn:
        assert conn.execute("UPDATE assignment_rules SET next_turn = 1").rowcount == 0  # her turn next: refused
        assert conn.execute("DELETE FROM assignment_rules").rowcount == 0
        assert conn.execute("DELETE FROM assignment_rule_users").rowcount == 0
        assert conn.execute("UPDATE assignment_rule_users SET position = 0").rowcount == 0
    assert attacked.as_owner("SELECT next_turn, deleted_at FROM assignment_rules") == [(0, None)]
    assert len(attacked.as_owner("SELECT 1 FROM assignment_rule_users WHERE rule_id = %s", (rule.id,))) == 2


def test_a_desk_clerk_routes_leads_on_their_own_role_and_a_rep_reads_only_hers(attacked) -> None:
    _rule(attacked)
    office = attacked.office
    login = office.login("desk")
    row = office.as_boss.users.create_user(office.boss, UserData(login, "میز", AccessLevel.ALL_DOCUMENTS), REP_PASSWORD)
    desk = Actor(row.id, row.login, row.display_name, AccessLevel.ALL_DOCUMENTS)
    as_desk = Services(Database(office.url_as(login, REP_PASSWORD)))
    try:
        owners = [as_desk.identities.create(desk, IdentityData(last_name=n)).owner_id for n in ("یک", "دو", "سه")]
    finally:
        as_desk.db.dispose()
    assert owners == [attacked.sara.user_id, attacked.maryam.user_id, attacked.sara.user_id]
    assert attacked.as_owner("SELECT next_turn FROM assignment_rules") == [(1,)]
    with attacked.raw() as conn:
        seen = conn.execute("SELECT user_id FROM assignment_log").fetchall()
    assert seen == [(attacked.maryam.user_id,)]  # sara's two are not hers to read

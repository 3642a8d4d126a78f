"""Access cases of the assignment rules and their log: the administrator's alone."""

from __future__ import annotations

from app.services.admin.assignment_rules import RuleData
from app.services.admin.teams import TeamService
from app.services.core.actor import SYSTEM


def _team_id(world):
    return TeamService(world.services.db).list_teams(SYSTEM)[0].id  # «تیم شمال», rep_a a member


def _rule(world):
    data = RuleData("سرنخ‌های شمال", member_ids=(world.rep_a.user_id,))
    return world.services.assignment_rules.save_rule(SYSTEM, _team_id(world), None, data)


def _rules(w):
    return w.services.assignment_rules


CASES = {
    "assignment_rules.team_setup": lambda w, a: bool(_rules(w).team_setup(a, _team_id(w)).members),
    "assignment_rules.rules": lambda w, a: _rule(w) is not None and bool(_rules(w).rules(a, _team_id(w))),
    "assignment_rules.save_rule": lambda w, a: bool(
        _rules(w).save_rule(a, _team_id(w), None, RuleData("تازه", member_ids=(w.rep_a.user_id,)))
    ),
    "assignment_rules.delete_rule": lambda w, a: _rules(w).delete_rule(a, _rule(w).id) is None,
    "assignment_rules.move_rule": lambda w, a: _rules(w).move_rule(a, _rule(w).id, -1) is None,
    "assignment_rules.set_accepts_leads": lambda w, a: _rules(w).set_accepts_leads(a, _team_id(w), False) is None,
    "assignment_rules.log": lambda w, a: isinstance(_rules(w).log(a), list),
}
ADMIN_ONLY = set(CASES)

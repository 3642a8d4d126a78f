"""Access cases of user and sales-team management: the administrator's alone."""

from __future__ import annotations

from app.services.admin.teams import TeamData, TeamService
from app.services.admin.users import UserData
from app.services.core.actor import SYSTEM


def _team_id(world):
    return TeamService(world.services.db).list_teams(SYSTEM)[0].id  # «تیم شمال» of the access world


CASES = {
    "users.list_users": lambda w, a: w.rep_b.user_id in {u.id for u in w.services.users.list_users(a)},
    "users.get_by_login": lambda w, a: w.services.users.get_by_login(a, "rep_b").id == w.rep_b.user_id,
    "users.create_user": lambda w, a: bool(w.services.users.create_user(a, UserData("new", "تازه"), "password-1")),
    "users.update_user": lambda w, a: bool(w.services.users.update_user(a, w.rep_b.user_id, UserData("rep_b", "ب"))),
    "users.deactivate": lambda w, a: w.services.users.deactivate(a, w.rep_b.user_id) is None,
    "users.reactivate": lambda w, a: w.services.users.reactivate(a, w.rep_b.user_id) is None,
    "users.reset_password": lambda w, a: w.services.users.reset_password(a, w.rep_b.user_id, "password-1") is None,
    # Nobody in the access world has a password yet, so the first-run set-up is still open.
    "users.set_up_admin": lambda w, a: bool(w.services.users.set_up_admin(a, a.login, "مدیر", "password-1")),
    "teams.list_teams": lambda w, a: bool(TeamService(w.services.db).list_teams(a)),
    "teams.create_team": lambda w, a: bool(TeamService(w.services.db).create_team(a, TeamData("تیم جنوب"))),
    "teams.update_team": lambda w, a: bool(
        TeamService(w.services.db).update_team(a, _team_id(w), TeamData("تیم شمال", None, (w.rep_b.user_id,)))
    ),
    "teams.delete_team": lambda w, a: TeamService(w.services.db).delete_team(a, _team_id(w)) is None,
}
# No actor: they run before anyone has logged in (a temporary password is replaced during the login itself,
# proven by the current password).
NOT_RECORD_SCOPED = {"users.authenticate", "users.needs_admin_setup", "users.change_own_password"}
ADMIN_ONLY = set(CASES)

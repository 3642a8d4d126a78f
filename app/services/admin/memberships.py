"""A user's teams (seed 004 «مخاطب چندین تیم»): the main one (users.team_id: an opportunity's default team,
the team a favourite is shared with) and any others (team_members). The leader of each sees the user's
records (app.services.core.access.memberships). Written inside the callers' transactions."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import SalesTeam, TeamMember, User


def other_teams(s: Session, user_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, tuple[uuid.UUID, ...]]:
    """Each user's live teams besides the main one, by team name."""
    rows = s.execute(
        select(TeamMember.user_id, TeamMember.team_id)
        .join(SalesTeam, SalesTeam.id == TeamMember.team_id)
        .where(TeamMember.user_id.in_(list(user_ids)), SalesTeam.deleted_at.is_(None))
        .order_by(SalesTeam.name, SalesTeam.id)
    )
    found: dict[uuid.UUID, tuple[uuid.UUID, ...]] = {}
    for user_id, team_id in rows:
        found[user_id] = (*found.get(user_id, ()), team_id)
    return found


def missing_teams(s: Session, team_ids: Iterable[uuid.UUID]) -> bool:
    """Whether any of these teams is unknown or removed."""
    wanted = set(team_ids)
    live = set(s.scalars(select(SalesTeam.id).where(SalesTeam.id.in_(wanted), SalesTeam.deleted_at.is_(None))))
    return live != wanted


def set_other_teams(s: Session, user: User, team_ids: Iterable[uuid.UUID]) -> None:
    """The user's teams besides the main one become exactly `team_ids` (the main team among them is
    ignored: it is a membership already)."""
    wanted = set(team_ids) - {user.team_id}
    for row in s.scalars(select(TeamMember).where(TeamMember.user_id == user.id)).all():
        if row.team_id in wanted:
            wanted.discard(row.team_id)
        else:
            s.delete(row)
    for team_id in sorted(wanted):
        s.add(TeamMember(user_id=user.id, team_id=team_id))


def leave_team(s: Session, user: User, team_id: uuid.UUID) -> None:
    """Takes the user out of one team, whether main or not."""
    if user.team_id == team_id:
        user.team_id = None
    for row in s.scalars(select(TeamMember).where(TeamMember.user_id == user.id, TeamMember.team_id == team_id)):
        s.delete(row)


def members(s: Session, team_id: uuid.UUID) -> list[tuple[uuid.UUID, str]]:
    """(id, name) of the team's members, main team or not, by name."""
    extra = select(TeamMember.user_id).where(TeamMember.team_id == team_id)
    return [
        (u.id, u.display_name)
        for u in s.execute(
            select(User.id, User.display_name)
            .where((User.team_id == team_id) | User.id.in_(extra))
            .order_by(User.name_sort, User.id)
        )
    ]

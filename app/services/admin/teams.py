"""Sales teams (تیم فروش): a name, a leader, members and a monthly target. Administrators only.

A user has a main team (users.team_id) and may belong to others (app.services.admin.memberships; the
users dialog picks them). Naming someone a member here makes this their main team (they leave their
old main team, keeping any other); taking them off the list takes them out of this team, main or not.
The leader sees the records of every member (app.services.core.access).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import SalesTeam, User, utcnow
from app.persian import normalize_text, search_key
from app.services.admin import memberships
from app.services.core.access import DENIED_LIST
from app.services.core.actor import Actor
from app.services.core.database import Database
from app.services.core.errors import AccessDenied, NotFound, ValidationFailed


@dataclass(frozen=True)
class TeamData:
    name: str
    leader_id: uuid.UUID | None = None
    member_ids: tuple[uuid.UUID, ...] = ()
    monthly_target: int = 0  # Rial


@dataclass(frozen=True)
class TeamRow:
    id: uuid.UUID
    name: str
    leader_id: uuid.UUID | None
    leader_name: str | None
    member_ids: tuple[uuid.UUID, ...]
    member_names: tuple[str, ...]
    monthly_target: int


def _require_admin(actor: Actor) -> None:
    if not actor.is_admin:
        raise AccessDenied(DENIED_LIST)


def _validate(s: Session, data: TeamData, team_id: uuid.UUID | None) -> str:
    """The cleaned name, or ValidationFailed naming each wrong field."""
    errors: dict[str, str] = {}
    name = normalize_text(data.name)
    if not name:
        errors["name"] = "نام تیم را وارد کنید."
    else:
        others = s.scalars(select(SalesTeam.name).where(SalesTeam.deleted_at.is_(None), SalesTeam.id != team_id))
        if search_key(name) in {search_key(other) for other in others}:
            errors["name"] = "تیمی با این نام وجود دارد."
    if data.monthly_target < 0:
        errors["monthly_target"] = "هدف ماهانه نمی‌تواند منفی باشد."
    if data.leader_id is not None:
        leader = s.get(User, data.leader_id)
        if leader is None or not leader.is_active:
            errors["leader_id"] = "سرپرست باید یکی از کاربران فعال باشد."
    found = set(s.scalars(select(User.id).where(User.id.in_(data.member_ids))))
    if found != set(data.member_ids):
        errors["member_ids"] = "یکی از اعضا پیدا نشد."
    if errors:
        raise ValidationFailed(errors)
    return name


class TeamService:
    def __init__(self, db: Database) -> None:
        self._db = db

    @property
    def db(self) -> Database:
        """The database, for the teams dialog's assignment rules (app.services.admin.assignment_rules)."""
        return self._db

    def list_teams(self, actor: Actor) -> list[TeamRow]:
        """Live teams by name. Administrators only (AccessDenied). Reads."""
        _require_admin(actor)
        with self._db.read(actor) as s:
            teams = s.scalars(select(SalesTeam).where(SalesTeam.deleted_at.is_(None)).order_by(SalesTeam.name))
            return [self._row(s, team) for team in teams]

    def create_team(self, actor: Actor, data: TeamData) -> TeamRow:
        """Administrators only. Raises AccessDenied, ValidationFailed. Writes."""
        _require_admin(actor)
        with self._db.write(actor) as s:
            team = SalesTeam(name=_validate(s, data, None))
            self._apply(s, team, data)
            return self._row(s, team)

    def update_team(self, actor: Actor, team_id: uuid.UUID, data: TeamData) -> TeamRow:
        """Name, leader, members and target. Administrators only. Raises AccessDenied, NotFound,
        ValidationFailed. Writes."""
        _require_admin(actor)
        with self._db.write(actor) as s:
            team = self._get(s, team_id)
            team.name = _validate(s, data, team.id)
            self._apply(s, team, data)
            return self._row(s, team)

    def delete_team(self, actor: Actor, team_id: uuid.UUID) -> None:
        """Soft-deletes the team (kept in history); its members are left without a team.
        Administrators only. Raises AccessDenied, NotFound. Writes."""
        _require_admin(actor)
        with self._db.write(actor) as s:
            team = self._get(s, team_id)
            team.deleted_at = utcnow()
            for user_id, _name in memberships.members(s, team.id):
                memberships.leave_team(s, s.get(User, user_id), team.id)

    @staticmethod
    def _get(s: Session, team_id: uuid.UUID) -> SalesTeam:
        team = s.get(SalesTeam, team_id)
        if team is None or team.deleted_at is not None:
            raise NotFound("تیم فروش")
        return team

    @staticmethod
    def _apply(s: Session, team: SalesTeam, data: TeamData) -> None:
        team.leader_id, team.monthly_target = data.leader_id, data.monthly_target
        if team not in s:
            s.add(team)
        s.flush()  # the new team's id, for its members
        wanted = set(data.member_ids)
        current = {user_id for user_id, _name in memberships.members(s, team.id)}
        for user_id in current - wanted:
            memberships.leave_team(s, s.get(User, user_id), team.id)
        for user in s.scalars(select(User).where(User.id.in_(wanted - current))):
            user.team_id = team.id

    @staticmethod
    def _row(s: Session, team: SalesTeam) -> TeamRow:
        members = memberships.members(s, team.id)
        leader = s.get(User, team.leader_id) if team.leader_id else None
        return TeamRow(
            team.id,
            team.name,
            team.leader_id,
            leader.display_name if leader else None,
            tuple(user_id for user_id, _name in members),
            tuple(name for _id, name in members),
            team.monthly_target,
        )

"""People who log in, and sales teams. Access levels are enforced by app.services.core.access."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, false, true
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, BusinessMixin, Money, new_id, utcnow
from app.models.columns import enum_column, sort_key_column
from app.models.enums import AccessLevel


class User(Base):
    __tablename__ = "users"
    __admin_managed__ = True  # only an administrator changes users (see app.services.core.access)
    __table_args__ = (Index("ix_users_name_sort", "name_sort", "id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    login: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    name_sort: Mapped[str] = sort_key_column("display_name")  # Persian alphabetical order
    access_level: Mapped[AccessLevel] = mapped_column(enum_column(AccessLevel), default=AccessLevel.OWN_DOCUMENTS)
    is_active: Mapped[bool] = mapped_column(default=True)
    # Argon2, never plain text. Deferred: on an office server only administrators' roles may read it
    # (app.services.server.security), so ordinary loads of users must not select it.
    password_hash: Mapped[str | None] = mapped_column(String(255), default=None, deferred=True)
    # A temporary password (given by `server import-sqlite` or `users set-password --temporary`):
    # the login dialog asks for a new one before the user may work.
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=false())
    team_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("sales_teams.id", use_alter=True), default=None)
    # The user's own contact card (an identity of role contact).
    contact_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("identities.id", use_alter=True), default=None)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(default=None)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    # Takes turns in the team's assignment rules (app.services.admin.assignment) while switched on.
    accepts_leads: Mapped[bool] = mapped_column(default=True, server_default=true())
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class SalesTeam(BusinessMixin, Base):
    """تیم فروش: a leader sees the records of the team's members."""

    __tablename__ = "sales_teams"
    __admin_managed__ = True

    name: Mapped[str] = mapped_column(String(100))
    leader_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), default=None)
    monthly_target: Mapped[int] = mapped_column(Money, default=0)  # Rial
    # «پذیرش سرنخ»: switched off, the team's assignment rules route nothing.
    accepts_leads: Mapped[bool] = mapped_column(default=True, server_default=true())


class TeamMember(Base):
    """A user's membership of a sales team: a user may be in several (seed 004, «مخاطب چندین تیم»).

    users.team_id stays the user's main team (an opportunity's default team); this table holds the teams
    a user belongs to besides it. A member is in either; the access policy reads both."""

    __tablename__ = "team_members"
    __admin_managed__ = True
    __table_args__ = (UniqueConstraint("team_id", "user_id", name="uq_team_members_team_id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    team_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sales_teams.id"))
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)

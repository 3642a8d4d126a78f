"""Lead assignment (تخصیص براساس قانون, seed 004): a sales team's rules, their members and the log.

A rule routes new leads (identities) or opportunities that match its conditions (source, city, tag) in
turn to its members who accept leads, skipping those at the rule's cap. Rules and members are the
administrator's; the round-robin pointer (`next_turn`) is moved by whoever creates a routed record, in
the same transaction (app.services.admin.assignment), and the log keeps who got what and why.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, BusinessMixin, new_id, utcnow

RECORD_KINDS = ("identities", "opportunities")  # what a rule routes: new leads or new opportunities
CAP_PERIODS = ("open", "month")  # open records the member owns now, or assignments this Jalali month


class AssignmentRule(BusinessMixin, Base):
    __tablename__ = "assignment_rules"
    __admin_managed__ = True
    __table_args__ = (Index("ix_assignment_rules_team_position", "team_id", "position"),)

    team_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sales_teams.id"))
    name: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(default=0)  # order inside the team: the first match wins
    record_kind: Mapped[str] = mapped_column(String(16), default="identities")
    source_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("sources.id"), default=None)
    city: Mapped[str | None] = mapped_column(String(60), default=None)
    tag_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("tags.id"), default=None)
    cap: Mapped[int] = mapped_column(default=0)  # per member; 0: no cap
    cap_period: Mapped[str] = mapped_column(String(8), default="open")
    is_active: Mapped[bool] = mapped_column(default=True)
    # Index of the member whose turn is next; written by the routing write path only.
    next_turn: Mapped[int] = mapped_column(default=0)


class AssignmentRuleUser(Base):
    """A rule's member (kind «member»: takes turns) or creator (kind «creator»: whose new records the
    rule routes even when they name an owner, e.g. a receptionist entering everyone's leads)."""

    __tablename__ = "assignment_rule_users"
    __admin_managed__ = True

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    rule_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("assignment_rules.id"), index=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(8), default="member")
    position: Mapped[int] = mapped_column(default=0)


class AssignmentLogEntry(Base):
    """Who got which record, by which rule, and why (append-only)."""

    __tablename__ = "assignment_log"
    __table_args__ = (
        Index("ix_assignment_log_record", "record_table", "record_id"),
        Index("ix_assignment_log_user_at", "user_id", "at"),
        Index("ix_assignment_log_at", "at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    rule_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("assignment_rules.id"))
    record_table: Mapped[str] = mapped_column(String(64))
    record_id: Mapped[uuid.UUID] = mapped_column()
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))  # who got it
    assigned_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))  # whose create or import
    via: Mapped[str] = mapped_column(String(8))  # create, import
    reason: Mapped[str] = mapped_column(String(500))  # Persian

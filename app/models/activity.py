"""Activities (فعالیت): planned or done work on an identity and optionally an opportunity."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, BusinessMixin
from app.models.columns import enum_column
from app.models.enums import ActivityKind, ActivityState


class Activity(BusinessMixin, Base):
    __tablename__ = "activities"
    __owner_attr__ = "assignee_id"
    __table_args__ = (Index("ix_activities_assignee_state_due", "assignee_id", "state", "due_at"),)

    identity_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("identities.id"), index=True)
    opportunity_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("opportunities.id"), index=True)
    kind: Mapped[ActivityKind] = mapped_column(enum_column(ActivityKind))
    summary: Mapped[str] = mapped_column(String(300))
    due_at: Mapped[dt.datetime] = mapped_column()
    state: Mapped[ActivityState] = mapped_column(enum_column(ActivityState), default=ActivityState.PLANNED)
    assignee_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    result: Mapped[str | None] = mapped_column(Text)
    done_at: Mapped[dt.datetime | None] = mapped_column()

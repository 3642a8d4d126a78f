"""Activities (فعالیت): planned or done work on an identity and optionally an opportunity;
their admin-defined types, meeting attendees, and attached files."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, BusinessMixin
from app.models.columns import enum_column
from app.models.enums import ActivityKind, ActivityState, DelayFrom, DelayUnit, NextActivityMode


class ActivityType(BusinessMixin, Base):
    """A kind of activity the admin may add (with an icon and a default next activity)."""

    __tablename__ = "activity_types"
    __admin_managed__ = True

    kind: Mapped[ActivityKind] = mapped_column(enum_column(ActivityKind))  # how it behaves (call needs a result ...)
    name: Mapped[str] = mapped_column(String(100))
    icon: Mapped[str | None] = mapped_column(String(64))
    is_builtin: Mapped[bool] = mapped_column(default=False)
    is_active: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(default=0)
    next_mode: Mapped[NextActivityMode] = mapped_column(enum_column(NextActivityMode), default=NextActivityMode.NONE)
    next_type_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("activity_types.id"))
    next_delay: Mapped[int] = mapped_column(default=0)
    next_delay_unit: Mapped[DelayUnit] = mapped_column(enum_column(DelayUnit), default=DelayUnit.DAYS)
    next_from: Mapped[DelayFrom] = mapped_column(enum_column(DelayFrom), default=DelayFrom.COMPLETION)


class Activity(BusinessMixin, Base):
    __tablename__ = "activities"
    # Visible to its assignee and to whoever may see its identity (see app.services.core.access).
    __owner_attr__ = "assignee_id"
    __access_parent__ = "identity_id"
    # deleted_at sits before due_at so that the cardboard's counts, the reminders and the deal health
    # (min(due_at) of live planned activities per opportunity) read the index alone: one seek each.
    __table_args__ = (
        Index("ix_activities_assignee_state_due", "assignee_id", "state", "deleted_at", "due_at"),
        Index("ix_activities_opportunity_state_due", "opportunity_id", "state", "deleted_at", "due_at"),
        # The reports' «done in the period, per rep» is read from this index alone (bench/reports.py).
        Index("ix_activities_state_done", "state", "deleted_at", "done_at", "assignee_id"),
    )

    identity_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("identities.id"), index=True)
    opportunity_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("opportunities.id"))
    kind: Mapped[ActivityKind] = mapped_column(enum_column(ActivityKind))
    type_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("activity_types.id"))
    summary: Mapped[str] = mapped_column(String(300))
    details: Mapped[str | None] = mapped_column(Text)  # a note's text, an agenda, a call's talking points
    due_at: Mapped[dt.datetime] = mapped_column()
    duration_minutes: Mapped[int | None] = mapped_column()
    place: Mapped[str | None] = mapped_column(String(300))  # meetings
    state: Mapped[ActivityState] = mapped_column(enum_column(ActivityState), default=ActivityState.PLANNED)
    assignee_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    result: Mapped[str | None] = mapped_column(Text)
    done_at: Mapped[dt.datetime | None] = mapped_column()
    # The activity this one follows (a chained "next activity").
    previous_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("activities.id"))
    snoozed_until: Mapped[dt.datetime | None] = mapped_column()  # reminders
    reminded_at: Mapped[dt.datetime | None] = mapped_column()


class ActivityAttendee(BusinessMixin, Base):
    """A meeting's attendee: an identity or a user."""

    __tablename__ = "activity_attendees"
    __access_parent__ = "activity_id"
    activity_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("activities.id"), index=True)
    identity_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("identities.id"))
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))


class Attachment(BusinessMixin, Base):
    """A file attached to an identity, or through it to one of its opportunities or activities.

    The bytes live once per content hash in `attachment_blobs`, inside the database, so files
    travel with backups and sync.
    """

    __tablename__ = "attachments"
    __access_parent__ = "identity_id"

    identity_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("identities.id"), index=True)
    opportunity_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("opportunities.id"), index=True)
    activity_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("activities.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    mime_type: Mapped[str | None] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column()
    sha256: Mapped[str] = mapped_column(ForeignKey("attachment_blobs.sha256"))


class AttachmentBlob(Base):
    __tablename__ = "attachment_blobs"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)

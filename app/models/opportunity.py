"""Sales opportunities (فرصت فروش)."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, BusinessMixin, Money
from app.models.columns import enum_column
from app.models.enums import OpportunityStatus


class Opportunity(BusinessMixin, Base):
    __tablename__ = "opportunities"
    __owner_attr__ = "owner_id"
    __table_args__ = (
        Index("ix_opportunities_status_title", "status", "title_key", "id"),
        Index("ix_opportunities_status_close", "status", "expected_close", "id"),
    )

    identity_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("identities.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    title_key: Mapped[str] = mapped_column(String(300))
    pipeline_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("pipelines.id"))
    stage_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stages.id"), index=True)
    status: Mapped[OpportunityStatus] = mapped_column(
        enum_column(OpportunityStatus),
        default=OpportunityStatus.OPEN,
    )
    amount: Mapped[int] = mapped_column(Money, default=0)  # estimated amount, Rial
    probability: Mapped[int] = mapped_column(default=0)  # percent
    priority: Mapped[int] = mapped_column(default=0)  # 0-3 stars
    owner_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), index=True)
    expected_close: Mapped[dt.date | None] = mapped_column(Date)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    close_reason: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)

"""Sales opportunities (فرصت فروش)."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid

from sqlalchemy import JSON, Date, ForeignKey, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, BusinessMixin, Money
from app.models.columns import enum_column, sort_key_column
from app.models.enums import BuyingProcess, OpportunityStatus


class Opportunity(BusinessMixin, Base):
    __tablename__ = "opportunities"
    __owner_attr__ = "owner_id"
    __table_args__ = (
        Index("ix_opportunities_status_title_sort", "status", "title_sort", "id"),
        Index("ix_opportunities_status_close", "status", "expected_close", "id"),
    )

    identity_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("identities.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    title_key: Mapped[str] = mapped_column(String(300))
    title_sort: Mapped[str] = sort_key_column("title")  # Persian alphabetical order
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
    # When the opportunity got its owner (by a rule or at creation): «روزها تا تخصیص» counts to it.
    assigned_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)  # won/lost date: set by the service only
    close_reason: Mapped[str | None] = mapped_column(String(200))  # the reason's name when closed
    close_reason_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("close_reasons.id"))
    close_note: Mapped[str | None] = mapped_column(Text)
    lost_to_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("competitors.id"))
    won_amount: Mapped[int | None] = mapped_column(Money)
    description: Mapped[str | None] = mapped_column(Text)
    type_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("opportunity_types.id"))
    team_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("sales_teams.id"))
    source_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("sources.id"))
    campaign_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("campaigns.id"))
    medium_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("media.id"))
    referrer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("identities.id"))
    probability_manual: Mapped[bool] = mapped_column(default=False)  # False: follows the stage's default
    buying_process: Mapped[BuyingProcess | None] = mapped_column(enum_column(BuyingProcess))
    price_list_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("price_lists.id"))
    extra: Mapped[dict] = mapped_column(JSON, default=dict)  # custom field id -> value
    merged_into_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("opportunities.id"))
    # Recurring revenue (درآمد تکرارشونده) beside the one-off amount: both set or both None.
    recurring_amount: Mapped[int | None] = mapped_column(Money)  # Rial per period of the plan
    recurring_plan_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("recurring_plans.id"))


class RecurringPlan(BusinessMixin, Base):
    """طرح تکرارشونده: a period of recurring revenue in whole months (monthly 1, quarterly 3, yearly 12 ...)."""

    __tablename__ = "recurring_plans"
    __admin_managed__ = True

    name: Mapped[str] = mapped_column(String(100))
    months: Mapped[int] = mapped_column(default=1)
    position: Mapped[int] = mapped_column(default=0)
    is_active: Mapped[bool] = mapped_column(default=True)


class OpportunityLine(BusinessMixin, Base):
    """A product on an opportunity; with lines, the estimated amount is their sum."""

    __tablename__ = "opportunity_lines"
    __access_parent__ = "opportunity_id"

    opportunity_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("opportunities.id"), index=True)
    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id"))
    description: Mapped[str | None] = mapped_column(String(300))
    quantity: Mapped[decimal.Decimal] = mapped_column(Numeric(18, 3), default=1)
    unit_price: Mapped[int] = mapped_column(Money, default=0)
    discount: Mapped[int] = mapped_column(Money, default=0)
    position: Mapped[int] = mapped_column(default=0)

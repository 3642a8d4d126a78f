"""Recurring revenue (درآمدهای تکرارشونده, seed 004): the admin's recurring plans and monthly recurring
revenue (MRR).

An opportunity may carry, beside its one-off amount, a recurring amount charged once per period of a
plan (monthly 1 month, quarterly 3, yearly 12, or a plan the admin defines with its number of months).
Its MRR is the recurring amount divided by the plan's months, rounded half up to a whole Rial on each
opportunity; a board column's, a list group's or a report's MRR is the sum of those whole Rials.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from app.models import Opportunity, RecurringPlan
from app.persian import format_number, normalize_text
from app.services.core.access import fetch
from app.services.core.actor import Actor
from app.services.core.database import Database
from app.services.core.errors import AccessDenied, ValidationFailed

DEFAULT_PLANS = (("ماهانه", 1), ("فصلی", 3), ("سالانه", 12))
MAX_MONTHS = 120
DENIED = "فقط مدیر می‌تواند طرح‌های تکرارشونده را تغییر دهد."


@dataclass(frozen=True)
class PlanRow:
    id: uuid.UUID
    name: str
    months: int
    is_active: bool


def monthly(amount: int | None, months: int | None) -> int:
    """MRR of one opportunity: amount ÷ months, half up to a whole Rial (0 without a plan)."""
    if not amount or not months:
        return 0
    return (2 * amount + months) // (2 * months)


def monthly_expression() -> ColumnElement[int]:
    """monthly() in SQL for a row of Opportunity: integer division of whole numbers on both databases
    (the plan's months read by a correlated subquery, so no query needs another join)."""
    months = select(RecurringPlan.months).where(RecurringPlan.id == Opportunity.recurring_plan_id).scalar_subquery()
    return func.coalesce((2 * Opportunity.recurring_amount + months) // (2 * months), 0)


def ensure_plans(s: Session) -> None:
    """The default plans on first use (the admin renames, adds or deactivates them). Idempotent."""
    if s.scalar(select(func.count()).select_from(RecurringPlan).where(RecurringPlan.deleted_at.is_(None))):
        return
    for position, (name, months) in enumerate(DEFAULT_PLANS):
        s.add(RecurringPlan(name=name, months=months, position=position))


def recurring_errors(s: Session, amount: int | None, plan_id: uuid.UUID | None) -> dict[str, str]:
    """The form's recurring pair: an amount needs a plan and a plan an amount; never negative."""
    if amount is not None and amount < 0:
        return {"recurring_amount": "مبلغ تکرارشونده نمی‌تواند منفی باشد."}
    if amount and plan_id is None:
        return {"recurring_plan_id": "طرح تکرارشونده را انتخاب کنید."}
    if plan_id is not None and not amount:
        return {"recurring_amount": "مبلغ تکرارشونده را وارد کنید یا طرح را خالی بگذارید."}
    if plan_id is not None:
        fetch(s, RecurringPlan, plan_id, "طرح تکرارشونده")
    return {}


class RecurringPlanService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def plans(self, actor: Actor, include_inactive: bool = False) -> list[PlanRow]:
        """The plans, shortest period first. Anyone; reads only."""
        stmt = select(RecurringPlan).where(RecurringPlan.deleted_at.is_(None))
        if not include_inactive:
            stmt = stmt.where(RecurringPlan.is_active.is_(True))
        with self._db.read(actor) as s:
            rows = s.scalars(stmt.order_by(RecurringPlan.months, RecurringPlan.position, RecurringPlan.name))
            return [PlanRow(p.id, p.name, p.months, p.is_active) for p in rows]

    def save_plan(
        self, actor: Actor, name: str, months: int, plan_id: uuid.UUID | None = None, is_active: bool = True
    ) -> uuid.UUID:
        """Adds or edits a plan (its name, its months, active or not). Admin only; raises ValidationFailed
        on an empty or repeated name or months outside 1…120. Writes. A plan in use is deactivated, not
        deleted, so old opportunities keep their MRR."""
        if not actor.is_admin:
            raise AccessDenied(DENIED)
        name = normalize_text(name or "").strip()
        errors = {}
        if not name:
            errors["name"] = "نام طرح را وارد کنید."
        if not 1 <= months <= MAX_MONTHS:
            errors["months"] = f"تعداد ماه‌های طرح باید بین ۱ و {format_number(MAX_MONTHS)} باشد."
        if errors:
            raise ValidationFailed(errors)
        with self._db.write(actor) as s:
            live = RecurringPlan.deleted_at.is_(None)
            same = s.scalars(select(RecurringPlan).where(live, RecurringPlan.name == name, RecurringPlan.id != plan_id))
            if same.first() is not None:
                raise ValidationFailed({"name": f"طرح «{name}» هست."})
            if plan_id is None:
                plan = RecurringPlan(position=(s.scalar(select(func.max(RecurringPlan.position))) or 0) + 1)
                s.add(plan)
            else:
                plan = fetch(s, RecurringPlan, plan_id, "طرح تکرارشونده")
            plan.name, plan.months, plan.is_active = name, months, is_active
            s.flush()
            return plan.id

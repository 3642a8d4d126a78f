"""Activity types (نوع فعالیت): the six built-in kinds, created on first use, and the admin's own.

A type may carry a default next activity: "suggest" (offered when one is done) or "auto" (created
at once), N days/weeks/months after the completion or after the deadline (seed 004, Odoo's chaining).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import select

from app.models import ActivityKind, ActivityType
from app.models.enums import DelayFrom, DelayUnit, NextActivityMode
from app.persian import normalize_text
from app.services.core.access import fetch
from app.services.core.actor import SYSTEM, Actor
from app.services.core.database import Database
from app.services.core.errors import AccessDenied, ValidationFailed
from app.services.core.labels import ACTIVITY_KIND

# kind -> icon name (see app/ui/common/activity_icons.py); the Persian name comes from the labels.
BUILTIN_ICONS = {
    ActivityKind.CALL: "phone",
    ActivityKind.MEETING: "people",
    ActivityKind.REMINDER: "bell",
    ActivityKind.TASK: "check",
    ActivityKind.NOTE: "note",
    ActivityKind.FILE: "clip",
}
ICONS = ("phone", "people", "bell", "check", "note", "clip", "mail", "star", "flag", "money")
DENIED = "فقط مدیر می‌تواند انواع فعالیت را تعریف یا ویرایش کند."


@dataclass(frozen=True)
class ActivityTypeRow:
    id: uuid.UUID
    kind: ActivityKind
    name: str
    icon: str | None
    is_builtin: bool
    is_active: bool
    next_mode: NextActivityMode
    next_type_id: uuid.UUID | None
    next_delay: int
    next_delay_unit: DelayUnit
    next_from: DelayFrom


@dataclass(frozen=True)
class ActivityTypeData:
    """What the admin types in the activity-type dialog."""

    name: str
    kind: ActivityKind
    icon: str | None = None
    next_mode: NextActivityMode = NextActivityMode.NONE
    next_type_id: uuid.UUID | None = None
    next_delay: int = 0
    next_delay_unit: DelayUnit = DelayUnit.DAYS
    next_from: DelayFrom = DelayFrom.COMPLETION
    is_active: bool = True


def _row(t: ActivityType) -> ActivityTypeRow:
    return ActivityTypeRow(
        t.id,
        t.kind,
        t.name,
        t.icon,
        t.is_builtin,
        t.is_active,
        t.next_mode,
        t.next_type_id,
        t.next_delay,
        t.next_delay_unit,
        t.next_from,
    )


def add_delay(moment: dt.datetime, amount: int, unit: DelayUnit) -> dt.datetime:
    """`moment` moved by N days, weeks or months (a month keeps the day, clipped to the month's end)."""
    if unit is DelayUnit.DAYS:
        return moment + dt.timedelta(days=amount)
    if unit is DelayUnit.WEEKS:
        return moment + dt.timedelta(weeks=amount)
    month_index = moment.month - 1 + amount
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    for day in range(moment.day, 27, -1):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    return moment.replace(year=year, month=month, day=min(moment.day, 28))


def ensure_builtin_types(db: Database) -> None:
    """Creates the six built-in types once (as the system: types are admin-managed). Writes."""
    with db.read(SYSTEM) as s:
        present = set(s.scalars(select(ActivityType.kind).where(ActivityType.is_builtin.is_(True))))
    missing = [kind for kind in ActivityKind if kind not in present]
    if not missing:
        return
    with db.write(SYSTEM) as s:
        present = set(s.scalars(select(ActivityType.kind).where(ActivityType.is_builtin.is_(True))))
        for position, kind in enumerate(ActivityKind):
            if kind not in present:
                s.add(
                    ActivityType(
                        kind=kind,
                        name=ACTIVITY_KIND[kind],
                        icon=BUILTIN_ICONS[kind],
                        is_builtin=True,
                        position=position,
                    )
                )


def _validate(data: ActivityTypeData) -> dict[str, str]:
    errors = {}
    if not normalize_text(data.name or ""):
        errors["name"] = "نام نوع فعالیت را وارد کنید."
    if data.next_mode is not NextActivityMode.NONE:
        if data.next_delay < 0:
            errors["next_delay"] = "فاصله نمی‌تواند منفی باشد."
        if data.next_type_id is None:
            errors["next_type_id"] = "نوع فعالیت بعدی را انتخاب کنید."
    return errors


class ActivityTypeService:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._ensured = False

    def _ensure(self) -> None:
        if not self._ensured:
            ensure_builtin_types(self._db)
            self._ensured = True

    def types(self, actor: Actor, include_inactive: bool = False) -> list[ActivityTypeRow]:
        """Every type in display order (the built-ins are created on first use). Anyone; reads (and may
        create the built-ins once)."""
        self._ensure()
        stmt = select(ActivityType).where(ActivityType.deleted_at.is_(None))
        if not include_inactive:
            stmt = stmt.where(ActivityType.is_active.is_(True))
        with self._db.read(actor) as s:
            return [_row(t) for t in s.scalars(stmt.order_by(ActivityType.position, ActivityType.name))]

    def builtin(self, actor: Actor, kind: ActivityKind) -> ActivityTypeRow:
        """The built-in type of a kind. Anyone; reads."""
        return next(t for t in self.types(actor, include_inactive=True) if t.is_builtin and t.kind is kind)

    def save(self, actor: Actor, data: ActivityTypeData, type_id: uuid.UUID | None = None) -> ActivityTypeRow:
        """Adds a type (type_id None) or changes one. Admin only: AccessDenied; ValidationFailed,
        NotFound. Writes."""
        if not actor.is_admin:
            raise AccessDenied(DENIED)
        errors = _validate(data)
        if errors:
            raise ValidationFailed(errors)
        self._ensure()
        with self._db.write(actor) as s:
            if data.next_type_id is not None:
                fetch(s, ActivityType, data.next_type_id, "نوع فعالیت بعدی")
            if type_id is None:
                last = s.scalar(select(ActivityType.position).order_by(ActivityType.position.desc()).limit(1))
                item = ActivityType(position=(last or 0) + 1, is_builtin=False, kind=data.kind)
            else:
                item = fetch(s, ActivityType, type_id, "نوع فعالیت")
            item.name = normalize_text(data.name)
            item.kind = item.kind if item.is_builtin else data.kind  # a built-in keeps its behaviour
            item.icon = data.icon
            item.is_active = data.is_active
            item.next_mode = data.next_mode
            item.next_type_id = data.next_type_id if data.next_mode is not NextActivityMode.NONE else None
            item.next_delay = data.next_delay
            item.next_delay_unit = data.next_delay_unit
            item.next_from = data.next_from
            s.add(item)
            s.flush()
            return _row(item)

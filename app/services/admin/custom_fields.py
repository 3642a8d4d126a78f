"""Extra fields (مشخصات اضافه) the administrator defines for a kind of record.

Values live in the record's `extra` JSON, keyed by the field's id: text as str, number as int or
float, a Jalali date as an ISO Gregorian date string, a choice as one of the field's choices.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import func, select

from app.models import CustomField
from app.models.enums import CustomFieldKind
from app.persian import normalize_text, parse_number, to_ascii_digits
from app.services.core.access import fetch
from app.services.core.actor import Actor
from app.services.core.database import Database
from app.services.core.errors import AccessDenied, ValidationFailed

DENIED = "فقط مدیر می‌تواند فیلدهای اضافه را تعریف کند."
ENTITIES = {"opportunities": "فرصت"}


@dataclass(frozen=True)
class FieldDef:
    id: uuid.UUID
    entity: str
    name: str
    kind: CustomFieldKind
    choices: tuple[str, ...]
    is_active: bool
    position: int

    @property
    def key(self) -> str:
        """The key of this field's value in a record's `extra`."""
        return str(self.id)


def error_key(field: FieldDef) -> str:
    """The key of this field's message in a ValidationFailed."""
    return f"extra:{field.id}"


def _number(value):
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    text = to_ascii_digits(str(value)).replace("٫", ".").strip()
    if "." in text and "," not in text and "٬" not in text:
        return float(text)
    return parse_number(text)


def clean_extra(fields: list[FieldDef], values: dict) -> tuple[dict, dict[str, str]]:
    """Checks and normalises typed values; returns (clean values, {error key: message}).

    Unknown keys are dropped; empty values are left out; values of deactivated fields are kept.
    """
    clean, errors = {}, {}
    for f in fields:
        value = values.get(f.key)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        try:
            if f.kind is CustomFieldKind.TEXT:
                clean[f.key] = normalize_text(str(value)).strip()
            elif f.kind is CustomFieldKind.NUMBER:
                clean[f.key] = _number(value)
            elif f.kind is CustomFieldKind.DATE:
                day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
                clean[f.key] = day.isoformat()
            elif value in f.choices:
                clean[f.key] = value
            else:
                errors[error_key(f)] = "یکی از گزینه‌های فهرست را انتخاب کنید."
        except (ValueError, TypeError):  # the Persian core's ValidationError is a ValueError
            errors[error_key(f)] = "عدد معتبر وارد کنید." if f.kind is CustomFieldKind.NUMBER else "تاریخ معتبر نیست."
    return clean, errors


class CustomFieldService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def fields(self, actor: Actor, entity: str = "opportunities", include_inactive: bool = False) -> list[FieldDef]:
        """The extra fields of a kind of record, in the admin's order. Anyone; reads only."""
        stmt = (
            select(CustomField)
            .where(CustomField.entity == entity, CustomField.deleted_at.is_(None))
            .order_by(CustomField.position, CustomField.name)
        )
        if not include_inactive:
            stmt = stmt.where(CustomField.is_active.is_(True))
        with self._db.read(actor) as s:
            return [
                FieldDef(f.id, f.entity, f.name, f.kind, tuple(f.choices or ()), f.is_active, f.position)
                for f in s.scalars(stmt)
            ]

    def save_field(
        self,
        actor: Actor,
        name: str,
        kind: CustomFieldKind,
        choices: tuple[str, ...] = (),
        entity: str = "opportunities",
        field_id: uuid.UUID | None = None,
        is_active: bool = True,
    ) -> uuid.UUID:
        """Adds or edits an extra field (a choice field needs choices). Admin only; writes."""
        if not actor.is_admin:
            raise AccessDenied(DENIED)
        kind = CustomFieldKind(kind)  # a combo box may hand back the plain value
        name = normalize_text(name or "").strip()
        choices = tuple(dict.fromkeys(normalize_text(c).strip() for c in choices if c and c.strip()))
        errors = {}
        if not name:
            errors["name"] = "نام فیلد را وارد کنید."
        if kind is CustomFieldKind.CHOICE and not choices:
            errors["choices"] = "دست‌کم یک گزینه وارد کنید."
        if entity not in ENTITIES:
            errors["entity"] = "نوع رکورد شناخته نیست."
        if errors:
            raise ValidationFailed(errors)
        with self._db.write(actor) as s:
            if field_id is None:
                last = s.scalar(select(func.max(CustomField.position)).where(CustomField.entity == entity))
                field = CustomField(entity=entity, position=(last or 0) + 1)
                s.add(field)
            else:
                field = fetch(s, CustomField, field_id, "فیلد")
            field.name, field.kind, field.is_active = name, kind, is_active
            field.choices = list(choices) if kind is CustomFieldKind.CHOICE else None
            s.flush()
            return field.id

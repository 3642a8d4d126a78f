"""A conflict's values: from the JSON the hub stored back to a column's Python value, into the record's
field, and as text for people (money with separators, Jalali dates, enums and linked records by name)."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import BigInteger, Column, Enum, inspect
from sqlalchemy.orm import Session, object_session

from app.models import Base, Identity, Opportunity
from app.persian import format_date, format_datetime, format_money, format_number, to_persian_digits
from app.services.core.audit import SKIPPED, to_json
from app.services.core.errors import ServiceError
from app.services.core.labels import TABLE, enum_label, field_label
from app.services.identities.names import display_name

EMPTY = "—"
UNSEEN = "(رکورد دیگر)"  # a linked record this user may not see, or one gone
# Columns a person's resolution never writes: bookkeeping, derived keys and the delete mark itself.
NOT_WRITTEN = SKIPPED | {"deleted_at", "merged_into_id"}
_NAME_FIELDS = ("first_name", "last_name", "org_name", "kind")
_TITLE_ATTRS = ("display_name", "title", "name", "summary", "filename")


def model_of(table: str) -> type:
    for mapper in Base.registry.mappers:
        if getattr(mapper.class_, "__tablename__", None) == table:
            return mapper.class_
    raise ServiceError(f"نوع رکورد «{table}» در این نسخه شناخته نیست.")


def row_key(model: type, row_id: str):
    """The record's primary key from the conflict's text form."""
    if inspect(model).primary_key[0].type.python_type is uuid.UUID:
        return uuid.UUID(row_id)
    return row_id


def column(model: type, field: str) -> Column:
    columns = model.__table__.columns
    if field not in columns:
        raise ServiceError(f"فیلد «{field_label(field, model.__tablename__)}» در این نسخه شناخته نیست.")
    return columns[field]


def from_json(col: Column, value):
    """A stored JSON value back to the column's Python type."""
    if value is None:
        return None
    if isinstance(col.type, Enum) and col.type.enum_class is not None:
        return col.type.enum_class(value)
    try:
        python_type = col.type.python_type
    except NotImplementedError:
        return value
    if python_type is uuid.UUID:
        return uuid.UUID(str(value))
    if python_type is dt.datetime:
        moment = dt.datetime.fromisoformat(value)
        return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    if python_type is dt.date:
        return dt.date.fromisoformat(value)
    return value


def same(row, field: str, value) -> bool:
    """Whether the record's field holds this JSON value now."""
    col = column(type(row), field)
    return to_json(getattr(row, field)) == to_json(from_json(col, value))


def write_fields(row, values: dict) -> None:
    """Sets the named fields through the ORM (the session's hooks check access and write the history
    and the journal); an identity's shown name follows its name fields as its form keeps it."""
    model = type(row)
    for field, value in values.items():
        if field in NOT_WRITTEN:
            continue
        new = from_json(column(model, field), value)
        if to_json(getattr(row, field)) == to_json(new):
            continue
        if isinstance(row, Opportunity) and field == "stage_id" and new is not None:
            _move(row, new)
        else:
            setattr(row, field, new)
    if isinstance(row, Identity) and any(name in values for name in _NAME_FIELDS):
        name = display_name(row.kind, row.first_name or "", row.last_name or "", row.org_name or "")
        if name and name != row.display_name:
            row.display_name = name


def _move(opp: Opportunity, stage_id) -> None:
    """A stage as the board moves it: only while open, into a live stage, its pipeline and (unless set
    by hand) its probability following."""
    from app.services.opportunities.moves import apply_stage, check_action, live_stage

    check_action(opp, "move")
    apply_stage(opp, live_stage(object_session(opp), stage_id))


def record_title(session: Session, model: type, row) -> str:
    """How people name the record: an identity's name, an opportunity's title, a document's number."""
    if row is None:
        return UNSEEN
    for attr in _TITLE_ATTRS:
        value = getattr(row, attr, None)
        if isinstance(value, str) and value:
            return value
    number = getattr(row, "number", None)
    kind = TABLE.get(model.__tablename__, "")
    if number not in (None, ""):
        return f"{kind} {to_persian_digits(str(number))}".strip()
    return kind or UNSEEN


def _linked(session: Session, col: Column, value) -> str | None:
    """The name of the record a foreign key points to (None: the column is no link)."""
    keys = list(col.foreign_keys)
    if not keys:
        return None
    target = keys[0].column.table.name
    model = model_of(target)
    row = session.get(model, from_json(col, value))
    return record_title(session, model, row) if row is not None else UNSEEN


def text_of(session: Session, table: str, field: str, value) -> str:
    """One field's JSON value as people read it."""
    if value is None or value == "":
        return EMPTY
    model = model_of(table)
    col = model.__table__.columns.get(field)
    if col is None:
        return to_persian_digits(str(value)) if isinstance(value, int | float) else str(value)
    python = from_json(col, value)
    if isinstance(python, bool):
        return "بله" if python else "خیر"
    linked = _linked(session, col, value)
    if linked is not None:
        return linked
    if isinstance(col.type, Enum):
        return enum_label(python)
    if isinstance(python, dt.datetime):
        return format_datetime(python)
    if isinstance(python, dt.date):
        return format_date(python)
    if isinstance(python, int):
        # Every BigInteger of a business table holds Rials (app.models.base.Money).
        return format_money(python) if isinstance(col.type, BigInteger) else format_number(python)
    return str(python)


def record_text(session: Session, table: str, values) -> str:
    """A whole record's fields (the delete and duplicate kinds), one «label: value» a line."""
    if not isinstance(values, dict):
        return EMPTY if values in (None, "") else str(values)
    lines = [
        f"{field_label(field, table)}: {text_of(session, table, field, value)}"
        for field, value in values.items()
        if field not in NOT_WRITTEN and value not in (None, "")
    ]
    return "\n".join(lines) or EMPTY

"""A conflict's values: from the JSON the hub stored back to a column's Python value, into the record's
field, and as text for people (money with separators, Jalali dates, enums and linked records by name)."""

from __future__ import annotations

import datetime as dt
import decimal

from sqlalchemy import BigInteger, Column, Enum, inspect
from sqlalchemy.orm import Session, object_session

from app.models import Base, Identity, Opportunity
from app.persian import format_date, format_datetime, format_money, format_number, to_persian_digits
from app.services.core.audit import SKIPPED, to_json
from app.services.core.errors import ServiceError
from app.services.core.labels import TABLE, enum_label, field_label
from app.services.identities.names import display_name
from app.services.sync import tables

EMPTY = "—"
UNSEEN = "(رکورد دیگر)"  # a linked record this user may not see, or one gone
# Columns a person's resolution never writes: bookkeeping, derived keys and the delete mark itself.
NOT_WRITTEN = SKIPPED | {"deleted_at", "merged_into_id"}
_NAME_FIELDS = ("first_name", "last_name", "org_name", "kind")
_OPS = {"insert": "ایجاد", "update": "ویرایش", "delete": "حذف", "restore": "بازیابی"}
MAX_ENTRIES = 20  # of a refused batch, shown; the rest counted
_TITLE_ATTRS = ("display_name", "title", "name", "summary", "filename")


def find_model(table: str) -> type | None:
    for mapper in Base.registry.mappers:
        if mapper.local_table.name == table:
            return mapper.class_
    return None


def model_of(table: str) -> type:
    model = find_model(table)
    if model is None:
        raise ServiceError(f"نوع رکورد «{table}» در این نسخه شناخته نیست.")
    return model


def row_key(model: type, row_id: str):
    """The record's primary key from the conflict's text form (as the journal writes it)."""
    return tables.key_value(model.__table__, row_id)


def column(model: type, field: str) -> Column:
    columns = model.__table__.columns
    if field not in columns:
        raise ServiceError(f"فیلد «{field_label(field, model.__tablename__)}» در این نسخه شناخته نیست.")
    return columns[field]


def attr_of(model: type, field: str) -> str:
    """The mapped attribute of a column (the journal and the conflicts name columns)."""
    return inspect(model).get_property_by_column(column(model, field)).key


def from_json(col: Column, value):
    """A stored JSON value back to the column's Python type, as the office's sync reads it."""
    return tables.to_python(col.table, {col.name: value})[col.name]


def same(row, field: str, value) -> bool:
    """Whether the record's field holds this JSON value now."""
    col = column(type(row), field)
    return to_json(getattr(row, attr_of(type(row), field))) == to_json(from_json(col, value))


def write_fields(row, values: dict) -> None:
    """Sets the named fields through the ORM (the session's hooks check access and write the history
    and the journal); an identity's shown name follows its name fields as its form keeps it."""
    model = type(row)
    for field, value in values.items():
        if field in NOT_WRITTEN:
            continue
        new, attr = from_json(column(model, field), value), attr_of(model, field)
        if to_json(getattr(row, attr)) == to_json(new):
            continue
        if isinstance(row, Opportunity) and field == "stage_id" and new is not None:
            _move(row, new)
        else:
            setattr(row, attr, new)
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
    model = find_model(keys[0].column.table.name)
    row = session.get(model, from_json(col, value)) if model is not None else None
    return record_title(session, model, row) if row is not None else UNSEEN


def text_of(session: Session, table: str, field: str, value) -> str:
    """One field's JSON value as people read it."""
    if value is None or value == "":
        return EMPTY
    model = find_model(table)
    col = model.__table__.columns.get(field) if model is not None else None
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
    if isinstance(python, float | decimal.Decimal):
        return to_persian_digits(str(python))
    return str(python)


def _fields_text(session: Session, table: str, values: dict, separator: str) -> str:
    return separator.join(
        f"{field_label(field, table)}: {text_of(session, table, field, value)}"
        for field, value in values.items()
        if field not in NOT_WRITTEN and value not in (None, "")
    )


def record_text(session: Session, table: str, values) -> str:
    """A whole record's fields (the delete kinds), one «label: value» a line; a refused batch's changes."""
    if isinstance(values, dict) and isinstance(values.get("entries"), list):
        return entries_text(session, values["entries"])
    if not isinstance(values, dict):
        return EMPTY if values in (None, "") else str(values)
    return _fields_text(session, table, values, "\n") or EMPTY


def entries_text(session: Session, entries: list) -> str:
    """A batch the office refused: each of its changes, «ویرایش فرصت — مبلغ: …» a line."""
    lines = []
    for entry in entries[:MAX_ENTRIES]:
        table = entry.get("t", "")
        fields = _fields_text(session, table, entry.get("f") or {}, "، ")
        what = f"{_OPS.get(entry.get('o'), '')} {TABLE.get(table, table)}".strip()
        lines.append(f"{what} — {fields}" if fields else what)
    if len(entries) > MAX_ENTRIES:
        lines.append(f"و {format_number(len(entries) - MAX_ENTRIES)} تغییر دیگر")
    return "\n".join(lines) or EMPTY

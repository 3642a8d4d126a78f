"""The last check before any business row reaches the database: text a spreadsheet, a PDF or the
server cannot hold, text longer than its column, and amounts beyond MAX_RIALS are refused with a
Persian message naming the field, whichever service wrote them.

Refused characters: C0/C1 control characters except tab and line breaks (NUL and friends break
XLSX export and PostgreSQL), bidi embeddings, overrides and isolates U+202A-U+202E, U+2066-U+2069
(an RLO makes «abc» display as «cba»), unpaired surrogates and the non-characters U+FFFE/U+FFFF.
Kept on purpose: ZWNJ/ZWJ (Persian spelling) and the marks LRM/RLM/ALM, which Persian keyboards type
and which only steer neutral characters, so they cannot disguise a word.
Imports strip the same characters (`strip_unsafe`) and say so per row instead of refusing a file.
"""

from __future__ import annotations

import re
from decimal import Decimal

from sqlalchemy import BigInteger, Integer, Numeric, String, event, inspect
from sqlalchemy.orm import Session

from app.models.audit import AuditEntry
from app.persian import MAX_RIALS, format_money, format_number
from app.services.core.audit import changed_attrs
from app.services.core.errors import ServiceError, ValidationFailed
from app.services.core.labels import FIELD, TABLE

UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")
MAX_INTEGER = 2**31 - 1  # PostgreSQL's INTEGER; SQLite would overflow only at 2^63
UNSAFE_MESSAGE = "نویسه‌های کنترلی یا نامرئی تغییر جهت دارد؛ آن‌ها را حذف کنید"


def has_unsafe(text: str) -> bool:
    return UNSAFE.search(text) is not None


def strip_unsafe(text: str) -> str:
    return UNSAFE.sub("", text)


def field_label(key: str, table: str = "") -> str:
    return FIELD.get(key) or TABLE.get(table) or "متن"


def column_problem(column, value) -> str | None:
    """Why `value` cannot be stored in `column` (Persian, without the field's name), or None."""
    kind = column.type
    if isinstance(value, str) and isinstance(kind, String):
        if has_unsafe(value):
            return UNSAFE_MESSAGE
        if kind.length and len(value) > kind.length:
            return f"حداکثر {format_number(kind.length)} نویسه مجاز است (اکنون {format_number(len(value))} نویسه)"
    elif isinstance(value, int) and not isinstance(value, bool):
        if isinstance(kind, BigInteger) and abs(value) > MAX_RIALS:  # BigInteger is the Money column
            return f"مبلغ بیش از سقف مجاز ({format_money(MAX_RIALS)}) است"
        if isinstance(kind, Integer) and not isinstance(kind, BigInteger) and abs(value) > MAX_INTEGER:
            return "عدد بیش از حد بزرگ است"
    if isinstance(kind, Numeric) and kind.precision and isinstance(value, int | float | Decimal):
        number = Decimal(value)  # quantities and stock: Numeric(18, 3) holds less than 10^15
        if not number.is_finite() or abs(number) >= 10 ** (kind.precision - (kind.scale or 0)):
            return "عدد بیش از حد بزرگ است"
    return None


def check_rows(session: Session, _ctx, _instances) -> None:
    """before_flush: new rows in full, changed rows in their changed columns (old data stays readable)."""
    errors: dict[str, str] = {}
    for obj in [*session.new, *session.dirty]:
        if isinstance(obj, AuditEntry):
            continue  # written from rows this check has already passed
        state = inspect(obj)
        mapper = state.mapper
        for prop in changed_attrs(state) if state.persistent else mapper.column_attrs:
            if state.persistent and not state.attrs[prop.key].history.has_changes():
                continue
            problem = column_problem(prop.columns[0], state.dict.get(prop.key))
            if problem:
                errors.setdefault(prop.key, f"«{field_label(prop.key, mapper.local_table.name)}»: {problem}")
    if errors:
        raise ValidationFailed(errors)


def _has_nul(parameters) -> bool:
    if isinstance(parameters, str):
        return "\x00" in parameters
    if isinstance(parameters, dict):
        return any(_has_nul(v) for v in parameters.values())
    if isinstance(parameters, list | tuple):
        return any(_has_nul(v) for v in parameters)
    return False


def _without_nul(parameters):
    if isinstance(parameters, str):
        return parameters.replace("\x00", "")
    if isinstance(parameters, dict):
        return {k: _without_nul(v) for k, v in parameters.items()}
    if isinstance(parameters, list | tuple):
        return type(parameters)(_without_nul(v) for v in parameters)
    return parameters


def _nul_free_queries(_conn, _cursor, statement, parameters, _context, _executemany):
    """PostgreSQL refuses NUL in any text parameter, even in a lookup a service makes before its flush
    (a duplicate check by name): lookups search without it, and `check_rows` then refuses the write
    naming the field. A write that bypassed the ORM (bulk inserts) is refused here as a last resort."""
    if parameters and _has_nul(parameters):
        if not statement.lstrip()[:6].upper() == "SELECT":
            raise ServiceError(f"متن واردشده {UNSAFE_MESSAGE}.")
        parameters = _without_nul(parameters)
    return statement, parameters


def install(session_factory) -> None:
    event.listen(session_factory, "before_flush", check_rows)
    engine = session_factory.kw.get("bind")
    if engine is not None and engine.dialect.name == "postgresql":
        event.listen(engine, "before_cursor_execute", _nul_free_queries, retval=True)

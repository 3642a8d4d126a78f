"""A form's answer to ConcurrentChange: compare, then reload or keep the user's own changes.

The comparison is against the values the form OPENED with, so only the fields this user changed are
shown and kept; every other field takes the saved (their) value. Forms keep typed values until the
user chooses, so cancelling loses nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QComboBox, QWidget

from app.persian import format_date, format_datetime, format_number
from app.services.core.errors import ConcurrentChange
from app.services.core.labels import enum_label, field_label
from app.ui.common.conflict_dialog import ConflictChoice, ConflictDialog
from app.ui.common.form_fields import FieldRow


def changed_fields(opened: Any, mine: Any) -> list[str]:
    """Names of the dataclass fields whose value differs between what was opened and what is typed."""
    return [f.name for f in dataclasses.fields(mine) if getattr(mine, f.name) != getattr(opened, f.name)]


def value_text(value: Any) -> str:
    """Display text of one form value, for the comparison table."""
    if value is None or value == "" or value == () or value == []:
        return "—"
    if isinstance(value, bool):
        return "بله" if value else "خیر"
    if isinstance(value, int):
        return format_number(value)
    if isinstance(value, dt.datetime):
        return format_datetime(value)
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, enum.Enum):
        return enum_label(value)
    if isinstance(value, list | tuple):
        return "، ".join(value_text(item) for item in value)
    if isinstance(value, dict):
        return "، ".join(value_text(item) for item in value.values())
    if dataclasses.is_dataclass(value):
        parts = (getattr(value, f.name) for f in dataclasses.fields(value))
        return " ".join(value_text(p) for p in parts if p not in (None, ""))
    if isinstance(value, uuid.UUID):
        return "(رکورد دیگر)"
    return str(value)


def editor_text(rows: dict[str, FieldRow], names: dict[str, str | None], field: str, value: Any) -> str:
    """A value as its field shows it: a choice's own text, a known name, or `value_text`."""
    if field in names and names[field] is not None:
        return names[field] or "—"
    editor = rows[field].editor if field in rows else None
    if isinstance(editor, QComboBox) and value is not None:
        for data in (value, str(value), getattr(value, "value", value)):
            index = editor.findData(data)
            if index >= 0:
                return editor.itemText(index)
    return value_text(value)


def resolve(
    parent: QWidget,
    conflict: ConcurrentChange,
    opened: Any,
    mine: Any,
    theirs: Any,
    text_of: Callable[[str, Any, bool], str],
    labels: dict[str, str] | None = None,
    table: str | None = None,
) -> tuple[ConflictChoice, Any]:
    """Shows the comparison for the fields the user changed. Returns the choice and, for KEEP_MINE,
    the data to save: their saved values with this user's changed fields on top.
    `text_of(field, value, is_mine)` gives display text."""
    fields = changed_fields(opened, mine)
    names = {f: (labels or {}).get(f) or field_label(f, table) for f in fields}
    dialog = ConflictDialog(
        conflict,
        {f: text_of(f, getattr(mine, f), True) for f in fields},
        {f: text_of(f, getattr(theirs, f), False) for f in fields},
        names,
        parent,
    )
    dialog.exec()
    if dialog.choice is ConflictChoice.KEEP_MINE:
        return dialog.choice, dataclasses.replace(theirs, **{f: getattr(mine, f) for f in fields})
    return dialog.choice, None

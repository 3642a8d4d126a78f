"""Keyset paging: a list's next page starts after the last row shown, not at an offset.

OFFSET makes the database step over every earlier row again, so scrolling to the end of a long list
costs the square of its length; a condition «after this row's sort key» starts the walk of the sort's
index where the last page ended. The cursor is the last row's sort values followed by its id (the
tie-breaker every list order ends with). NULLs sort first ascending on SQLite and last on PostgreSQL
(each database's default, which the lists' ORDER BY and indexes use), so the condition follows the
dialect.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, and_, false, or_, true

T = TypeVar("T")
Cursor = tuple[Any, ...]


@dataclass(frozen=True)
class Page(Generic[T]):
    """Rows of a list in its order and the cursor of the next page (None: this page was the last)."""

    rows: list[T] = field(default_factory=list)
    after: Cursor | None = None


def nulls_first(dialect: str, descending: bool) -> bool:
    """Where the database puts NULLs in an ORDER BY without NULLS FIRST/LAST."""
    return descending if dialect == "postgresql" else not descending


def _beyond(column: ColumnElement, value: Any, descending: bool, first: bool, or_equal: bool) -> ColumnElement[bool]:
    """Rows that sort after (or_equal: at or after) `value` on one column."""
    if value is None:
        if first:  # NULLs come first: every non-NULL value is beyond them
            return true() if or_equal else column.is_not(None)
        return column.is_(None) if or_equal else false()
    if descending:
        compare = column <= value if or_equal else column < value
    else:
        compare = column >= value if or_equal else column > value
    return compare if first else or_(compare, column.is_(None))


def ordered(columns: Sequence[ColumnElement], descending: bool) -> list:
    """The ORDER BY terms of `columns`, all in one direction (the one `after` pages along)."""
    return [c.desc() if descending else c.asc() for c in columns]


def after(
    columns: Sequence[ColumnElement], cursor: Cursor, descending: bool, dialect: str
) -> ColumnElement[bool]:
    """Rows strictly after `cursor` in the order `columns` (all in one direction; the last is unique).

    Nested as «c1 >= v1 AND (c1 > v1 OR (c2 …))»: the leading range lets the index seek to the cursor
    (an OR of equalities alone makes SQLite scan the index from its start).
    """
    if len(columns) != len(cursor):
        raise ValueError("a cursor holds one value per sort column")
    first = nulls_first(dialect, descending)
    condition: ColumnElement[bool] | None = None
    for column, value in reversed(list(zip(columns, cursor, strict=True))):
        beyond = _beyond(column, value, descending, first, or_equal=False)
        if condition is None:
            condition = beyond
        else:
            condition = and_(_beyond(column, value, descending, first, or_equal=True), or_(beyond, condition))
    assert condition is not None
    return condition

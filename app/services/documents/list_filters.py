"""The document lists' shared filter: the search box finds a document by its number (digits) or by
part of its customer's name, beside exact filters such as state or customer, and a period of its
date (a relative Jalali period, resolved when the list is read, or fixed days)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from app.models import Identity
from app.persian import search_key, to_ascii_digits
from app.services.core.periods import DateFilter


def list_conditions(
    model,
    equal: Iterable[tuple],
    text: str,
    by_number: Callable[[str], object] | None = None,
    dated: tuple[object, DateFilter | None] | None = None,
) -> list:
    """SQL conditions for `model`'s list (joined to Identity): not deleted, each (column, value) of
    `equal` whose value is given, and `text`. `by_number(digits)` overrides the number match;
    `dated` is (the document's date column, its period or None)."""
    conditions = [model.deleted_at.is_(None)]
    conditions += [column == value for column, value in equal if value is not None]
    if dated is not None and dated[1] is not None:
        column, period = dated
        first, last = period.bounds()
        if first is not None:
            conditions.append(column >= first)
        if last is not None:
            conditions.append(column <= last)
    text = to_ascii_digits(text).strip()
    if text.isdigit():
        conditions.append(by_number(text) if by_number else model.number == int(text))
    elif search_key(text):
        conditions.append(Identity.name_key.contains(search_key(text), autoescape=True))
    return conditions

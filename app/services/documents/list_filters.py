"""The document lists' shared filter: the search box finds a document by its number (digits; a laptop's
code-number «L3-12», «P-L3-7» where the list has such numbers) or by part of its customer's name, beside
exact filters such as state or customer, and a period of its date (a relative Jalali period, resolved
when the list is read, or fixed days)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from app.models import Identity
from app.persian import search_key, to_ascii_digits
from app.services.core.periods import DateFilter

CODED = re.compile(r"[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*-[0-9]+")  # «L3-12», «P-L3-7» (upper-cased)


def list_conditions(
    model,
    equal: Iterable[tuple],
    text: str,
    by_number: Callable[[str], object] | None = None,
    dated: tuple[object, DateFilter | None] | None = None,
    by_code: Callable[[str], object] | None = None,
) -> list:
    """SQL conditions for `model`'s list (joined to Identity): not deleted, each (column, value) of
    `equal` whose value is given, and `text`. `by_number(digits)` overrides the number match;
    `dated` is (the document's date column, its period or None); `by_code(code)` matches a typed
    code-number (CODED)."""
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
    elif by_code is not None and CODED.fullmatch(text.upper()):
        conditions.append(by_code(text.upper()))
    elif search_key(text):
        conditions.append(Identity.name_key.contains(search_key(text), autoescape=True))
    return conditions

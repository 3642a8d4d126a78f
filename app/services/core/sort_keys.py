"""Sort key columns kept current by the write path, not by each service.

A column made by `app.models.columns.sort_key_column(source)` holds `app.persian.sort_key` of its
source column (a name, a title, a city), so lists ORDER BY it in the Persian alphabet on SQLite and
PostgreSQL. This before_flush hook (installed by app.services.core.database after the identities'
derived columns, since a city's key follows the derived primary_city) refreshes the key of every new
row and of every row whose source changed. It is installed after the audit hook, so keys never
clutter the history.
"""

from __future__ import annotations

import functools

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from app.persian import sort_key


@functools.cache
def _pairs(cls: type) -> tuple[tuple[str, str], ...]:
    """(source attribute, key attribute) of each sort key column of a mapped class."""
    mapper = inspect(cls, raiseerr=False)
    if mapper is None:
        return ()
    pairs = []
    for prop in mapper.column_attrs:
        source = prop.columns[0].info.get("sort_key_of")
        if source is not None:
            pairs.append((mapper.get_property_by_column(mapper.local_table.c[source]).key, prop.key))
    return tuple(pairs)


def keep_sort_keys(session: Session, _ctx, _instances) -> None:
    """before_flush: new rows and rows whose source column changed get a fresh sort key."""
    with session.no_autoflush:
        for obj in [*session.new, *session.dirty]:
            pairs = _pairs(type(obj))
            if not pairs:
                continue
            new = obj in session.new
            attrs = inspect(obj).attrs
            for source, target in pairs:
                if new or attrs[source].history.has_changes():
                    key = sort_key(getattr(obj, source))
                    if getattr(obj, target) != key:
                        setattr(obj, target, key)


def install(factory) -> None:
    event.listen(factory, "before_flush", keep_sort_keys)

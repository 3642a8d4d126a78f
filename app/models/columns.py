"""Column helpers shared by the model files."""

from __future__ import annotations

import enum

from sqlalchemy import Enum, Text
from sqlalchemy.orm import MappedColumn, mapped_column

from app.persian.sort import sort_key


def enum_column(cls: type[enum.Enum]) -> Enum:
    """Enums stored as their string values (portable: no native PostgreSQL enum types)."""
    return Enum(
        cls,
        native_enum=False,
        length=16,
        values_callable=lambda e: [m.value for m in e],
    )


# Compared by code point on both databases: SQLite's BINARY, PostgreSQL's "C" (a server's default
# collation, en_US say, would skip the key's punctuation codes and undo the Persian order).
SORT_KEY = Text().with_variant(Text(collation="C"), "postgresql")


def sort_key_column(source: str) -> MappedColumn:
    """The Persian sort key (app.persian.sort_key) of the column `source`, for ORDER BY.

    The write path's hook (app.services.core.sort_keys) keeps it current on every ORM write; the
    default covers bulk INSERTs (demo, imports) that name the source column.
    """

    def default(context) -> str:
        return sort_key(context.get_current_parameters().get(source))

    return mapped_column(SORT_KEY, default=default, server_default="", info={"sort_key_of": source})

"""Column helpers shared by the model files."""

from __future__ import annotations

import enum

from sqlalchemy import Enum


def enum_column(cls: type[enum.Enum]) -> Enum:
    """Enums stored as their string values (portable: no native PostgreSQL enum types)."""
    return Enum(
        cls,
        native_enum=False,
        length=16,
        values_callable=lambda e: [m.value for m in e],
    )

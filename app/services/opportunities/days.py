"""«روزها تا تخصیص» and «روزها تا بستن» of an opportunity (seed 004, the analysis column), in SQL.

Days to assign: from the customer's arrival (the identity's creation: the lead) to the day the
opportunity got its owner (`assigned_at`). Days to close: from the opportunity's creation to its
won/lost date. Whole calendar days of the stored UTC dates; NULL until there is an end.
"""

from __future__ import annotations

from sqlalchemy import Date, Integer, cast, func
from sqlalchemy.sql import ColumnElement

from app.models import Identity, Opportunity


def _days(later, earlier, dialect: str) -> ColumnElement:
    if dialect == "sqlite":
        return cast(func.julianday(func.date(later)) - func.julianday(func.date(earlier)), Integer)
    return cast(later, Date) - cast(earlier, Date)


def days_to_assign(dialect: str) -> ColumnElement:
    """Needs the opportunity's identity joined as `Identity`."""
    return _days(Opportunity.assigned_at, Identity.created_at, dialect).label("days_to_assign")


def days_to_close(dialect: str) -> ColumnElement:
    return _days(Opportunity.closed_on, Opportunity.created_at, dialect).label("days_to_close")


HEADERS = {"days_to_assign": "روزها تا تخصیص", "days_to_close": "روزها تا بستن"}  # list columns

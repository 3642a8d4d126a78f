"""Gapless document numbers: one counter row per (series, fiscal year), locked while a number is taken.

Call `next_number` inside the very transaction that issues the document, as late as possible
(sync.md §3.2): the counter row is read `FOR UPDATE` (PostgreSQL holds the row lock until COMMIT;
SQLite's write transactions already begin IMMEDIATE, so writers are serialised at BEGIN). If the
transaction rolls back for any reason, the counter rolls back with it: committed numbers are
exactly 1..N. Never use a database sequence for legal numbers (a rollback leaves a hole).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.models import NumberSeries
from app.persian import format_date
from app.services.core.access import SKIP
from app.services.core.errors import ValidationFailed

QUOTE = "quote"
INVOICE = "invoice"
RETURN = "return"
RECEIPT = "receipt"
PAYMENT = "payment"
SERIES = (QUOTE, INVOICE, RETURN, RECEIPT, PAYMENT)


def _locked(session: Session, series: str, fiscal_year: int) -> NumberSeries | None:
    stmt = (
        select(NumberSeries)
        .where(NumberSeries.series == series, NumberSeries.fiscal_year == fiscal_year)
        .with_for_update()
        .execution_options(populate_existing=True, **{SKIP: True})
    )
    return session.scalars(stmt).one_or_none()


def next_number(session: Session, series: str, fiscal_year: int, day: dt.date | None = None) -> int:
    """The next number of `series` in `fiscal_year` (Jalali), reserved until the transaction ends.

    With `day` (the document's date), numbers must follow the dates: a document dated before the
    last numbered one of the series is refused (ValidationFailed on "issue_date").
    """
    return next_numbers(session, series, fiscal_year, 1, None if day is None else [day])[0]


def next_numbers(
    session: Session, series: str, fiscal_year: int, count: int, days: list[dt.date] | None = None
) -> list[int]:
    """`count` consecutive numbers at once (issuing several drafts in one transaction); `days`,
    if given, are the documents' dates in numbering order and must not go back in time."""
    if series not in SERIES:
        raise ValueError(f"unknown number series {series!r}")
    if count < 1 or (days is not None and len(days) != count):
        raise ValueError("count must be positive and match the days")
    counter = _locked(session, series, fiscal_year)
    if counter is None:
        # First number of the year. Two writers may both try to create the row (PostgreSQL):
        # the loser's INSERT fails inside a savepoint and it then waits on the winner's row lock.
        try:
            with session.begin_nested():
                session.add(NumberSeries(series=series, fiscal_year=fiscal_year, last_number=0))
        except IntegrityError:
            pass
        counter = _locked(session, series, fiscal_year)
        assert counter is not None
    if days is not None:
        previous = counter.last_date
        for day in days:
            if previous is not None and day < previous:
                last = format_date(previous)
                raise ValidationFailed({"issue_date": f"تاریخ سند نمی‌تواند پیش از آخرین سند شماره‌خورده ({last}) باشد."})
            previous = day
        counter.last_date = previous
    first = counter.last_number + 1
    counter.last_number += count
    session.flush()
    return list(range(first, first + count))


def last_number(session: Session, series: str, fiscal_year: int) -> int:
    """The last number given in `series` and `fiscal_year` (0 if none yet). Reads only."""
    stmt = select(NumberSeries.last_number).where(
        NumberSeries.series == series, NumberSeries.fiscal_year == fiscal_year
    )
    return session.scalar(stmt.execution_options(**{SKIP: True})) or 0

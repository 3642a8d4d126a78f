"""Gapless document numbers: one counter row per (series, fiscal year), locked while a number is taken.

Call `next_number` inside the very transaction that issues the document, as late as possible
(sync.md §3.2): the counter row is read `FOR UPDATE` (PostgreSQL holds the row lock until COMMIT;
SQLite's write transactions already begin IMMEDIATE, so writers are serialised at BEGIN). If the
transaction rolls back for any reason, the counter rolls back with it: committed numbers are
exactly 1..N. Never use a database sequence for legal numbers (a rollback leaves a hole).

A laptop keeps counters of its own under `device_series` ("quote@L3"): number_series never syncs,
so the office's counters stay the office's and a laptop's never collide with them.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.models import NumberSeries
from app.persian import format_date
from app.services.core.access import SKIP
from app.services.core.errors import ServiceError, ValidationFailed
from app.services.server import security as server_security

QUOTE = "quote"
INVOICE = "invoice"
RETURN = "return"
RECEIPT = "receipt"
PAYMENT = "payment"
CONTRACT = "contract"
SERIES = (QUOTE, INVOICE, RETURN, RECEIPT, PAYMENT, CONTRACT)
# Numbered by the office alone: on a laptop they are not made yet (a laptop numbers only its quotes,
# under its device code, and its invoices provisionally: app.services.sync.documents).
_AT_OFFICE = "پس از همگام‌سازی آن را در دفتر ثبت کنید."
OFFICE_ONLY = {
    RETURN: "صورتحساب برگشت از فروش شمارهٔ قانونی دفتر را می‌گیرد و روی لپ‌تاپ صادر نمی‌شود؛ " + _AT_OFFICE,
    RECEIPT: "رسید دریافت روی لپ‌تاپ شماره نمی‌گیرد؛ " + _AT_OFFICE,
    PAYMENT: "سند پرداخت روی لپ‌تاپ شماره نمی‌گیرد؛ " + _AT_OFFICE,
    CONTRACT: "قرارداد روی لپ‌تاپ ثبت نهایی نمی‌شود؛ " + _AT_OFFICE,
}


def device_series(series: str, device_code: str) -> str:
    """A laptop's own counter of `series` ("quote@L3"), taken on that laptop only."""
    if series not in SERIES or not device_code:
        raise ValueError(f"no device series for {series!r} on {device_code!r}")
    return f"{series}@{device_code}"


def _known(series: str) -> bool:
    base, at, code = series.partition("@")
    return base in SERIES and (not at or bool(code))


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
    if not _known(series):
        raise ValueError(f"unknown number series {series!r}")
    if count < 1 or (days is not None and len(days) != count):
        raise ValueError("count must be positive and match the days")
    if series in OFFICE_ONLY:
        from app.services.sync import state  # a light module; sync's own imports reach documents

        if state.device_code(session) is not None:
            raise ServiceError(OFFICE_ONLY[series])
    last_day = days[-1] if days else None
    if server_security.on_own_role(session.connection()):  # the server's function does what _take does
        row = session.execute(
            text("SELECT first_number, previous_day FROM peyvand_take_numbers(:s, :y, :n, :d)"),
            {"s": series, "y": fiscal_year, "n": count, "d": last_day},
        ).one()
        first, previous = row
    else:
        first, previous = _take(session, series, fiscal_year, count, last_day)
    for day in days or ():  # a refusal rolls the counter back with the whole transaction
        if previous is not None and day < previous:
            last = format_date(previous)
            raise ValidationFailed({"issue_date": f"تاریخ سند نمی‌تواند پیش از آخرین سند شماره‌خورده ({last}) باشد."})
        previous = day
    return list(range(first, first + count))


def _take(
    session: Session, series: str, fiscal_year: int, count: int, last_day: dt.date | None
) -> tuple[int, dt.date | None]:
    """Advances the locked counter by `count`: (first number, the counter's previous date)."""
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
    first, previous = counter.last_number + 1, counter.last_date
    counter.last_number += count
    counter.last_date = last_day or previous
    session.flush()
    return first, previous


def next_device_numbers(session: Session, series: str, fiscal_year: int, count: int, used: int) -> list[int]:
    """`count` numbers of a laptop's own `series` (see `device_series`), above `used`: the highest
    number the laptop's documents of that series already carry. A laptop copied again from the office
    starts with empty counters but gets its earlier documents back, and must not number them twice."""
    if "@" not in series or not _known(series) or count < 1:
        raise ValueError(f"not a device series {series!r} or count {count}")
    first, _ = _take(session, series, fiscal_year, count, None)
    if first > used:
        return list(range(first, first + count))
    counter = _locked(session, series, fiscal_year)
    counter.last_number = used + count
    session.flush()
    return list(range(used + 1, used + 1 + count))


def last_number(session: Session, series: str, fiscal_year: int) -> int:
    """The last number given in `series` and `fiscal_year` (0 if none yet). Reads only."""
    stmt = select(NumberSeries.last_number).where(
        NumberSeries.series == series, NumberSeries.fiscal_year == fiscal_year
    )
    return session.scalar(stmt.execution_options(**{SKIP: True})) or 0

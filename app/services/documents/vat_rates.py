"""The VAT table (نرخ مالیات بر ارزش افزوده): built-in rates plus the admin's rows for later years.

Built in: 9% up to the end of 1402, 10% from 1403/01/01 (iran-rules.md §2). The admin adds a row
when a new rate becomes law (e.g. 12% from 1405/01/01); a row on a built-in date overrides it.
A line's rate defaults from the table by the document date and stays editable per line.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import select

from app.models import VatRate as VatRateModel
from app.models import utcnow
from app.services.core.actor import Actor
from app.services.core.database import Database
from app.services.core.errors import AccessDenied, NotFound, ValidationFailed

from .arithmetic import DEFAULT_VAT_ROWS
from .lines import vat_table

DENIED = "فقط مدیر می‌تواند نرخ مالیات بر ارزش افزوده را تغییر دهد."


@dataclass(frozen=True)
class VatRateRow:
    id: uuid.UUID | None  # None: a built-in row
    valid_from: dt.date
    rate: int

    @property
    def builtin(self) -> bool:
        return self.id is None


class VatRateService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def rates(self, actor: Actor) -> list[VatRateRow]:
        """Every rate in force from its date on (built-in rows not overridden, then the admin's),
        oldest first. Everyone may read. Reads only."""
        with self._db.read(actor) as s:
            rows = {r.starts_on: VatRateRow(None, r.starts_on, r.rate) for r in DEFAULT_VAT_ROWS}
            stmt = select(VatRateModel).where(VatRateModel.deleted_at.is_(None))
            for row in s.scalars(stmt):
                rows[row.valid_from] = VatRateRow(row.id, row.valid_from, row.rate)
            return sorted(rows.values(), key=lambda r: r.valid_from)

    def rate_on(self, actor: Actor, day: dt.date) -> int:
        """The default VAT percent of a document dated `day`. Everyone may read. Reads only."""
        with self._db.read(actor) as s:
            return vat_table(s).rate_on(day)

    def save_rate(self, actor: Actor, valid_from: dt.date, rate: int) -> VatRateRow:
        """Sets the rate in force from `valid_from` (adds or replaces that date's row). Admin only;
        raises AccessDenied, ValidationFailed. Writes."""
        if not actor.is_admin:
            raise AccessDenied(DENIED)
        errors = {}
        if valid_from is None:
            errors["valid_from"] = "تاریخ شروع را وارد کنید."
        if isinstance(rate, bool) or not isinstance(rate, int) or not 0 <= rate <= 100:
            errors["rate"] = "نرخ باید عددی صحیح بین ۰ تا ۱۰۰ درصد باشد."
        if errors:
            raise ValidationFailed(errors)
        with self._db.write(actor) as s:
            row = s.scalars(select(VatRateModel).where(VatRateModel.valid_from == valid_from)).first()
            if row is None:
                row = VatRateModel(valid_from=valid_from, rate=rate)
                s.add(row)
            row.rate, row.deleted_at = rate, None
            s.flush()
            return VatRateRow(row.id, row.valid_from, row.rate)

    def delete_rate(self, actor: Actor, rate_id: uuid.UUID) -> None:
        """Removes an admin row (a built-in rate it overrode applies again). Admin only. Writes."""
        if not actor.is_admin:
            raise AccessDenied(DENIED)
        with self._db.write(actor) as s:
            row = s.get(VatRateModel, rate_id)
            if row is None or row.deleted_at is not None:
                raise NotFound("نرخ مالیات")
            row.deleted_at = utcnow()

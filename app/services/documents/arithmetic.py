"""Line and total arithmetic of quotes, invoices and returns: integer Rial only.

Follows the official form and the Moadian field names (iran-rules.md §1.2):

    prdis  = am × fee               مبلغ کل (before discount)
    dis                             مبلغ تخفیف
    adis   = prdis − dis            مبلغ کل پس از تخفیف
    vam    = floor(adis × vra / 100) جمع مالیات و عوارض
    tsstam = adis + vam             جمع کل ردیف
    tprdis, tdis, tadis, tvam = sums of the lines; tbill = tadis + tvam

Rounding: prices and discounts are whole Rial, but a quantity may be
fractional (2.5 metres), so `am × fee` may not be whole.  It is rounded
**half up** to whole Rial (2.5 × 333 = 832.5 → 833), the usual commercial
rounding; Moadian accepts no decimals in Rial amounts.  VAT is then floored
per line (the Moadian practice) and the totals are plain sums of the lines.

The VAT rate depends on the document date (§2): `VatTable` holds
(from_date, rate) rows so an admin-edited table can replace the built-in one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from app.persian import MAX_RIALS, ValidationError, format_date, format_money, to_persian_digits

Quantity = Decimal | int


def _require_int(value: object, name: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{name} must be an int number of Rial, got {type(value).__name__}")
    return value


def _require_quantity(value: object) -> Decimal:
    # Floats are refused like everywhere else in the money code: 0.1 is not exact.
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise TypeError(f"quantity must be Decimal or int, got {type(value).__name__}")
    quantity = Decimal(value)
    if not quantity.is_finite():
        raise ValidationError("مقدار نامعتبر است")
    if quantity <= 0:
        raise ValidationError("مقدار باید بیشتر از صفر باشد")
    return quantity


@dataclass(frozen=True)
class LineInput:
    """What the user enters on a line: am, fee, dis and vra in Moadian terms."""

    quantity: Quantity
    unit_price: int
    discount: int = 0
    vat_rate: int = 0


@dataclass(frozen=True)
class LineAmounts:
    """Computed amounts of one line, all integer Rial (Moadian names)."""

    prdis: int  # مبلغ کل = quantity × unit price
    dis: int  # مبلغ تخفیف
    adis: int  # مبلغ کل پس از تخفیف
    vra: int  # نرخ مالیات (درصد)
    vam: int  # جمع مالیات و عوارض
    tsstam: int  # جمع کل ردیف = adis + vam


@dataclass(frozen=True)
class Totals:
    """Document totals: the sums of the lines' columns 7-11 of the form."""

    tprdis: int = 0
    tdis: int = 0
    tadis: int = 0
    tvam: int = 0
    tbill: int = 0  # مبلغ قابل پرداخت


def gross_amount(quantity: Quantity, unit_price: int) -> int:
    """am × fee rounded half up to whole Rial."""
    product = _require_quantity(quantity) * _require_int(unit_price, "unit_price")
    return int(product.to_integral_value(rounding=ROUND_HALF_UP))


def vat_amount(adis: int, vat_rate: int) -> int:
    """floor(adis × vra / 100): 5322 at 9% → 478."""
    return _require_int(adis, "adis") * _require_int(vat_rate, "vat_rate") // 100


def compute_line(line: LineInput) -> LineAmounts:
    """Amounts of one line; raises ValidationError (Persian `.message`) on bad input."""
    unit_price = _require_int(line.unit_price, "unit_price")
    discount = _require_int(line.discount, "discount")
    rate = _require_int(line.vat_rate, "vat_rate")
    if unit_price < 0:
        raise ValidationError("مبلغ واحد نمی‌تواند منفی باشد")
    if discount < 0:
        raise ValidationError("تخفیف نمی‌تواند منفی باشد")
    if unit_price > MAX_RIALS or discount > MAX_RIALS:
        raise ValidationError(f"مبلغ بیش از سقف مجاز ({format_money(MAX_RIALS)}) است")
    if not 0 <= rate <= 100:
        raise ValidationError("نرخ مالیات باید بین ۰ تا ۱۰۰ درصد باشد")
    prdis = gross_amount(line.quantity, unit_price)
    if prdis > MAX_RIALS:  # quantity × price, with VAT still to come: the columns are 64-bit
        raise ValidationError(f"مبلغ کل ردیف بیش از سقف مجاز ({format_money(MAX_RIALS)}) است")
    if discount > prdis:
        raise ValidationError("تخفیف نمی‌تواند بیشتر از مبلغ کل ردیف باشد")
    adis = prdis - discount
    vam = vat_amount(adis, rate)
    return LineAmounts(prdis=prdis, dis=discount, adis=adis, vra=rate, vam=vam, tsstam=adis + vam)


def compute_lines(lines: Iterable[LineInput]) -> list[LineAmounts]:
    """`compute_line` for each line; an error message names its row («ردیف ۳: …»)."""
    result = []
    for row, line in enumerate(lines, start=1):
        try:
            result.append(compute_line(line))
        except ValidationError as exc:
            raise ValidationError(f"ردیف {to_persian_digits(str(row))}: {exc.message}") from None
    return result


def compute_totals(amounts: Iterable[LineAmounts]) -> Totals:
    """Header totals: Σprdis, Σdis, Σadis, Σvam and tbill = tadis + tvam."""
    tprdis = tdis = tadis = tvam = 0
    for a in amounts:
        tprdis += a.prdis
        tdis += a.dis
        tadis += a.adis
        tvam += a.vam
    return Totals(tprdis=tprdis, tdis=tdis, tadis=tadis, tvam=tvam, tbill=tadis + tvam)


# --- VAT rate by document date ------------------------------------------------------------


@dataclass(frozen=True)
class VatRate:
    """`rate` percent applies to documents dated on or after `starts_on` (Gregorian)."""

    starts_on: dt.date
    rate: int


def _as_date(day: dt.date) -> dt.date:
    # A datetime is a UTC instant (as stored); its document day is the local day,
    # the same rule as app.persian.format_date.
    if isinstance(day, dt.datetime):
        aware = day if day.tzinfo else day.replace(tzinfo=dt.UTC)
        return aware.astimezone().date()
    if not isinstance(day, dt.date):
        raise TypeError(f"expected a date, got {type(day).__name__}")
    return day


class VatTable:
    """Date-effective VAT rates: the row with the latest `starts_on` ≤ the date wins.

    Dates after the last row keep its rate until a newer row is added (e.g. the
    12% proposed for 1405 once it becomes law).
    """

    def __init__(self, rows: Iterable[VatRate | tuple[dt.date, int]]) -> None:
        parsed = sorted(
            (r if isinstance(r, VatRate) else VatRate(_as_date(r[0]), r[1]) for r in rows),
            key=lambda r: r.starts_on,
        )
        if not parsed:
            raise ValidationError("جدول نرخ مالیات بر ارزش افزوده خالی است")
        for r in parsed:
            if not 0 <= _require_int(r.rate, "rate") <= 100:
                raise ValidationError("نرخ مالیات باید بین ۰ تا ۱۰۰ درصد باشد")
        if len({r.starts_on for r in parsed}) != len(parsed):
            raise ValidationError("برای یک تاریخ بیش از یک نرخ مالیات تعریف شده است")
        self._rows: tuple[VatRate, ...] = tuple(parsed)

    @property
    def rows(self) -> Sequence[VatRate]:
        return self._rows

    def rate_on(self, day: dt.date) -> int:
        day = _as_date(day)
        rate = None
        for row in self._rows:
            if row.starts_on > day:
                break
            rate = row.rate
        if rate is None:
            raise ValidationError(f"برای تاریخ {format_date(day)} نرخ مالیات تعریف نشده است")
        return rate

    def __eq__(self, other: object) -> bool:
        return isinstance(other, VatTable) and self._rows == other._rows

    def __repr__(self) -> str:
        return f"VatTable({list(self._rows)!r})"


# 9% up to the end of 1402; 10% from 1403/01/01 (= 2024-03-20), confirmed for 1404.
DEFAULT_VAT_ROWS: tuple[VatRate, ...] = (
    VatRate(dt.date.min, 9),
    VatRate(dt.date(2024, 3, 20), 10),
)
DEFAULT_VAT_TABLE = VatTable(DEFAULT_VAT_ROWS)


def default_vat_rate(day: dt.date, *, exempt: bool = False, table: VatTable | None = None) -> int:
    """The VAT percent for a line of a document dated `day`; exempt products → 0."""
    if exempt:
        return 0
    return (table or DEFAULT_VAT_TABLE).rate_on(day)

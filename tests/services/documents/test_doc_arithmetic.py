"""Invoice arithmetic and VAT table: the vectors of iran-rules.md §1.2 and §2."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from app.persian import ValidationError, amount_in_words, format_number, parse_date
from app.services.documents import (
    DEFAULT_VAT_TABLE,
    LineInput,
    VatRate,
    VatTable,
    compute_line,
    compute_lines,
    compute_totals,
    default_vat_rate,
    gross_amount,
    vat_amount,
)


def test_worked_example_lines_and_totals() -> None:
    amounts = compute_lines(
        [LineInput(3, 1_250_000, discount=50_000, vat_rate=10), LineInput(1, 4_000_000, vat_rate=10)]
    )
    first, second = amounts
    assert (first.prdis, first.dis, first.adis, first.vam, first.tsstam) == (
        3_750_000,
        50_000,
        3_700_000,
        370_000,
        4_070_000,
    )
    assert (second.prdis, second.dis, second.adis, second.vam, second.tsstam) == (
        4_000_000,
        0,
        4_000_000,
        400_000,
        4_400_000,
    )
    totals = compute_totals(amounts)
    assert (totals.tprdis, totals.tdis, totals.tadis, totals.tvam, totals.tbill) == (
        7_750_000,
        50_000,
        7_700_000,
        770_000,
        8_470_000,
    )
    assert amount_in_words(totals.tbill) == "هشت میلیون و چهارصد و هفتاد هزار ریال"
    assert format_number(totals.tbill) == "۸٬۴۷۰٬۰۰۰"


def test_moadian_published_example() -> None:
    line = compute_line(LineInput(5, 12_200_000, vat_rate=9))
    assert (line.prdis, line.adis, line.vra, line.vam, line.tsstam) == (
        61_000_000,
        61_000_000,
        9,
        5_490_000,
        66_490_000,
    )
    assert compute_totals([line]).tbill == 66_490_000


@pytest.mark.parametrize(
    ("adis", "rate", "vam"),
    [
        (5322, 9, 478),  # 478.98 floored
        (5322, 10, 532),
        (1_234_567, 9, 111_111),
        (1_234_567, 10, 123_456),
        (61_000_000, 9, 5_490_000),
        (99, 9, 8),  # 8.91 floored, never rounded up
        (0, 10, 0),
    ],
)
def test_vat_is_floored_per_line(adis: int, rate: int, vam: int) -> None:
    assert vat_amount(adis, rate) == vam
    assert compute_line(LineInput(1, adis, vat_rate=rate)).vam == vam


def test_totals_sum_the_floored_line_vat() -> None:
    # Two lines of 5322 at 9%: 478 + 478 = 956, not floor(10644 × 0.09) = 957.
    totals = compute_totals(compute_lines([LineInput(1, 5322, vat_rate=9)] * 2))
    assert totals.tvam == 956
    assert totals.tbill == 10644 + 956


@pytest.mark.parametrize(
    ("quantity", "price", "prdis"),
    [
        (Decimal("2.5"), 333, 833),  # 832.5 rounds half up
        (Decimal("0.5"), 3, 2),  # 1.5 → 2
        (Decimal("1.25"), 1_000_000, 1_250_000),
        (Decimal("0.3333"), 10, 3),  # 3.333 → 3
        (Decimal("12.5"), 185_000, 2_312_500),
        (7, 0, 0),  # free item
    ],
)
def test_fractional_quantity_rounds_half_up(quantity: Decimal, price: int, prdis: int) -> None:
    assert gross_amount(quantity, price) == prdis
    assert compute_line(LineInput(quantity, price)).prdis == prdis


def test_discount_may_equal_but_not_exceed_the_line_amount() -> None:
    assert compute_line(LineInput(2, 500, discount=1000, vat_rate=10)).tsstam == 0
    with pytest.raises(ValidationError) as err:
        compute_line(LineInput(2, 500, discount=1001))
    assert err.value.message == "تخفیف نمی‌تواند بیشتر از مبلغ کل ردیف باشد"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (LineInput(0, 1000), "مقدار باید بیشتر از صفر باشد"),
        (LineInput(Decimal("-1.5"), 1000), "مقدار باید بیشتر از صفر باشد"),
        (LineInput(Decimal("NaN"), 1000), "مقدار نامعتبر است"),
        (LineInput(1, -1), "مبلغ واحد نمی‌تواند منفی باشد"),
        (LineInput(1, 1000, discount=-5), "تخفیف نمی‌تواند منفی باشد"),
        (LineInput(1, 1000, vat_rate=-1), "نرخ مالیات باید بین ۰ تا ۱۰۰ درصد باشد"),
        (LineInput(1, 1000, vat_rate=101), "نرخ مالیات باید بین ۰ تا ۱۰۰ درصد باشد"),
    ],
)
def test_bad_lines_are_refused_in_persian(line: LineInput, message: str) -> None:
    with pytest.raises(ValidationError) as err:
        compute_line(line)
    assert err.value.message == message
    assert isinstance(err.value, ValueError)


@pytest.mark.parametrize(
    "line",
    [LineInput(2.5, 1000), LineInput(1, 1000.0), LineInput(1, 1000, discount=1.0), LineInput(True, 1000)],
)
def test_floats_and_bools_are_programming_errors(line: LineInput) -> None:
    with pytest.raises(TypeError):
        compute_line(line)


def test_error_names_the_row() -> None:
    with pytest.raises(ValidationError) as err:
        compute_lines([LineInput(1, 1000), LineInput(1, 1000, discount=2000)])
    assert err.value.message.startswith("ردیف ۲: ")


@pytest.mark.parametrize(
    ("jalali", "rate"),
    [
        ("1398/05/10", 9),
        ("1402/01/01", 9),
        ("1402/12/29", 9),  # last day of 1402
        ("1403/01/01", 10),
        ("1403/12/30", 10),  # 1403 is a leap year
        ("1404/01/01", 10),
        ("1404/09/01", 10),
        ("1404/12/29", 10),
        ("1405/06/01", 10),  # later years keep the latest known rate until the table says otherwise
    ],
)
def test_default_vat_rate_by_document_date(jalali: str, rate: int) -> None:
    assert default_vat_rate(parse_date(jalali)) == rate


def test_exempt_products_have_no_vat() -> None:
    assert default_vat_rate(parse_date("1404/09/01"), exempt=True) == 0


def test_an_admin_table_overrides_the_default() -> None:
    table = VatTable([*DEFAULT_VAT_TABLE.rows, (parse_date("1405/01/01"), 12)])
    assert default_vat_rate(parse_date("1404/12/29"), table=table) == 10
    assert default_vat_rate(parse_date("1405/01/01"), table=table) == 12
    assert table.rows[-1] == VatRate(dt.date(2026, 3, 21), 12)


def test_table_rows_may_come_in_any_order() -> None:
    table = VatTable([(dt.date(2024, 3, 20), 10), (dt.date(2000, 1, 1), 9)])
    assert table.rate_on(dt.date(2024, 3, 19)) == 9
    assert table.rate_on(dt.date(2024, 3, 20)) == 10


def test_a_datetime_counts_as_its_day() -> None:
    assert DEFAULT_VAT_TABLE.rate_on(dt.datetime(2025, 6, 1, 12, 0)) == 10


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([], "جدول نرخ مالیات بر ارزش افزوده خالی است"),
        ([(dt.date(2024, 3, 20), 10), (dt.date(2024, 3, 20), 9)], "برای یک تاریخ بیش از یک نرخ مالیات تعریف شده است"),
        ([(dt.date(2024, 3, 20), 120)], "نرخ مالیات باید بین ۰ تا ۱۰۰ درصد باشد"),
    ],
)
def test_bad_tables_are_refused(rows: list, message: str) -> None:
    with pytest.raises(ValidationError) as err:
        VatTable(rows)
    assert err.value.message == message


def test_a_date_before_the_first_row_has_no_rate() -> None:
    table = VatTable([(parse_date("1403/01/01"), 10)])
    with pytest.raises(ValidationError) as err:
        table.rate_on(parse_date("1402/12/29"))
    assert "۱۴۰۲/۱۲/۲۹" in err.value.message

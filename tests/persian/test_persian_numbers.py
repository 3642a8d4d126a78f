"""Number and money formatting/parsing, amounts in words (iran-rules.md §4)."""

import pytest

from app.persian import (
    MoneyUnit,
    ValidationError,
    amount_in_words,
    format_money,
    format_number,
    parse_money,
    parse_number,
)


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (0, "۰"),
        (7, "۷"),
        (999, "۹۹۹"),
        (1000, "۱٬۰۰۰"),
        (8470000, "۸٬۴۷۰٬۰۰۰"),
        (-1200, "-۱٬۲۰۰"),
        (-999, "-۹۹۹"),
    ],
)
def test_format_number(n, text):
    assert format_number(n) == text


@pytest.mark.parametrize("bad", [1.5, 8470000.0, True, "12", None])
def test_format_refuses_non_int(bad):
    with pytest.raises(TypeError):
        format_number(bad)
    with pytest.raises(TypeError):
        format_money(bad)


@pytest.mark.parametrize(
    ("text", "n"),
    [
        ("8470000", 8470000),
        ("۸٬۴۷۰٬۰۰۰", 8470000),
        ("٨٬٤٧٠٬٠٠٠", 8470000),
        ("8,470,000", 8470000),
        ("۸،۴۷۰،۰۰۰", 8470000),
        ("8.470.000", 8470000),
        ("8 470 000", 8470000),
        ("  12  ", 12),
        ("-۱٬۲۰۰", -1200),
        ("−1200", -1200),
        ("+ 5", 5),
        ("007", 7),
    ],
)
def test_parse_number(text, n):
    assert parse_number(text) == n


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "عددی وارد نشده است"),
        ("-", "عددی وارد نشده است"),
        ("12.5", "عدد باید صحیح و بدون اعشار باشد"),
        ("۱۲٫۵", "عدد باید صحیح و بدون اعشار باشد"),
        ("1.2345", "عدد باید صحیح و بدون اعشار باشد"),
        ("12,34", "عدد نامعتبر است"),
        ("1,2345", "عدد نامعتبر است"),
        (",123", "عدد نامعتبر است"),
        ("12a", "عدد نامعتبر است"),
        ("--5", "عدد نامعتبر است"),
        ("١٢٣٤,٥٦٧", "عدد نامعتبر است"),
        ("１２", "عدد نامعتبر است"),  # full-width digits are not accepted
    ],
)
def test_parse_number_rejects(text, message):
    with pytest.raises(ValidationError) as err:
        parse_number(text)
    assert err.value.message == message
    assert isinstance(err.value, ValueError)


def test_format_money():
    assert format_money(8470000) == "۸٬۴۷۰٬۰۰۰ ریال"
    assert format_money(8470000, with_unit=False) == "۸٬۴۷۰٬۰۰۰"
    assert format_money(8470000, MoneyUnit.TOMAN) == "۸۴۷٬۰۰۰ تومان"
    assert format_money(8470000, MoneyUnit.TOMAN, with_unit=False) == "۸۴۷٬۰۰۰"


def test_toman_truncates_toward_zero():
    assert format_money(15, MoneyUnit.TOMAN) == "۱ تومان"
    assert format_money(-15, MoneyUnit.TOMAN) == "-۱ تومان"
    assert format_money(9, MoneyUnit.TOMAN) == "۰ تومان"


def test_parse_money():
    assert parse_money("۸٬۴۷۰٬۰۰۰ ریال") == 8470000
    assert parse_money("۸٬۴۷۰٬۰۰۰") == 8470000
    assert parse_money("847,000", MoneyUnit.TOMAN) == 8470000
    assert parse_money("۸۴۷٬۰۰۰ تومان") == 8470000  # an explicit unit word wins
    assert parse_money("۱۰۰ ریال", MoneyUnit.TOMAN) == 100
    assert parse_money("100﷼") == 100
    assert isinstance(parse_money("۱۲"), int)
    with pytest.raises(ValidationError):
        parse_money("۱۲٫۵ تومان")
    with pytest.raises(ValidationError):
        parse_money("ریال")


# iran-rules.md §4.3, persiantools.digits.to_word column, plus the §1.2 total.
@pytest.mark.parametrize(
    ("rial", "words"),
    [
        (1_200_000, "یک میلیون و دویست هزار ریال"),
        (500_443, "پانصد هزار و چهارصد و چهل و سه ریال"),
        (1_000, "یک هزار ریال"),
        (1_001, "یک هزار و یک ریال"),
        (0, "صفر ریال"),
        (30_000_000_000, "سی میلیارد ریال"),
        (
            123_456_789_012,
            ("یکصد و بیست و سه میلیارد و چهارصد و پنجاه و شش میلیون و هفتصد و هشتاد و نه هزار و دوازده ریال"),
        ),
        (8_470_000, "هشت میلیون و چهارصد و هفتاد هزار ریال"),
        (-1_200, "منفی یک هزار و دویست ریال"),
    ],
)
def test_amount_in_words(rial, words):
    assert amount_in_words(rial) == words


def test_amount_in_words_toman():
    assert amount_in_words(8_470_000, MoneyUnit.TOMAN) == "هشتصد و چهل و هفت هزار تومان"
    assert amount_in_words(0, MoneyUnit.TOMAN) == "صفر تومان"


def test_invoice_total_display():
    # iran-rules.md §1.2: the 10% worked example totals 8,470,000 Rial.
    assert format_number(8_470_000) == "۸٬۴۷۰٬۰۰۰"
    assert amount_in_words(8_470_000) == "هشت میلیون و چهارصد و هفتاد هزار ریال"


def test_amount_in_words_limit():
    assert amount_in_words(10**15 - 1).startswith("نهصد و نود و نه تریلیون")
    with pytest.raises(ValidationError):
        amount_in_words(10**15)
    with pytest.raises(ValidationError):
        amount_in_words(-(10**15))
    with pytest.raises(TypeError):
        amount_in_words(12.0)

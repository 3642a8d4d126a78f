"""Property tests: the invariants other modules rely on."""

from hypothesis import given
from hypothesis import strategies as st

from app.persian import (
    MoneyUnit,
    format_money,
    format_number,
    normalize_text,
    parse_money,
    parse_number,
    search_key,
)

# Bias text towards the characters the functions actually transform.
_PERSIAN_BITS = "يىكیکآأإؤةۀاوه٠٩۰۹09 \t\n\u200c\u200d\u200e\u200f\u0640\u064b\u0650\u0653\u0654\u0670ßİ"
texts = st.text(st.sampled_from(_PERSIAN_BITS)) | st.text()


@given(texts)
def test_search_key_idempotent(s):
    assert search_key(search_key(s)) == search_key(s)


@given(texts)
def test_search_key_ignores_storage_normalisation(s):
    assert search_key(normalize_text(s)) == search_key(s)


@given(texts)
def test_normalize_text_idempotent(s):
    assert normalize_text(normalize_text(s)) == normalize_text(s)


@given(st.integers())
def test_number_round_trip(n):
    assert parse_number(format_number(n)) == n


@given(st.integers())
def test_money_round_trip_rial(n):
    assert parse_money(format_money(n)) == n
    assert parse_money(format_money(n, with_unit=False)) == n


@given(st.integers())
def test_money_round_trip_toman_loses_only_the_last_rial_digit(n):
    back = parse_money(format_money(n, MoneyUnit.TOMAN))
    assert back == (abs(n) // 10 * 10) * (-1 if n < 0 else 1)
    assert parse_money(format_money(n, MoneyUnit.TOMAN, with_unit=False), MoneyUnit.TOMAN) == back

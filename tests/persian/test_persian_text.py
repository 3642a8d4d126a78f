"""Storage normalisation and search-key folding (iran-rules.md §5)."""

import pytest

from app.persian import normalize_text, search_key, to_ascii_digits, to_persian_digits

ZWNJ = "\u200c"


def test_digit_helpers():
    assert to_ascii_digits("۰۹۱۲ ٠٩١٢ 0912") == "0912 0912 0912"
    assert to_persian_digits("0912 ٠٩١٢ ۰۹۱۲") == "۰۹۱۲ ۰۹۱۲ ۰۹۱۲"


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        (None, ""),
        ("", ""),
        ("  علي   كريمي  ", "علی کریمی"),
        ("بيمارى", "بیماری"),
        (
            "پلاک ٤٥٦ و ۱۲۳ و 789",
            "پلاک ۴۵۶ و ۱۲۳ و 789",
        ),  # only Arabic-Indic digits change
        (f"کتاب{ZWNJ}ها", f"کتاب{ZWNJ}ها"),  # ZWNJ kept
        ("بِخَرَم", "بِخَرَم"),  # diacritics kept (persiantools.ar_to_fa would drop some)
        ("خط اول  \r\n\n  خط\tدوم ", "خط اول\n\nخط دوم"),  # line breaks kept
    ],
)
def test_normalize_text(raw, stored):
    assert normalize_text(raw) == stored


@pytest.mark.parametrize(
    "variants",
    [
        ["علی زاده", "علیزاده", f"علی{ZWNJ}زاده", " علي  زاده "],
        ["كريمي", "کریمی", "کریمى"],
        ["۰۹۱۲", "0912", "٠٩١٢", "۰ ۹ ۱ ۲"],
        [f"کتاب{ZWNJ}ها", "کتابها", "کتاب ها"],
        ["آرش", "ارش", "\u0627\u0653رش"],  # last: alef + combining maddah
        ["أحمد", "احمد", "إحمد"],
        ["مؤسسه", "موسسه"],
        ["مدرسة", "مدرسه"],
        ["خانۀ", "خانهٔ", "خانه"],
        ["بِخَرَم", "بخرم", "بخـــرم"],  # diacritics and tatweel
        ["\u200fتهران\u200e", "تهران"],  # direction marks
        ["Peyvand CRM", "peyvandcrm", "PEYVAND crm"],
        ["Straße", "STRASSE"],
    ],
)
def test_search_key_equivalences(variants):
    keys = {search_key(v) for v in variants}
    assert len(keys) == 1, keys


def test_search_key_values():
    assert search_key("كريمي ۰۹۱۲") == "کریمی0912"
    assert search_key(None) == ""
    assert search_key(" \u200c ") == ""


def test_search_key_keeps_real_differences():
    assert search_key("کریم") != search_key("کریمی")
    assert search_key("0912") != search_key("0913")

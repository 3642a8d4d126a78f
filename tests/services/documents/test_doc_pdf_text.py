"""Persian text for ReportLab: shaping, bidi order, bracket mirroring, wrapping, glyph coverage.

`shape` returns the *visual* string (drawn left to right).  NFKC folds the
presentation forms back to plain letters, so a visual string can be compared
with a readable expectation written left to right.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal

import arabic_reshaper
import pytest
from bidi.algorithm import get_display
from reportlab.pdfbase import pdfmetrics

from app.services.documents.pdf_text import (
    FONT,
    FONT_BOLD,
    format_quantity,
    persian_id,
    register_fonts,
    shape,
    text_width,
    wrap,
)


@pytest.fixture(autouse=True, scope="module")
def _fonts() -> None:
    register_fonts()


def visual(text: str) -> str:
    return unicodedata.normalize("NFKC", shape(text))


def test_plain_persian_is_reversed_and_joined() -> None:
    drawn = shape("مشخصات فروشنده")
    assert unicodedata.normalize("NFKC", drawn) == "هدنشورف تاصخشم"
    # Joined forms, not the isolated letters: م at the start of «مشخصات» is initial.
    assert "\ufee3" in drawn


@pytest.mark.parametrize(
    ("logical", "drawn"),
    [
        # Reading right to left: «کارتریج تونر مشکی», «۸۵A», «(۲ عدد)» with the brackets facing inwards.
        ("کارتریج تونر مشکی ۸۵A (۲ عدد)", "(ددع ۲) ۸۵A یکشم رنوت جیرتراک"),
        ("قیمت (۱۰ عدد) نهایی", "ییاهن (ددع ۱۰) تمیق"),
        ("HP LaserJet Pro (کارکرده)", "(هدرکراک) HP LaserJet Pro"),
        ("گارانتی [۱۸ ماهه]", "[ههام ۱۸] یتناراگ"),
        ("تلفن: ۰۲۱-۸۸۷۷۶۶۵۵", "۰۲۱-۸۸۷۷۶۶۵۵ :نفلت"),
        ("جمع: -۱٬۲۰۰ ریال", "لایر -۱٬۲۰۰ :عمج"),
        ("شماره ۱۴۰۴-۰۰۱۲، ۱۴۰۴-۰۰۱۳ است", "تسا ۱۴۰۴-۰۰۱۳ ،۱۴۰۴-۰۰۱۲ هرامش"),
        ("تاریخ: ۱۴۰۴/۰۹/۰۱", "۱۴۰۴/۰۹/۰۱ :خیرات"),
        ("۸٬۴۷۰٬۰۰۰ ریال", "لایر ۸٬۴۷۰٬۰۰۰"),
        # Two identifiers under «شناسه ملی / شماره ثبت»: the first one on the right, by its label.
        ("۱۰۱۰۰۳۸۷۱۴۳ / ۴۵۲۱۸۷", "۴۵۲۱۸۷ / ۱۰۱۰۰۳۸۷۱۴۳"),
        ("-۱٬۲۰۰", "-۱٬۲۰۰"),
        ("۲٫۵", "۲٫۵"),
    ],
    ids=[
        "latin-then-digit",
        "brackets",
        "latin-first",
        "square",
        "phone",
        "minus",
        "list",
        "date",
        "amount",
        "two-ids",
        "negative",
        "decimal",
    ],
)
def test_mixed_text_reads_correctly(logical: str, drawn: str) -> None:
    assert visual(logical) == drawn


def test_the_new_bidi_api_would_have_broken_the_brackets() -> None:
    # Guard for the reason we use the legacy algorithm: if both agreed this test would be moot.
    from bidi import get_display as new_get_display

    text = arabic_reshaper.reshape("قیمت (۱۰ عدد) نهایی")
    assert new_get_display(text, base_dir="R") != get_display(text, base_dir="R")


def test_latin_and_numbers_are_left_alone() -> None:
    for text in ("HP LaserJet Pro M404dn", "۸٬۴۷۰٬۰۰۰", "021-88776655", ""):
        assert shape(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "مشخصات فروشنده",
        "نام شخص حقیقی / حقوقی:",
        "می‌خواهم، آن را ببینم.",
        "هشت میلیون و چهارصد و هفتاد هزار ریال",
        "آیا؟ بله!",
        "لا إله",
        "واحد اندازه‌گیری",
    ],
)
def test_fast_path_matches_the_bidi_algorithm(text: str) -> None:
    assert shape(text) == get_display(arabic_reshaper.reshape(text), base_dir="R")


def test_pasted_isolates_do_not_crash_the_legacy_algorithm() -> None:
    assert visual("کد \u2066ABC\u2069 است") == "تسا ABC دک"


def test_every_persian_glyph_is_in_vazirmatn() -> None:
    face = pdfmetrics.getFont(FONT).face
    alphabet = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیءآأؤئۀةۀ"
    words = [alphabet, *(ch * 3 for ch in alphabet), "لا الله ۰۱۲۳۴۵۶۷۸۹ ٬ ٫ «» ٪ ، ؛ ؟"]
    missing = {ch for word in words for ch in shape(word) if ord(ch) not in face.charToGlyph and ch != " "}
    assert missing == set()


def test_heh_with_yeh_isolated_falls_back_to_the_base_letter() -> None:
    # Vazirmatn has no U+FBA4; the reshaper would emit it for «ۀ» after a non-joining letter.
    assert "\ufba4" not in shape("خانۀ ما و ۀ")
    assert "\u06c0" in shape("ۀ")


def test_the_font_has_no_check_box_glyph() -> None:
    # Why settlement boxes are drawn as rectangles rather than typed as ☐/☑.
    face = pdfmetrics.getFont(FONT).face
    assert not {0x2610, 0x2611, 0x2612} & set(face.charToGlyph)


def _logical(line: str) -> str:
    """Undo `shape` for plain Persian lines (reverse, fold presentation forms)."""
    return unicodedata.normalize("NFKC", line)[::-1]


def test_wrap_keeps_lines_in_reading_order_and_within_width() -> None:
    text = "خدمات نصب و راه‌اندازی شبکه در محل مشتری شامل کابل‌کشی تست و مستندسازی کامل"
    width = 90.0
    lines = wrap(text, FONT, 8, width)
    assert len(lines) >= 3
    assert all(pdfmetrics.stringWidth(line, FONT, 8) <= width for line in lines)
    assert _logical(lines[0]).startswith("خدمات نصب")
    assert " ".join(_logical(line) for line in lines) == text.replace("\u200c", "")


def test_wrap_reorders_each_line_separately() -> None:
    width = text_width("کارتریج تونر مشکی ۸۵A", FONT, 8) + 1
    lines = wrap("کارتریج تونر مشکی ۸۵A (۲ عدد) اصل", FONT, 8, width)
    assert [unicodedata.normalize("NFKC", line) for line in lines] == [
        "۸۵A یکشم رنوت جیرتراک",
        "لصا (ددع ۲)",
    ]


def test_wrap_breaks_a_word_longer_than_the_line() -> None:
    lines = wrap("2710000138624271000013862427100001386242710000138624", FONT, 8, 60)
    assert len(lines) > 1
    assert "".join(lines) == "2710000138624271000013862427100001386242710000138624"
    assert all(pdfmetrics.stringWidth(line, FONT, 8) <= 60 for line in lines)


def test_wrap_keeps_hard_line_breaks() -> None:
    assert [_logical(line) for line in wrap("سطر اول\nسطر دوم", FONT_BOLD, 8, 500)] == ["سطر اول", "سطر دوم"]
    assert wrap("", FONT, 8, 100) == [""]


def test_text_width_measures_the_joined_forms() -> None:
    joined = text_width("مشخصات", FONT, 10)
    isolated = pdfmetrics.stringWidth("م ش خ ص ا ت".replace(" ", ""), FONT, 10)
    assert 0 < joined < isolated


@pytest.mark.parametrize(
    ("quantity", "text"),
    [
        (2, "۲"),
        (1500, "۱٬۵۰۰"),
        (Decimal("2.50"), "۲٫۵"),
        (Decimal("12.5"), "۱۲٫۵"),
        (Decimal("1E+3"), "۱٬۰۰۰"),
        (Decimal("0.125"), "۰٫۱۲۵"),
    ],
)
def test_format_quantity(quantity: Decimal | int, text: str) -> None:
    assert format_quantity(quantity) == text


def test_persian_id_converts_digits_only_in_pure_numbers() -> None:
    assert persian_id("021-88776655") == "۰۲۱-۸۸۷۷۶۶۵۵"
    assert persian_id(" 1404-0012 ") == "۱۴۰۴-۰۰۱۲"
    assert persian_id("TRX-88213") == "TRX-88213"


def test_register_fonts_is_idempotent() -> None:
    register_fonts()
    register_fonts()
    assert pdfmetrics.getFont(FONT).face.name.endswith(b"Vazirmatn-Regular")
    assert pdfmetrics.getFont(FONT_BOLD).face.name.endswith(b"Vazirmatn-Bold")

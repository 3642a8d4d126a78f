"""Rendered PDFs, read back with poppler (pdftotext, pdffonts, pdftoppm).

pdftotext -layout gives Persian in logical order (each line's /ActualText),
with bidi marks, and it lays out a page's columns with spaces; `fold`
therefore applies NFKC and drops marks, ZWNJ and all whitespace before
comparing (test_pdf_extraction.py compares the exact text).  Where the place of things matters (the
right-to-left table) the tests read `pdftotext -bbox`, which gives each drawn
line as one word at its place, its text laid out as drawn (the line's
/ActualText; test_pdf_extraction.py checks the text a reader gets back).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from dataclasses import replace
from pathlib import Path

import pytest

from app.persian import MoneyUnit, ValidationError, to_persian_digits
from app.services.documents import (
    DocumentKind,
    DocumentLine,
    PaymentMethod,
    ReceiptInfo,
    render_pdf,
    write_pdf,
)
from app.services.documents.samples import BUYER, PERSON_BUYER, sample_document
from tests.conftest import TEST_OUTPUT

_MARKS = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def fold(text: str) -> str:
    return "".join(_MARKS.sub("", unicodedata.normalize("NFKC", text)).split())


def poppler(tool: str, *args: str) -> str:
    assert shutil.which(tool), f"{tool} missing: apt-get install poppler-utils"
    return subprocess.run([tool, *args], capture_output=True, text=True, check=True, timeout=60).stdout


def pages_text(pdf: Path, *flags: str) -> list[str]:
    """Text of each page (pdftotext separates pages with a form feed)."""
    return poppler("pdftotext", *flags, str(pdf), "-").split("\f")[:-1]


def page_count(pdf: Path) -> int:
    return int(re.search(r"Pages:\s+(\d+)", poppler("pdfinfo", str(pdf))).group(1))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("documents")
    docs = {kind.value: sample_document(kind) for kind in DocumentKind}
    docs["long"] = long_invoice(60)
    docs["toman"] = replace(sample_document(DocumentKind.QUOTE), money_unit=MoneyUnit.TOMAN)
    docs["brackets"] = replace(
        sample_document(DocumentKind.INVOICE),
        lines=[DocumentLine("کارتریج تونر مشکی ۸۵A (۲ عدد)", 1, 18_500_000, "بسته", vat_rate=10)],
    )
    return {name: write_pdf(doc, folder / f"{name}.pdf") for name, doc in docs.items()}


def long_invoice(count: int):
    lines = [
        DocumentLine(
            f"کالای شماره {to_persian_digits(str(n))} آزمایشی", n % 4 + 1, 1_000_000 + n * 1000, "عدد", vat_rate=10
        )
        for n in range(1, count + 1)
    ]
    return replace(sample_document(DocumentKind.INVOICE), lines=lines)


def test_invoice_has_every_part_of_the_form(rendered: dict[str, Path]) -> None:
    (text,) = pages_text(rendered["invoice"], "-layout")
    found = fold(text)
    expected = [
        "صورتحساب فروش کالا و خدمات",
        "شماره:",
        "۱۴۰۴-۰۰۱۲",
        "۱۴۰۴/۰۹/۰۱",
        "مشخصات فروشنده",
        "شرکت پیوند تجارت پارس",
        "۴۱۱۳۳۷۸۹۴۱۵۹",
        "مشخصات خریدار",
        BUYER.name,
        "۱۴۰۰۴۸۰۰۱۰۱۰۱۰",
        "۸۱۳۶۶۱۳۶۹۹",
        "مشخصات کالا یا خدمات مورد معامله",
        "کالای نمونه الف",
        "خدمات نصب",
        "2710000138624",  # the product code as typed
        "۳٬۷۵۰٬۰۰۰",
        "۷٬۷۵۰٬۰۰۰",  # totals row
        "۷٬۷۰۰٬۰۰۰",
        "۷۷۰٬۰۰۰",
        "۸٬۴۷۰٬۰۰۰",
        "جمع کل (ریال)",
        "شرایط و نحوه فروش",
        "غیر نقدی",
        "مبلغ قابل پرداخت به حروف",
        "هشت میلیون و چهارصد و هفتاد هزار ریال",
        "توضیحات",
        "مهر و امضای فروشنده",
        "مهر و امضای خریدار",
        "صفحه ۱ از ۱",
    ]
    # pdftotext does not mirror brackets back: compare bracketed labels without them.
    missing = [
        e for e in expected if fold(e.replace("(", "").replace(")", "")) not in found.replace("(", "").replace(")", "")
    ]
    assert missing == []
    assert "۸٬۴۷۰٬۰۰۰" in text  # the grouped Persian digits survive as one token
    assert "8470000" not in found and "8,470,000" not in found


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("quote", ["پیش‌فاکتور", "اعتبار تا", "۱۴۰۴/۰۹/۱۵", "مبلغ قابل پرداخت به حروف", "هشت میلیون"]),
        ("return", ["صورتحساب برگشت از فروش", "صورتحساب مرجع", "۱۴۰۴-۰۰۱۲", "مبلغ قابل استرداد به حروف"]),
        (
            "receipt",
            [
                "رسید دریافت وجه",
                "مشخصات دریافت‌کننده",
                "مشخصات پرداخت‌کننده",
                PERSON_BUYER.name,
                "کد ملی",
                "۰۴۹۹۳۷۰۸۹۹",
                "۸٬۴۷۰٬۰۰۰",
                "هشت میلیون و چهارصد و هفتاد هزار ریال",
                "روش پرداخت",
                "چک",
                "۷۷۸۸۱۲۳",
                "بانک ملت شعبه ونک",
                "۱۴۰۴/۱۰/۱۵",
                "۱۲۳۴۵۶۷۸۹۰۱۲۳۴۵۶",
                "TRX-88213",
                "۱۴۰۴-۰۰۱۳",
                "مهر و امضای دریافت‌کننده",
            ],
        ),
    ],
)
def test_each_kind_has_its_title_and_fields(rendered: dict[str, Path], name: str, expected: list[str]) -> None:
    found = fold("".join(pages_text(rendered[name], "-layout")))
    assert [e for e in expected if fold(e) not in found] == []


def test_quote_has_no_invoice_title_and_a_draft_number(rendered: dict[str, Path]) -> None:
    found = fold("".join(pages_text(rendered["quote"], "-layout")))
    assert fold("صورتحساب فروش") not in found
    assert fold("پیش‌نویس") not in found  # a quote's empty number stays empty


def test_toman_setting_shows_toman_on_a_quote(rendered: dict[str, Path]) -> None:
    found = fold("".join(pages_text(rendered["toman"], "-layout")))
    assert fold("۸۴۷٬۰۰۰") in found
    assert fold("هشتصد و چهل و هفت هزار تومان") in found
    assert fold("جمع کل تومان") in found.replace("(", "").replace(")", "")
    assert "۸٬۴۷۰٬۰۰۰" not in found
    assert fold("ریال") not in found


def test_brackets_and_latin_read_right_to_left(rendered: dict[str, Path]) -> None:
    # Drawn «(ددع ۲) ۸۵A یکشم رنوت جیرتراک» (test_doc_pdf_text.py); a reader gets the line as typed,
    # not «(عدد ۲) ۸۵A مشکی» nor «۲) عدد(».
    text = " ".join(_MARKS.sub("", pages_text(rendered["brackets"])[0]).split())
    assert "کارتریج تونر مشکی ۸۵A (۲ عدد)" in text


def test_line_table_runs_right_to_left(rendered: dict[str, Path]) -> None:
    boxes = poppler("pdftotext", "-bbox", "-f", "1", "-l", "1", str(rendered["invoice"]), "-")
    words = [
        (float(x0), float(y0), float(x1), unicodedata.normalize("NFKC", w))
        for x0, y0, x1, w in re.findall(
            r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<', boxes
        )
    ]
    # Each drawn line is one "word", its Persian reversed as drawn: «فیدر» is ردیف, «الاک دک» کد کالا.
    (header_y,) = {y0 for _, y0, _, w in words if w == "فیدر"}

    def x_of(visual_word: str) -> float:
        (x,) = [x0 for x0, y0, _, w in words if visual_word in w.split() and abs(y0 - header_y) < 12]
        return x

    # ردیف | کد کالا | شرح کالا | تعداد, from the right edge leftwards.
    assert x_of("فیدر") > x_of("دک") > x_of("حرش") > x_of("دادعت")
    assert max(x1 for _, _, x1, w in words if w == "فیدر") > 560  # column 1 at the right margin
    amounts = [x0 for x0, _, _, w in words if w == "۸٬۴۷۰٬۰۰۰"]
    assert min(amounts) < 60  # the grand total column is at the left edge


def test_long_invoice_flows_onto_pages_with_header_and_footer(rendered: dict[str, Path]) -> None:
    pdf = rendered["long"]
    count = page_count(pdf)
    assert count >= 2
    pages = [fold(p) for p in pages_text(pdf, "-layout")]
    assert len(pages) == count
    for number, page in enumerate(pages, start=1):
        assert fold(to_persian_digits(f"صفحه {number} از {count}")) in page
        assert fold("شرح کالا یا خدمات") in page and fold("مبلغ واحد") in page
    for page in pages[1:]:
        assert fold("صورتحساب فروش کالا و خدمات (ادامه)").replace("(", "").replace(")", "") in page.replace(
            "(", ""
        ).replace(")", "")
    everything = "".join(pages)
    missing = [n for n in range(1, 61) if fold(to_persian_digits(f"کالای شماره {n} آزمایشی")) not in everything]
    assert missing == []
    assert fold("مبلغ قابل پرداخت به حروف") in pages[-1]
    assert all(fold("مبلغ قابل پرداخت به حروف") not in p for p in pages[:-1])


def test_vazirmatn_is_embedded_and_nothing_else_is_used(rendered: dict[str, Path]) -> None:
    for pdf in rendered.values():
        rows = [line.split() for line in poppler("pdffonts", str(pdf)).splitlines()[2:]]
        fonts = {row[0].split("+")[-1]: row[-5] for row in rows}  # name → emb column
        assert fonts == {"Vazirmatn-Regular": "yes", "Vazirmatn-Bold": "yes"}


def test_pngs_render_for_every_variant(rendered: dict[str, Path], tmp_path: Path) -> None:
    TEST_OUTPUT.mkdir(exist_ok=True)
    for name in ("quote", "invoice", "return", "receipt", "long"):
        prefix = tmp_path / name
        poppler("pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(rendered[name]), str(prefix))
        (png,) = tmp_path.glob(f"{name}-*.png")
        assert png.stat().st_size > 10_000  # a page with content, not a blank
        shutil.copyfile(png, TEST_OUTPUT / f"document_{name}.png")


def test_missing_logo_is_skipped_and_a_real_one_is_drawn(tmp_path: Path) -> None:
    from PIL import Image

    base = sample_document(DocumentKind.INVOICE)
    without = render_pdf(replace(base, logo_path=tmp_path / "nope.png"))
    logo = tmp_path / "logo.png"
    Image.new("RGB", (120, 80), (20, 90, 160)).save(logo)
    with_logo = render_pdf(replace(base, logo_path=logo))
    assert b"/Subtype /Image" in with_logo
    assert b"/Subtype /Image" not in without


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (dict(lines=()), "سند باید دست‌کم یک ردیف کالا یا خدمت داشته باشد"),
        (dict(lines=(DocumentLine("x", 1, 100, discount=500),)), "ردیف ۱: تخفیف نمی‌تواند بیشتر از مبلغ کل ردیف باشد"),
    ],
)
def test_bad_documents_raise_persian_errors(change: dict, message: str) -> None:
    with pytest.raises(ValidationError) as err:
        render_pdf(replace(sample_document(DocumentKind.INVOICE), **change))
    assert err.value.message == message


def test_return_needs_its_original_invoice_and_receipt_its_cheque() -> None:
    with pytest.raises(ValidationError):
        render_pdf(replace(sample_document(DocumentKind.RETURN), original_invoice_number=" "))
    receipt = sample_document(DocumentKind.RECEIPT)
    with pytest.raises(ValidationError):
        render_pdf(replace(receipt, receipt=ReceiptInfo(1000, PaymentMethod.CHEQUE)))
    assert render_pdf(replace(receipt, receipt=ReceiptInfo(1000, PaymentMethod.CARD_TO_CARD))).startswith(b"%PDF")

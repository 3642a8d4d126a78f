"""The printed layout of the official form (issue 14): money unit, drafts, the seller block, page
sums carried forward, wide amounts, characters the font cannot draw, product codes as typed.

PDFs are read back with poppler; where a test is about what is drawn (not the text an extractor
returns) it looks at the renderer's measured blocks, which are what gets drawn.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth

from app.persian import MoneyUnit
from app.services.admin.settings import CompanyInfo
from app.services.catalog.products import ProductData
from app.services.core.errors import ValidationFailed
from app.services.documents import DocumentKind, DocumentLine, render_pdf
from app.services.documents.arithmetic import compute_lines, compute_totals
from app.services.documents.lines import LineDraft
from app.services.documents.pdf_text import FONT, FONT_BOLD
from app.services.documents.quotes import QuoteDraft
from app.services.documents.render import _layout, party_block
from app.services.documents.samples import SELLER, sample_document
from app.services.documents.table import CELL_PAD, MIN_SIZE, WIDTHS, LineTable, Row, money_text
from tests.services.doc_helpers import DAY, example_lines, invoice_draft, issued_invoice, office

_MARKS = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069()]")


def fold(text: str) -> str:
    return "".join(_MARKS.sub("", unicodedata.normalize("NFKC", text)).split())


def poppler(tool: str, *args: str) -> str:
    assert shutil.which(tool), f"{tool} missing: apt-get install poppler-utils"
    return subprocess.run([tool, *args], capture_output=True, text=True, check=True, timeout=60).stdout


def pdf_pages(pdf: bytes, tmp_path: Path, *flags: str) -> list[str]:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    return poppler("pdftotext", *flags, str(path), "-").split("\f")[:-1]


def pdf_title(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    return re.search(r"^Title:\s+(.*)$", poppler("pdfinfo", str(path)), re.M).group(1)


def toman(kind: DocumentKind, lines=None):
    doc = replace(sample_document(kind), money_unit=MoneyUnit.TOMAN)
    return replace(doc, lines=lines) if lines else doc


# Amounts whose Rials do not end in 0: truncating each figure to Toman broke the sums.
ODD_LINES = [
    DocumentLine("کالای الف", 7, 1_234_567, "عدد", "T-001", vat_rate=10),
    DocumentLine("کالای ب", 3, 333_335, "عدد", discount=1, vat_rate=10),
]


def test_an_invoice_in_toman_mode_prints_in_rial_and_adds_up(tmp_path) -> None:
    found = fold("".join(pdf_pages(render_pdf(toman(DocumentKind.INVOICE, ODD_LINES)), tmp_path, "-layout")))
    amounts = compute_lines(line.to_input() for line in ODD_LINES)
    totals = compute_totals(amounts)
    assert fold("جمع کل ریال") in found and "تومان" not in found
    for rial in (*(a.tsstam for a in amounts), *(a.vam for a in amounts), totals.tvam, totals.tbill):
        assert fold(money_text(rial, MoneyUnit.RIAL)) in found


def test_a_toman_quote_converts_every_figure_exactly_so_columns_add_up(tmp_path) -> None:
    found = fold("".join(pdf_pages(render_pdf(toman(DocumentKind.QUOTE, ODD_LINES)), tmp_path, "-layout")))
    # 950,616.5 + 110,000.4 = 1,060,616.9 Toman; VAT 86,419.6 + 10,000 = 96,419.6 (Rial ÷ 10, nothing dropped)
    for figure in ("۹۵۰٬۶۱۶٫۵", "۱۱۰٬۰۰۰٫۴", "۸۶٬۴۱۹٫۶", "۹۶٬۴۱۹٫۶", "۱٬۰۶۰٬۶۱۶٫۹"):
        assert figure in found
    assert fold("جمع کل تومان") in found
    assert fold("یک میلیون و شصت هزار و ششصد و شانزده تومان و نه ریال") in found


@pytest.mark.parametrize("rials", [[4_070_005, 4_400_005], [6_115, 61_100_007, 19], [-19, 38]])
def test_toman_figures_sum_to_the_toman_total(rials: list[int]) -> None:
    def value(text: str) -> Decimal:
        ascii_text = unicodedata.normalize("NFKC", text).replace("٬", "").replace("٫", ".")
        return Decimal("".join(str(unicodedata.digit(c)) if c.isdigit() else c for c in ascii_text))

    parts = sum(value(money_text(r, MoneyUnit.TOMAN)) for r in rials)
    assert parts == value(money_text(sum(rials), MoneyUnit.TOMAN)) == Decimal(sum(rials)) / 10


def test_with_the_toman_setting_quotes_print_in_toman_and_invoices_in_rial(services, tmp_path) -> None:
    o = office(services)
    services.settings.set_money_unit(o.admin, MoneyUnit.TOMAN)
    quote = services.quotes.create(o.rep, QuoteDraft(o.customer, DAY, example_lines(o), DAY))
    found = fold("".join(pdf_pages(services.printing.pdf(o.rep, "quote", quote.id), tmp_path)))
    assert "۸۴۷٬۰۰۰" in found and fold("هشتصد و چهل و هفت هزار تومان") in found
    invoice = issued_invoice(o)
    found = fold("".join(pdf_pages(services.printing.pdf(o.rep, "invoice", invoice.id), tmp_path)))
    assert "۸٬۴۷۰٬۰۰۰" in found and "تومان" not in found


@pytest.mark.parametrize("kind", [DocumentKind.RETURN, DocumentKind.RECEIPT])
def test_returns_and_receipts_print_in_rial_in_toman_mode(kind: DocumentKind, tmp_path) -> None:
    found = fold("".join(pdf_pages(render_pdf(toman(kind)), tmp_path, "-layout")))
    assert "تومان" not in found and fold("ریال") in found


def test_a_draft_invoice_is_watermarked_on_every_page_and_has_no_number(tmp_path) -> None:
    draft = replace(sample_document(DocumentKind.INVOICE, lines=60), number="")
    pdf = render_pdf(draft)
    texts = pdf_pages(pdf, tmp_path, "-layout")
    assert len(texts) > 2
    assert fold("شماره:") not in fold("".join(texts))  # the number box says «وضعیت: پیش‌نویس»
    assert fold("پیش‌نویس صورتحساب فروش کالا و خدمات") in fold(texts[0])
    # The watermark: glyphs far larger than any text of the form, on each page.
    assert [max(heights) > 70 for heights in word_heights(pdf, tmp_path)] == [True] * len(texts)
    assert max(word_heights(render_pdf(sample_document(DocumentKind.INVOICE)), tmp_path)[0]) < 30


def word_heights(pdf: bytes, tmp_path: Path) -> list[list[float]]:
    """The height of every word pdftotext finds, page by page."""
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    pages = poppler("pdftotext", "-bbox", str(path), "-").split("<page ")[1:]
    box = re.compile(r'yMin="(-?[\d.]+)"[^>]*yMax="(-?[\d.]+)"')
    return [[float(b) - float(a) for a, b in box.findall(page)] for page in pages]


def test_pdf_title_has_persian_digits(tmp_path) -> None:
    assert (
        pdf_title(render_pdf(sample_document(DocumentKind.INVOICE)), tmp_path) == "صورتحساب فروش کالا و خدمات ۱۴۰۴-۰۰۱۲"
    )
    draft = replace(sample_document(DocumentKind.INVOICE), number="")
    assert pdf_title(render_pdf(draft), tmp_path) == "پیش‌نویس صورتحساب فروش کالا و خدمات"


def _field(grid, label: str):
    return next(cell for _, cells in grid.rows for cell in cells if cell[2].label == label)


def test_seller_codes_stay_on_one_line_and_a_spaced_phone_keeps_its_order() -> None:
    # ۳ is the widest digit: a 14-digit economic code of them must still fit its cell.
    seller = replace(SELLER, economic_code="33333333333333", phone="021 8877 6655", postal_code="3333333333")
    grid = party_block("مشخصات فروشنده", seller)
    assert _field(grid, "شماره اقتصادی")[3] == ["۳۳۳۳۳۳۳۳۳۳۳۳۳۳"]
    assert _field(grid, "کد پستی ۱۰ رقمی")[3] == ["۳۳۳۳۳۳۳۳۳۳"]
    # Drawn left to right as typed, not «۶۶۵۵ ۸۸۷۷ ۰۲۱».
    assert _field(grid, "شماره تلفن / نمابر")[3] == ["۰۲۱ ۸۸۷۷ ۶۶۵۵"]


def test_the_company_registration_number_is_kept_and_printed(services, tmp_path) -> None:
    o = office(services)
    with pytest.raises(ValidationFailed) as refused:
        services.settings.save_company(o.admin, CompanyInfo(name="شرکت پیوند", registration_number="۴۵۲ الف"))
    assert set(refused.value.errors) == {"registration_number"}
    services.settings.save_company(o.admin, CompanyInfo(name="شرکت پیوند", registration_number="۴۵۲۱۸۷"))
    assert services.settings.company().registration_number == "452187"
    invoice = issued_invoice(o)
    assert services.printing.document(o.rep, "invoice", invoice.id).seller.registration_number == "452187"
    found = fold(pdf_pages(services.printing.pdf(o.rep, "invoice", invoice.id), tmp_path, "-layout")[0])
    assert fold("شماره ثبت") in found and "۴۵۲۱۸۷" in found


def test_company_dialog_has_the_registration_number(qtbot, services) -> None:
    from app.ui.admin.company_dialog import CompanyDialog

    o = office(services)
    services.settings.save_company(o.admin, CompanyInfo(name="شرکت پیوند", registration_number="452187"))
    dialog = CompanyDialog(services.settings, o.admin, offer_sample_data=False)
    qtbot.addWidget(dialog)
    assert dialog.value().registration_number == "452187"


def test_each_page_of_a_long_invoice_carries_its_sums_forward(tmp_path) -> None:
    data = sample_document(DocumentKind.INVOICE, lines=60)
    table_rows = _row_pages(data)
    assert len(table_rows) > 2
    texts = [fold(t) for t in pdf_pages(render_pdf(data), tmp_path, "-layout")]
    amounts = compute_lines(line.to_input() for line in data.lines)
    done = 0
    for page, count in enumerate(table_rows):
        text = texts[page]
        if page:  # opens with what the earlier pages carried
            assert fold("نقل از صفحه قبل") in text and fold(_money(sum(a.tsstam for a in amounts[:done]))) in text
        if page < len(table_rows) - 1:
            assert fold("نقل به صفحه بعد") in text
            assert fold(_money(sum(a.tsstam for a in amounts[: done + count]))) in text
            assert fold(_money(sum(a.vam for a in amounts[: done + count]))) in text
            if page:
                assert fold("جمع این صفحه") in text
                assert fold(_money(sum(a.tsstam for a in amounts[done : done + count]))) in text
        done += count
    assert done == 60


def _money(rial: int) -> str:
    return money_text(rial, MoneyUnit.RIAL)


def _row_pages(data) -> list[int]:
    """How many line rows each page holds, read from the layout (pages without rows left off)."""
    counts = []
    for page in _layout(data):
        rows = [b for b, _ in page if isinstance(b, Row) and b.merge_first == 1 and b.fill is None]
        if rows:
            counts.append(len(rows))
    return counts


def test_huge_amounts_wrap_at_digit_groups_instead_of_shrinking_unreadably() -> None:
    lines = [DocumentLine("کالای گران", 9, 99_999_999_999_999, "عدد", vat_rate=10)]
    amounts = compute_lines(line.to_input() for line in lines)
    table = LineTable(lines, amounts, compute_totals(amounts), MoneyUnit.RIAL)
    wrapped = 0
    for row in (*table.rows, table.totals):
        for cell, width in zip(row.cells[-5:], WIDTHS[-5:], strict=True):
            assert cell.size >= MIN_SIZE
            font = FONT_BOLD if cell.bold else FONT
            assert all(stringWidth(line, font, cell.size) <= width - 2 * CELL_PAD for line in cell.lines)
            wrapped += len(cell.lines) > 1
            assert "".join(cell.lines) == money_text(int(_digits(cell.lines)), MoneyUnit.RIAL)
    assert wrapped


def _digits(lines) -> str:
    return "".join(str(unicodedata.digit(c)) for c in "".join(lines) if c.isdigit())


def test_product_codes_print_as_typed(tmp_path) -> None:
    lines = [DocumentLine("کالای الف", 1, 1_000, "عدد", "T-001", vat_rate=10),
             DocumentLine("کالای ب", 1, 1_000, "عدد", "2710000138624", vat_rate=10)]  # fmt: skip
    # Reading order, marks folded away: a line's /ActualText holds invisible marks (actual_text.py).
    text = fold("".join(pdf_pages(render_pdf(replace(sample_document(DocumentKind.INVOICE), lines=lines)), tmp_path)))
    assert "T-001" in text and "2710000138624" in text
    assert "T-۰۰۱" not in text


@pytest.mark.parametrize("description", ["کالای نمونه 😀", "پرینتر ✓"])
def test_lines_with_characters_the_pdf_cannot_draw_are_refused_by_row(services, description: str) -> None:
    o = office(services)
    lines = [LineDraft(description, Decimal(1), 1_000, 0, None, None)]
    with pytest.raises(ValidationFailed) as refused:
        services.invoices.create(o.rep, invoice_draft(o, lines))
    message = refused.value.errors["lines.0"]
    assert message.startswith("ردیف ۱: «شرح»") and description.split()[-1] in message


@pytest.fixture
def toner(services):
    o = office(services)
    product = services.products.get(o.rep, services.products.save(o.admin, ProductData(code="T-001", name="تونر")))
    return o, product


def test_the_document_line_editor_shows_product_codes_as_typed(qtbot, services, toner) -> None:
    from app.ui.documents.document_lines import CODE, DocumentLinesEditor

    o, product = toner
    lines = DocumentLinesEditor(services, o.rep)
    qtbot.addWidget(lines)
    lines.add_line(product)
    assert lines.table.item(0, CODE).text() == "T-001"


def test_the_opportunity_products_grid_shows_product_codes_as_typed(qtbot, services, toner) -> None:
    from app.ui.opportunities.opportunity_lines import LinesEditor

    o, product = toner
    grid = LinesEditor(services, o.rep)
    qtbot.addWidget(grid)
    grid.choose(product)
    assert grid.add_current()
    assert grid.table.item(0, 0).text() == "T-001"


def test_the_invoice_form_says_which_row_has_an_emoji(qtbot, services) -> None:
    from app.ui.documents.document_lines import DESC, PRICE
    from app.ui.documents.invoice_form import InvoiceForm

    o = office(services)
    form = InvoiceForm(services, o.rep)
    qtbot.addWidget(form)
    form.identity.set_identity(o.customer, "فروشگاه لوازم اداری نگین")
    form.lines.add_line(None)
    form.lines.table.item(0, DESC).setText("کیک تولد 🎂")
    form.lines.table.item(0, PRICE).setText("1000")
    assert not form.save()
    assert "ردیف ۱" in form.lines.error.text() and "🎂" in form.lines.error.text()
    assert form.lines.table.item(0, DESC).text() == "کیک تولد 🎂"  # kept for the user to fix


def test_document_notes_with_an_emoji_are_refused_by_the_notes_field(services) -> None:
    o = office(services)
    with pytest.raises(ValidationFailed) as refused:
        services.invoices.create(o.rep, invoice_draft(o, notes="تحویل فوری 🚚"))
    assert set(refused.value.errors) == {"notes"} and "🚚" in refused.value.errors["notes"]

"""Search and copy in printed documents: both PDF text extractors give back the logical text.

poppler (`pdftotext`; Evince, Okular) and pdfium (QtPdf's `QPdfDocument`; Chrome, Edge) must
return every printed line as it was typed: ZWNJ kept («لپ‌تاپ»), no presentation forms (nothing
is NFKC-folded here), brackets the right way round, Latin and digits in reading order («T-001»,
«کابل USB 2.0 (۳ متری)»).  pdfium gives them back exactly (bar repeated spaces); for poppler
`readable` also drops what a reader cannot see: the embeddings pdftotext adds to every
right-to-left line and the RLM/LRM its ActualText needs (see actual_text.py).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from app.models import Identity
from app.models.enums import MoneyDirection, PaymentMethod
from app.persian import format_number, search_key
from app.services.admin.settings import CompanyInfo
from app.services.core.actor import SYSTEM
from app.services.documents import DocumentKind, DocumentLine, render_pdf
from app.services.documents.lines import LineDraft
from app.services.documents.quotes import QuoteDraft
from app.services.documents.receipts import Allocation, ReceiptDraft
from app.services.documents.returns import ReturnDraft, ReturnLineDraft
from app.services.documents.samples import sample_document
from tests.services.doc_helpers import DAY, add_product, invoice_draft, issued_invoice, office

_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
CUSTOMER = "فروشگاه لپ‌تاپ پارس (شعبه ۲)"
NAMES = ("لپ‌تاپ (مدل ۲۰۲۵)", "کتاب‌های درسی", "کابل USB 2.0 (۳ متری)")
NOTE = "تحویل کابل USB 2.0 (۳ متری) با کد T-001 در تاریخ ۱۴۰۴/۰۹/۰۱"


def readable(text: str) -> str:
    return re.sub(r"[ \t]+", " ", _MARKS.sub("", text))


def poppler_text(pdf: bytes, tmp_path: Path, *flags: str) -> str:
    assert shutil.which("pdftotext"), "pdftotext missing: apt-get install poppler-utils"
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    run = subprocess.run(["pdftotext", *flags, str(path), "-"], capture_output=True, text=True, check=True, timeout=60)
    return run.stdout


def pdfium(pdf: bytes):
    """The document opened in QtPdf (pdfium), as the preview and a Chromium browser read it."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtPdf import QPdfDocument

    document, buffer = QPdfDocument(), QBuffer()
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    assert document.status() == QPdfDocument.Status.Ready
    document._buffer = buffer  # the document reads from it until closed
    return document


def pdfium_text(pdf: bytes) -> str:
    document = pdfium(pdf)
    return "\n".join(document.getAllText(page).text() for page in range(document.pageCount()))


def assert_extracted(pdf: bytes, tmp_path: Path, expected: list[str], marked: tuple[str, ...] = ()) -> None:
    """`marked`: lines of mostly Latin words, which pdfium still reads with RLMs (actual_text.py)."""
    for name, text in (
        ("pdftotext", poppler_text(pdf, tmp_path)),
        ("pdftotext -layout", poppler_text(pdf, tmp_path, "-layout")),
        ("QtPdf", pdfium_text(pdf)),
    ):
        # pdfium gives back the logical line exactly (no marks); poppler needs RLM/LRM (actual_text.py).
        found = re.sub(r"[ \t]+", " ", text) if name == "QtPdf" else readable(text)
        assert [e for e in expected if e not in found and e not in marked] == [], name
        assert [e for e in marked if e not in readable(text)] == [], name


@pytest.fixture
def printed(services, qapp) -> dict[str, tuple[bytes, list[str]]]:
    """Every document kind printed through the services, with the lines each must give back."""
    o = office(services)
    o.services.settings.save_company(
        o.admin, CompanyInfo(name="شرکت پیوند تجارت پارس", economic_code="411337894159", phone="021-88776655")
    )
    with services.db.write(SYSTEM) as s:
        customer = s.get(Identity, o.customer)
        customer.display_name, customer.name_key = CUSTOMER, search_key(CUSTOMER)
        codes = ("T-001", "B-12", "USB-2")
        products = [add_product(s, code, name, 2_500_000, on_hand=50) for code, name in zip(codes, NAMES, strict=True)]
    lines = [LineDraft("", Decimal(2), 2_500_000, 0, None, product) for product in products]
    quote = o.services.quotes.create(o.rep, QuoteDraft(o.customer, DAY, lines, DAY + dt.timedelta(30), notes=NOTE))
    invoice = issued_invoice(o, lines, notes=NOTE)
    ret = o.services.returns.create(
        o.rep, ReturnDraft(invoice.id, DAY, [ReturnLineDraft(line.id, Decimal(1)) for line in invoice.lines])
    )
    ret = o.services.returns.issue(o.rep, ret.id)
    receipt = o.services.receipts.create(
        o.rep,
        ReceiptDraft(o.customer, 1_250_000, DAY, PaymentMethod.BANK_TRANSFER, reference="TRX-88213", notes=NOTE,
                     allocations=[Allocation(invoice.id, 1_250_000)]),
    )  # fmt: skip
    payment = o.services.receipts.create(
        o.rep, ReceiptDraft(o.customer, 750_000, DAY, PaymentMethod.BANK_TRANSFER, MoneyDirection.OUT, notes=NOTE)
    )
    sold = [*NAMES, "T-001", "B-12", "USB-2", CUSTOMER, NOTE]
    records = {
        "quote": (quote.id, [*sold, "پیش‌فاکتور", format_number(quote.totals.total)]),
        "invoice": (invoice.id, [*sold, "صورتحساب فروش کالا و خدمات", format_number(invoice.totals.total)]),
        "return": (ret.id, [*NAMES, "T-001", CUSTOMER, "صورتحساب برگشت از فروش", "مبلغ قابل استرداد به حروف"]),
        "receipt": (receipt.id, [CUSTOMER, NOTE, "رسید دریافت وجه", "TRX-88213", "۱٬۲۵۰٬۰۰۰ ریال"]),
        "payment": (payment.id, [CUSTOMER, NOTE, "۷۵۰٬۰۰۰ ریال", "شرکت پیوند تجارت پارس"]),
    }
    return {kind: (o.services.printing.pdf(o.rep, kind, rid), expected) for kind, (rid, expected) in records.items()}


@pytest.mark.parametrize("kind", ["quote", "invoice", "return", "receipt", "payment"])
def test_every_document_kind_gives_back_what_was_printed(printed, kind: str, tmp_path: Path) -> None:
    pdf, expected = printed[kind]
    assert_extracted(pdf, tmp_path, expected)


def test_no_presentation_forms_and_no_lost_zwnj(printed, tmp_path: Path) -> None:
    pdf, _ = printed["invoice"]
    for text in (poppler_text(pdf, tmp_path), pdfium_text(pdf)):
        assert not re.search("[\ufb50-\ufdff\ufe70-\ufefc]", text)  # joined glyph forms
        assert "لپتاپ" not in text and "کتابهای" not in text
        assert "(۲۰۲۵ مدل)" not in readable(text) and "2.0 USB" not in readable(text)


def test_a_total_copied_by_dragging_over_it_is_the_printed_digits(printed, tmp_path: Path) -> None:
    from PySide6.QtCore import QPointF

    pdf, expected = printed["invoice"]
    total = expected[-1]
    document = pdfium(pdf)
    found = document.getAllText(0).text()
    assert total in found
    box = document.getSelectionAtIndex(0, found.index(total), len(total)).boundingRectangle()
    # A drag across the printed number, as an accountant selects it: exactly its digits, no marks.
    middle = box.center().y()
    dragged = document.getSelection(0, QPointF(box.left() + 0.5, middle), QPointF(box.right() - 0.5, middle)).text()
    assert dragged == total
    crop = ["-x", str(int(box.left()) - 1), "-y", str(int(box.top())), "-W", str(int(box.width()) + 3)]
    copied = poppler_text(pdf, tmp_path, *crop, "-H", str(int(box.height()) + 1))
    assert copied.strip() == total


TRICKY = [
    "کارتریج تونر مشکی ۸۵A (۲ عدد)",
    "«ویژه» HP LaserJet Pro",
    "کاغذ A4 کپی ۸۰ گرمی",
    "کد HP-85A تاریخ ۱۴۰۴/۰۹/۰۱",
    "تلفن ۰۲۱-۸۸۷۷۶۶۵۵، داخلی ۲",
    "تخفیف ۵۰٪ تا پایان ماه",
    "علی‌رضا: بسته [۳ تایی] / ۲ کارتن",
]


def test_mixed_persian_latin_and_digits_come_back_in_reading_order(tmp_path: Path, qapp) -> None:
    lines = [DocumentLine(text, 1, 1_000_000, "عدد", "T-001", vat_rate=10) for text in TRICKY]
    pdf = render_pdf(replace(sample_document(DocumentKind.INVOICE), lines=lines))
    assert_extracted(pdf, tmp_path, [*TRICKY, "T-001"], marked=("«ویژه» HP LaserJet Pro",))


def test_a_drafts_watermark_reads_as_written(services, qapp, tmp_path: Path) -> None:
    o = office(services)
    draft = o.services.invoices.create(o.rep, invoice_draft(o))
    pdf = o.services.printing.pdf(o.rep, "invoice", draft.id)
    for text in (poppler_text(pdf, tmp_path), pdfium_text(pdf)):
        # The diagonal watermark is a line of its own (the title and the footer name the draft too).
        assert "پیش‌نویس" in [line.strip() for line in readable(text).splitlines()]


def test_pdfiums_own_search_finds_names_and_codes(printed, qtbot) -> None:
    """QtPdf's search (as in the preview, and Chromium's find) matches the typed text exactly."""
    from PySide6.QtCore import QModelIndex
    from PySide6.QtPdf import QPdfSearchModel

    document = pdfium(printed["invoice"][0])
    model = QPdfSearchModel()
    model.setDocument(document)
    for query in ("لپ‌تاپ (مدل ۲۰۲۵)", "T-001", "کابل USB 2.0 (۳ متری)"):
        model.setSearchString(query)
        qtbot.waitUntil(lambda: model.rowCount(QModelIndex()) > 0, timeout=3000)

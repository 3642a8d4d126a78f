"""PDFs of documents built from the database (the renderer's own layout tests are its engineer's).

pdftotext gives Persian in logical order as presentation forms: NFKC and dropping spaces and
bidi marks make it comparable with the expected strings.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest

from app.models.enums import MoneyDirection, PaymentMethod
from app.persian import to_persian_digits
from app.services.admin.settings import CompanyInfo
from app.services.core.errors import AccessDenied, NotFound
from app.services.documents.document_data import PartyType
from app.services.documents.lines import LineDraft
from app.services.documents.quotes import QuoteDraft
from app.services.documents.receipts import Allocation, ReceiptDraft
from app.services.documents.returns import ReturnDraft, ReturnLineDraft
from tests.services.doc_helpers import DAY, example_lines, issued_invoice, office

_MARKS = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069()]")


def fold(text: str) -> str:
    return "".join(_MARKS.sub("", unicodedata.normalize("NFKC", text)).split())


def poppler(tool: str, *args: str) -> str:
    assert shutil.which(tool), f"{tool} missing: apt-get install poppler-utils"
    return subprocess.run([tool, *args], capture_output=True, text=True, check=True, timeout=60).stdout


def pages(pdf: bytes, tmp_path: Path, name: str = "doc") -> list[str]:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    return poppler("pdftotext", "-layout", str(path), "-").split("\f")[:-1]


@pytest.fixture
def o(services):
    o = office(services)
    o.services.settings.save_company(
        o.admin, CompanyInfo(name="شرکت پیوند تجارت پارس", economic_code="411337894159", phone="021-88776655")
    )
    return o


def test_an_issued_invoice_prints_its_buyer_lines_totals_and_words(o, tmp_path) -> None:
    invoice = issued_invoice(o)
    text = fold(pages(o.services.printing.pdf(o.rep, "invoice", invoice.id), tmp_path)[0])
    for expected in (
        "صورتحساب فروش کالا و خدمات",
        "شرکت پیوند تجارت پارس",
        "۴۱۱۳۳۷۸۹۴۱۵۹",
        "فروشگاه لوازم اداری نگین",
        "۱۴۰۰۴۸۰۰۱۰۱۰۱۰",
        "۸۱۳۶۶۱۳۶۹۹",
        "کالای نمونه الف",
        "خدمات نصب",
        "2710000138624",  # the line's sstid in «کد کالا», as typed
        "۱۴۰۴/۰۹/۰۱",
        "۷٬۷۵۰٬۰۰۰",
        "۷۷۰٬۰۰۰",
        "۸٬۴۷۰٬۰۰۰",
        "هشت میلیون و چهارصد و هفتاد هزار ریال",
        "صفحه ۱ از ۱",
    ):
        assert fold(expected) in text, expected


def test_a_reprint_keeps_the_buyer_as_issued(o, tmp_path) -> None:
    from app.models import Identity
    from app.services.core.actor import SYSTEM

    invoice = issued_invoice(o)
    with o.services.db.write(SYSTEM) as s:
        s.get(Identity, o.customer).display_name = "نام تازه"
    text = fold(pages(o.services.printing.pdf(o.rep, "invoice", invoice.id), tmp_path)[0])
    assert fold("فروشگاه لوازم اداری نگین") in text and fold("نام تازه") not in text


def test_a_long_invoice_runs_onto_two_pages_with_the_header_repeated(o, tmp_path) -> None:
    lines = [LineDraft(f"کالای آزمایشی شماره {to_persian_digits(str(n))}", Decimal(1), 1000 + n) for n in range(45)]
    invoice = issued_invoice(o, lines)
    texts = [fold(t) for t in pages(o.services.printing.pdf(o.rep, "invoice", invoice.id), tmp_path)]
    assert len(texts) >= 2
    for n, text in enumerate(texts, start=1):
        assert fold("شرح کالا یا خدمات") in text
        assert fold(f"صفحه {to_persian_digits(str(n))} از {to_persian_digits(str(len(texts)))}") in text
    assert all(fold(f"کالای آزمایشی شماره {to_persian_digits(str(n))}") in "".join(texts) for n in range(45))


def test_quote_return_receipt_and_payment_print(o, tmp_path) -> None:
    quote = o.services.quotes.create(o.rep, QuoteDraft(o.customer, DAY, example_lines(o), DAY + dt.timedelta(30)))
    text = fold(pages(o.services.printing.pdf(o.rep, "quote", quote.id), tmp_path, "q")[0])
    assert fold("پیش‌فاکتور") in text and fold("۱۴۰۴/۱۰/۰۱") in text  # valid until
    invoice = issued_invoice(o)
    ret = o.services.returns.create(o.rep, ReturnDraft(invoice.id, DAY, [ReturnLineDraft(invoice.lines[0].id, 1)]))
    ret = o.services.returns.issue(o.rep, ret.id)
    text = fold(pages(o.services.printing.pdf(o.rep, "return", ret.id), tmp_path, "r")[0])
    assert fold("صورتحساب برگشت از فروش") in text and fold("مبلغ قابل استرداد به حروف") in text
    receipt = o.services.receipts.create(
        o.rep,
        ReceiptDraft(o.customer, 1_000_000, DAY, PaymentMethod.CHEQUE, cheque_number="789012", cheque_bank="ملت",
                     cheque_due=DAY, cheque_sayad="1234567890123456", allocations=[Allocation(invoice.id, 1_000_000)]),
    )  # fmt: skip
    text = fold(pages(o.services.printing.pdf(o.rep, "receipt", receipt.id), tmp_path, "c")[0])
    assert fold("رسید دریافت وجه") in text and fold("۷۸۹۰۱۲") in text and fold("یک میلیون ریال") in text
    payment = o.services.receipts.create(
        o.rep, ReceiptDraft(o.customer, 200_000, DAY, PaymentMethod.BANK_TRANSFER, MoneyDirection.OUT)
    )
    data = o.services.printing.document(o.rep, "payment", payment.id)
    assert data.buyer.name == "فروشگاه لوازم اداری نگین"  # the customer receives a refund
    assert data.buyer.party_type is PartyType.ORGANISATION


def test_find_by_number_and_access(o) -> None:
    invoice = issued_invoice(o)
    assert o.services.printing.find(o.rep, "invoice", invoice.number) == invoice.id
    assert o.services.printing.find(o.rep, "invoice", invoice.number, 1404) == invoice.id
    with pytest.raises(NotFound):
        o.services.printing.find(o.rep, "invoice", invoice.number, 1399)
    with pytest.raises(NotFound):
        o.services.printing.find(o.other, "invoice", invoice.number)
    with pytest.raises(AccessDenied):
        o.services.printing.pdf(o.other, "invoice", invoice.id)

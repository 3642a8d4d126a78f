"""Printed receipts and payments (pdftotext): a payment is «رسید پرداخت وجه» with its own number, the
return it settles and the signature boxes the right way round; a credit does not say money changed
hands; a cheque prints its Sayad id, bank, branch, due date and state."""

from __future__ import annotations

import datetime as dt

import pytest

from app.models.enums import ChequeState, MoneyDirection, PaymentMethod
from app.services.admin.settings import CompanyInfo
from app.services.documents.receipts import ReceiptDraft
from app.services.documents.returns import ReturnDraft, ReturnLineDraft
from tests.services.doc_helpers import DAY, issued_invoice, office
from tests.services.test_documents_pdf import fold, pages

COMPANY = "شرکت پیوند تجارت پارس"
CUSTOMER = "فروشگاه لوازم اداری نگین"


@pytest.fixture
def o(services):
    o = office(services)
    o.services.settings.save_company(o.admin, CompanyInfo(name=COMPANY, economic_code="411337894159"))
    return o


def _text(o, kind, record_id, tmp_path) -> str:
    return fold(pages(o.services.printing.pdf(o.rep, kind, record_id), tmp_path, f"{kind}-{record_id}")[0])


def _signature_line(o, kind, record_id, tmp_path) -> str:
    """The line holding the two signature boxes' labels, left box first (pdftotext -layout)."""
    page = pages(o.services.printing.pdf(o.rep, kind, record_id), tmp_path, f"sig-{record_id}")[0]
    return next(fold(line) for line in page.splitlines() if fold("امضای") in fold(line) and "مشخصات" not in line)


def _refund(o, method=PaymentMethod.BANK_TRANSFER, **values):
    invoice = issued_invoice(o)
    ret = o.services.returns.create(o.rep, ReturnDraft(invoice.id, DAY, [ReturnLineDraft(invoice.lines[0].id, 1)]))
    ret = o.services.returns.issue(o.rep, ret.id)
    draft = ReceiptDraft(o.customer, 500_000, DAY + dt.timedelta(days=2), method, MoneyDirection.OUT,
                         sales_return_id=ret.id, **values)  # fmt: skip
    return ret, o.services.receipts.create(o.rep, draft)


def test_a_refund_prints_as_a_payment_naming_the_return_it_settles(o, tmp_path) -> None:
    receipt = o.services.receipts.create(o.rep, ReceiptDraft(o.customer, 700_000, DAY, PaymentMethod.CASH))
    ret, payment = _refund(o)
    assert (receipt.number, payment.number) == (1, 1)  # a series each
    assert (payment.sales_return_number, payment.sales_return_date) == (ret.number, DAY)
    text = _text(o, "payment", payment.id, tmp_path)
    assert fold("رسید پرداخت وجه") in text and fold("رسید دریافت وجه") not in text
    assert fold("مشخصات وجه پرداختی") in text and fold("مبلغ پرداختی") in text
    assert fold("بابت برگشت از فروش شماره") in text and fold("تاریخ برگشت از فروش") in text
    assert (
        fold(
            f"بدین‌وسیله {CUSTOMER} دریافت مبلغ ۵۰۰٬۰۰۰ ریال از {COMPANY} بابت استرداد وجه برگشت از فروش شماره ۱ "
            "مورخ ۱۴۰۴/۰۹/۰۱ به روش حواله بانکی را تأیید می‌کند."
        )
        in text
    )
    # The company pays: its block comes first, and its stamp box is on the right (the line's end).
    assert text.index(fold("مشخصات پرداخت‌کننده")) < text.index(fold(COMPANY)) < text.index(fold(CUSTOMER))
    assert _signature_line(o, "payment", payment.id, tmp_path) == fold("امضای دریافت‌کننده مهر و امضای پرداخت‌کننده")
    assert fold("مهر و امضای دریافت‌کننده") not in text


def test_a_receipt_keeps_the_company_as_receiver(o, tmp_path) -> None:
    receipt = o.services.receipts.create(o.rep, ReceiptDraft(o.customer, 700_000, DAY, PaymentMethod.CASH))
    text = _text(o, "receipt", receipt.id, tmp_path)
    assert fold("رسید دریافت وجه") in text and fold("مبلغ دریافتی") in text
    assert fold(f"بدین‌وسیله دریافت مبلغ ۷۰۰٬۰۰۰ ریال از {CUSTOMER} به روش نقد تأیید می‌شود.") in text
    assert _signature_line(o, "receipt", receipt.id, tmp_path) == fold("امضای پرداخت‌کننده مهر و امضای دریافت‌کننده")


def test_a_credit_does_not_say_money_was_received_or_paid(o, tmp_path) -> None:
    credit = o.services.receipts.create(o.rep, ReceiptDraft(o.customer, 700_000, DAY, PaymentMethod.CREDIT))
    text = _text(o, "receipt", credit.id, tmp_path)
    assert fold("دریافت مبلغ") not in text and fold("تأیید می‌شود") not in text and fold("مبلغ دریافتی") not in text
    assert fold(f"مبلغ ۷۰۰٬۰۰۰ ریال به‌صورت اعتباری در حساب {CUSTOMER} منظور شد؛ وجهی دریافت نشده است.") in text
    _ret, refund = _refund(o, PaymentMethod.CREDIT)
    text = _text(o, "payment", refund.id, tmp_path)
    assert fold("را تأیید می‌کند") not in text and fold("وجهی پرداخت نشده است.") in text


def test_a_cheque_prints_its_sayad_id_bank_branch_due_date_and_state(o, tmp_path) -> None:
    draft = ReceiptDraft(o.customer, 1_000_000, DAY, PaymentMethod.CHEQUE, cheque_number="789012", cheque_bank="ملت",
                         cheque_branch="میدان ونک", cheque_due=dt.date(2026, 1, 5),
                         cheque_sayad="۱۲۳۴۵۶۷۸۹۰۱۲۳۴۵۶")  # fmt: skip
    cheque = o.services.receipts.create(o.rep, draft)
    o.services.receipts.move_cheque(o.rep, cheque.id, ChequeState.DEPOSITED)
    text = _text(o, "receipt", cheque.id, tmp_path)
    for expected in (
        "شماره چک",
        "۷۸۹۰۱۲",
        "شناسه صیادی",
        "۱۲۳۴۵۶۷۸۹۰۱۲۳۴۵۶",
        "تاریخ سررسید",
        "۱۴۰۴/۱۰/۱۵",
        "بانک",
        "ملت",
        "شعبه",
        "میدان ونک",
        "وضعیت چک",
        "واگذارشده به بانک",
        "دریافت چک شماره ۷۸۹۰۱۲ به مبلغ ۱٬۰۰۰٬۰۰۰ ریال",
    ):
        assert fold(expected) in text, expected
    _ret, paid = _refund(o, PaymentMethod.CHEQUE, cheque_number="5501", cheque_bank="ملی",
                         cheque_due=DAY, cheque_sayad="6543210987654321")  # fmt: skip
    text = _text(o, "payment", paid.id, tmp_path)
    assert fold("۶۵۴۳۲۱۰۹۸۷۶۵۴۳۲۱") in text and fold("وضعیت چک") not in text

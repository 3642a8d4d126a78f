"""A contract prints as the Persian sales form with its term and payment schedule, read back through
/ActualText (pdftotext); cancelled instalments say so; a long schedule flows onto more pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from app.models.enums import PaymentMethod
from app.services.admin.settings import CompanyInfo
from app.services.documents.contract_payments import InstalmentShare
from app.services.documents.contract_views import ContractDraft, split_schedule
from app.services.documents.lines import LineDraft
from app.services.documents.receipts import ReceiptDraft
from tests.services.doc_helpers import DAY, office
from tests.services.test_documents_pdf import fold, pages

END = DAY + dt.timedelta(days=364)


@pytest.fixture
def o(services):
    o = office(services)
    o.services.settings.save_company(o.admin, CompanyInfo(name="شرکت پیوند تجارت پارس"))
    return o


def _signed(o, count: int, end: dt.date = END):
    lines = [LineDraft("پشتیبانی سالانه نرم‌افزار", Decimal(1), 30_000_000, 0, 10)]
    draft = ContractDraft(o.customer, DAY, DAY, end, lines, split_schedule(33_000_000, DAY, count))
    made = o.services.contracts.create(o.rep, draft)
    return o.services.contracts.sign(o.rep, made.id, made.version)


def test_a_contract_prints_its_term_lines_and_schedule(o, tmp_path) -> None:
    contract = _signed(o, 3)
    moved = o.services.contracts.change_end_date(o.rep, contract.id, contract.instalments[1].due_date)
    text = fold(pages(o.services.printing.pdf(o.rep, "contract", moved.id), tmp_path)[0])
    for expected in (
        "قرارداد مالی",
        "شرکت پیوند تجارت پارس",
        "فروشگاه لوازم اداری نگین",
        "پشتیبانی سالانه نرم‌افزار",
        "۱۴۰۴/۰۹/۰۱",  # signed and started
        "۱۴۰۴/۱۰/۰۱",  # the end as moved (cancelling the third instalment)
        "جدول اقساط",
        "۱۱٬۰۰۰٬۰۰۰",
        "سی و سه میلیون ریال",
        "لغوشده",
    ):
        assert fold(expected) in text, expected


def test_a_long_schedule_flows_onto_more_pages(o, tmp_path) -> None:
    contract = _signed(o, 48, DAY + dt.timedelta(days=4 * 366))
    printed = [fold(page) for page in pages(o.services.printing.pdf(o.rep, "contract", contract.id), tmp_path)]
    assert len(printed) > 1 and fold("۱۴۰۸/۰۸/۰۱") in printed[-1]  # the 48th instalment's due date
    assert fold("مهر و امضای خریدار") in printed[-1]


def test_a_receipt_voucher_names_the_instalment_it_pays(o, tmp_path) -> None:
    contract = _signed(o, 3)
    share = InstalmentShare(contract.instalments[0].id, 11_000_000)
    receipt = o.services.receipts.create(
        o.rep, ReceiptDraft(o.customer, 11_000_000, DAY, PaymentMethod.CASH, instalments=[share])
    )
    text = fold(pages(o.services.printing.pdf(o.rep, "receipt", receipt.id), tmp_path)[0])
    assert fold("بابت: قسط ۱ قرارداد ۱") in text
    assert fold("از فروشگاه لوازم اداری نگین بابت قسط ۱ قرارداد ۱ به روش نقد") in text

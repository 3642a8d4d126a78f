"""Sample documents: the worked example of iran-rules.md §1.2 and longer invoices.

Used by the tests, the render benchmark and (later) a print preview in settings.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from app.persian import MoneyUnit, format_number, parse_date

from .arithmetic import compute_lines, compute_totals
from .model import (
    Cheque,
    ContractInfo,
    DocumentData,
    DocumentKind,
    DocumentLine,
    Instalment,
    Party,
    PartyType,
    PaymentMethod,
    ReceiptInfo,
    Settlement,
)

SELLER = Party(
    name="شرکت پیوند تجارت پارس (سهامی خاص)",
    economic_code="411337894159",
    national_id="10100387143",
    registration_number="452187",
    address="تهران، خیابان ولیعصر، بالاتر از میدان ونک، کوچه نگار، پلاک ۱۲، واحد ۴",
    postal_code="1917763913",
    phone="021-88776655",
)
BUYER = Party(
    name="فروشگاه لوازم اداری نگین",
    economic_code="14004800101010",
    national_id="10380284790",
    address="اصفهان، خیابان چهارباغ عباسی، مجتمع پارسیان، طبقه دوم",
    postal_code="8136613699",
    phone="031-32221100",
)
PERSON_BUYER = Party(
    name="علی‌رضا محمدی",
    national_id="0499370899",
    address="شیراز، بلوار زند، کوچه ۱۴",
    postal_code="7134845796",
    phone="09121234567",
    party_type=PartyType.PERSON,
)

# The two-line worked example at 10%: total 8,470,000 Rial.
EXAMPLE_LINES = (
    DocumentLine("کالای نمونه الف", 3, 1_250_000, "عدد", "2710000138624", discount=50_000, vat_rate=10),
    DocumentLine("خدمات نصب", 1, 4_000_000, "خدمت", "", vat_rate=10),
)

_PRODUCTS = (
    ("کارتریج تونر مشکی ۸۵A (۲ عدد)", "بسته", 18_500_000),
    ("کاغذ A4 کپی ۸۰ گرمی", "بند", 2_350_000),
    ("کابل شبکه Cat6 (متراژی)", "متر", 185_000),
    ("ماوس بی‌سیم Logitech M185", "عدد", 6_900_000),
    ("پرینتر لیزری HP LaserJet Pro M404dn [گارانتی ۱۸ ماهه]", "دستگاه", 96_000_000),
    ("خدمات نصب و راه‌اندازی شبکه در محل مشتری، شامل کابل‌کشی، تست و مستندسازی", "خدمت", 12_000_000),
)


def sample_lines(count: int) -> list[DocumentLine]:
    """`count` varied lines: fractional quantities, discounts, brackets, Latin names."""
    lines = []
    for i in range(count):
        name, unit, price = _PRODUCTS[i % len(_PRODUCTS)]
        quantity = Decimal("12.5") if unit == "متر" else (i % 4) + 1
        discount = (price // 20) if i % 3 == 0 else 0
        lines.append(
            DocumentLine(
                f"{name}، سری {format_number(i + 1)}" if count > len(_PRODUCTS) else name,
                quantity,
                price,
                unit,
                f"27100001{38600 + i}",
                discount=discount,
                vat_rate=10,
            )
        )
    return lines


def sample_document(kind: DocumentKind = DocumentKind.INVOICE, lines: int | None = None) -> DocumentData:
    """A realistic document of `kind`; `lines=None` gives the §1.2 worked example."""
    issue = parse_date("1404/09/01")
    items = list(EXAMPLE_LINES) if lines is None else sample_lines(lines)
    common = dict(issue_date=issue, seller=SELLER, buyer=BUYER, lines=items, money_unit=MoneyUnit.RIAL)
    if kind is DocumentKind.QUOTE:
        return DocumentData(
            kind,
            number="",
            valid_until=issue + dt.timedelta(days=14),
            settlement=Settlement.BOTH,
            notes="قیمت‌ها تا تاریخ اعتبار پیش‌فاکتور معتبر است. تحویل کالا ۳ روز کاری پس از پرداخت.",
            **common,
        )
    if kind is DocumentKind.RETURN:
        return DocumentData(
            kind,
            number="1404-0031",
            original_invoice_number="1404-0012",
            settlement=Settlement.CASH,
            notes="برگشت به علت ایراد فنی (کارتن آسیب‌دیده).",
            **common,
        )
    if kind is DocumentKind.CONTRACT:  # signed instead of an invoice: three monthly instalments
        total = compute_totals(compute_lines(line.to_input() for line in items)).tbill
        part = total // 3
        dues = [parse_date(day) for day in ("1404/10/01", "1404/11/01", "1404/12/01")]
        schedule = [Instalment(due, part + (total - 3 * part if i == 2 else 0)) for i, due in enumerate(dues)]
        return DocumentData(
            kind,
            number="1404-0004",
            contract=ContractInfo(issue, parse_date("1405/08/30"), schedule),
            notes="پرداخت هر قسط تا پنجم ماه سررسید.",
            **common,
        )
    if kind in (DocumentKind.RECEIPT, DocumentKind.PAYMENT):
        return DocumentData(
            kind,
            number="1404-0057",
            issue_date=issue,
            seller=SELLER,
            buyer=PERSON_BUYER,
            receipt=ReceiptInfo(
                amount=8_470_000,
                method=PaymentMethod.CHEQUE,
                reference="TRX-88213",
                cheque=Cheque("7788123", "بانک ملت شعبه ونک", parse_date("1404/10/15"), "1234567890123456"),
                invoice_numbers=("1404-0012", "1404-0013"),
            ),
            notes="وصول چک منوط به پاس شدن آن است.",
        )
    return DocumentData(
        kind,
        number="1404-0012",
        settlement=Settlement.CASH,
        notes="تحویل در محل خریدار. گارانتی کالا مطابق برگه ضمانت (۱۸ ماه).",
        **common,
    )

"""Plain data a printed document is made from: no database, no Qt.

The services that own quotes, invoices, returns and receipts fill a
`DocumentData` and hand it to `render_pdf`.  Amounts are integer Rial;
`money_unit` only chooses how they are shown (Rial or Toman).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from app.persian import MoneyUnit, ValidationError

from .arithmetic import LineInput, Quantity


class DocumentKind(enum.Enum):
    QUOTE = "quote"  # پیش‌فاکتور
    INVOICE = "invoice"  # صورتحساب فروش کالا و خدمات
    RETURN = "return"  # صورتحساب برگشت از فروش
    RECEIPT = "receipt"  # رسید دریافت وجه
    PAYMENT = "payment"  # رسید پرداخت وجه (a refund: the company pays, the customer signs)
    CONTRACT = "contract"  # قرارداد مالی (lines like an invoice's, and its schedule of instalments)


class PartyType(enum.Enum):
    PERSON = "person"  # شخص حقیقی
    ORGANISATION = "organisation"  # شخص حقوقی


class Settlement(enum.Enum):
    """شرایط و نحوه فروش; values are Moadian's `setm`."""

    CASH = 1  # نقدی
    CREDIT = 2  # غیر نقدی
    BOTH = 3  # نقدی و غیر نقدی


class PaymentMethod(enum.Enum):
    CASH = "cash"
    CARD_TO_CARD = "card_to_card"
    BANK_TRANSFER = "bank_transfer"
    CHEQUE = "cheque"
    CREDIT = "credit"
    PAYMENT_LINK = "payment_link"
    POS = "pos"

    @property
    def label(self) -> str:
        return _METHOD_LABELS[self]


_METHOD_LABELS = {
    PaymentMethod.CASH: "نقد",
    PaymentMethod.CARD_TO_CARD: "کارت به کارت",
    PaymentMethod.BANK_TRANSFER: "حواله بانکی",
    PaymentMethod.CHEQUE: "چک",
    PaymentMethod.CREDIT: "اعتباری",
    PaymentMethod.PAYMENT_LINK: "لینک پرداخت",
    PaymentMethod.POS: "کارتخوان",
}


@dataclass(frozen=True)
class Party:
    """Seller (from the company settings) or buyer block of the form."""

    name: str
    economic_code: str = ""
    national_id: str = ""  # کد ملی (person) or شناسه ملی (organisation)
    registration_number: str = ""  # شماره ثبت (organisations)
    address: str = ""
    postal_code: str = ""
    phone: str = ""
    party_type: PartyType = PartyType.ORGANISATION


@dataclass(frozen=True)
class DocumentLine:
    """One row of the line table; rows are numbered 1..n in order."""

    description: str
    quantity: Quantity
    unit_price: int  # Rial
    unit: str = ""  # واحد اندازه‌گیری: عدد، متر، ...
    product_code: str = ""
    discount: int = 0  # Rial
    vat_rate: int = 0  # percent, e.g. arithmetic.default_vat_rate(issue_date)

    def to_input(self) -> LineInput:
        return LineInput(self.quantity, self.unit_price, self.discount, self.vat_rate)


@dataclass(frozen=True)
class Cheque:
    number: str
    bank: str = ""
    due_date: dt.date | None = None
    sayad_id: str = ""  # شناسه صیادی, 16 digits
    branch: str = ""
    state: str = ""  # the Persian name of a received cheque's state


@dataclass(frozen=True)
class ReceiptInfo:
    """The money of a receipt voucher (رسید دریافت وجه)."""

    amount: int  # Rial
    method: PaymentMethod
    paid_on: dt.date | None = None  # defaults to the document's issue date
    reference: str = ""  # شماره پیگیری / مرجع
    cheque: Cheque | None = None
    invoice_numbers: Sequence[str] = ()
    instalments: Sequence[str] = ()  # the contract instalments it pays, e.g. «قسط ۱ قرارداد ۳»
    return_number: str = ""  # a payment: the return (برگشت از فروش) it settles
    return_date: dt.date | None = None


@dataclass(frozen=True)
class Instalment:
    due_date: dt.date
    amount: int  # Rial
    cancelled: bool = False  # due after the contract's end date


@dataclass(frozen=True)
class ContractInfo:
    """A contract's term and payment schedule."""

    start_date: dt.date
    end_date: dt.date
    instalments: Sequence[Instalment] = ()


@dataclass(frozen=True)
class DocumentData:
    kind: DocumentKind
    issue_date: dt.date
    seller: Party
    buyer: Party
    number: str = ""  # empty: a draft (quotes show nothing, others «پیش‌نویس»)
    # An invoice issued on a laptop before the office gave its legal number («P-L3-7»): never a legal number.
    provisional_number: str = ""
    lines: Sequence[DocumentLine] = ()
    valid_until: dt.date | None = None  # quotes
    settlement: Settlement | None = None
    notes: str = ""
    money_unit: MoneyUnit = MoneyUnit.RIAL  # the display setting; see `printed_unit`
    logo_path: str | Path | None = None
    original_invoice_number: str = ""  # returns
    receipt: ReceiptInfo | None = None  # receipts
    contract: ContractInfo | None = None  # contracts

    @property
    def printed_unit(self) -> MoneyUnit:
        """The unit amounts print in: Toman only on quotes. Invoices, returns and receipts are legal
        documents (and cheques are written in Rial), so they print in Rial whatever the display setting."""
        return self.money_unit if self.kind is DocumentKind.QUOTE else MoneyUnit.RIAL

    @property
    def is_draft(self) -> bool:
        """An unnumbered invoice, return or receipt: printed with a watermark, never as a legal document."""
        return self.kind is not DocumentKind.QUOTE and not self.number.strip() and not self.is_provisional

    @property
    def is_provisional(self) -> bool:
        """Issued on a laptop, not yet numbered by the office: printed as such, never as the legal number."""
        return not self.number.strip() and bool(self.provisional_number.strip())

    def validate(self) -> None:
        """Raise ValidationError (Persian `.message`) if the document cannot be printed."""
        if self.kind in (DocumentKind.RECEIPT, DocumentKind.PAYMENT):
            info = self.receipt
            if info is None:
                raise ValidationError("اطلاعات وجه دریافتی وارد نشده است")
            if isinstance(info.amount, bool) or not isinstance(info.amount, int):
                raise TypeError("receipt amount must be an int number of Rial")
            if info.amount <= 0:
                raise ValidationError("مبلغ دریافتی باید بیشتر از صفر باشد")
            if info.method is PaymentMethod.CHEQUE and (info.cheque is None or not info.cheque.number):
                raise ValidationError("شماره چک وارد نشده است")
            return
        if not self.lines:
            raise ValidationError("سند باید دست‌کم یک ردیف کالا یا خدمت داشته باشد")
        if self.kind is DocumentKind.CONTRACT and self.contract is None:
            raise ValidationError("مدت و اقساط قرارداد وارد نشده است")
        if self.kind is DocumentKind.RETURN and not self.original_invoice_number.strip():
            raise ValidationError("شماره صورتحساب فروش مرجع وارد نشده است")

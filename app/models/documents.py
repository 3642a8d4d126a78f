"""Quotes, invoices, returns and receipts, their lines, number series and the VAT table.

Money is integer Rial; line amounts follow iran-rules.md §1.2 and are stored as computed, so an
issued document reads back exactly as printed. Buyer details are copied onto the invoice when it
is issued (the tax system's fields, iran-rules.md §6): a later edit of the identity never changes
an issued document.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid

from sqlalchemy import Date, ForeignKey, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from app.models.base import Base, BusinessMixin, Money
from app.models.columns import enum_column
from app.models.enums import (
    BuyerType,
    ChequeState,
    DocumentState,
    MoneyDirection,
    PaymentMethod,
    QuoteState,
    Settlement,
)


class NumberSeries(Base):
    """The last number used per (series, fiscal year); locked FOR UPDATE while issuing."""

    __tablename__ = "number_series"
    series: Mapped[str] = mapped_column(String(16), primary_key=True)  # quote, invoice, return, receipt
    fiscal_year: Mapped[int] = mapped_column(primary_key=True)  # Jalali year
    last_number: Mapped[int] = mapped_column(default=0)
    # The date of the last numbered document: numbers of a legal series follow the dates.
    last_date: Mapped[dt.date | None] = mapped_column(Date, default=None)


class VatRate(BusinessMixin, Base):
    """The VAT rate in force from a date (editable by the admin for later years)."""

    __tablename__ = "vat_rates"
    __admin_managed__ = True
    valid_from: Mapped[dt.date] = mapped_column(Date, unique=True)
    rate: Mapped[int] = mapped_column()  # percent


class _Header(BusinessMixin):
    __owner_attr__ = "owner_id"
    number: Mapped[int | None] = mapped_column(default=None)  # given when issued (quotes: when created)
    fiscal_year: Mapped[int | None] = mapped_column(default=None)
    issue_date: Mapped[dt.date] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)
    currency_unit: Mapped[str] = mapped_column(String(8), default="IRR")  # never mix units in a document
    total_before_discount: Mapped[int] = mapped_column(Money, default=0)  # tprdis
    total_discount: Mapped[int] = mapped_column(Money, default=0)  # tdis
    total_after_discount: Mapped[int] = mapped_column(Money, default=0)  # tadis
    total_vat: Mapped[int] = mapped_column(Money, default=0)  # tvam
    total: Mapped[int] = mapped_column(Money, default=0)  # tbill

    @declared_attr
    def identity_id(cls) -> Mapped[uuid.UUID]:
        return mapped_column(ForeignKey("identities.id"), index=True)

    @declared_attr
    def opportunity_id(cls) -> Mapped[uuid.UUID | None]:
        return mapped_column(ForeignKey("opportunities.id"), index=True)

    @declared_attr
    def owner_id(cls) -> Mapped[uuid.UUID | None]:
        return mapped_column(ForeignKey("users.id"), index=True)


class _Line(BusinessMixin):
    position: Mapped[int] = mapped_column(default=0)
    description: Mapped[str] = mapped_column(String(300))
    quantity: Mapped[decimal.Decimal] = mapped_column(Numeric(18, 3))
    unit: Mapped[str] = mapped_column(String(30), default="عدد")
    unit_price: Mapped[int] = mapped_column(Money)  # fee
    discount: Mapped[int] = mapped_column(Money, default=0)  # dis
    vat_rate: Mapped[int] = mapped_column(default=0)  # vra, percent
    amount: Mapped[int] = mapped_column(Money, default=0)  # prdis = am × fee
    amount_after_discount: Mapped[int] = mapped_column(Money, default=0)  # adis
    vat: Mapped[int] = mapped_column(Money, default=0)  # vam = floor(adis × vra / 100)
    total: Mapped[int] = mapped_column(Money, default=0)  # tsstam
    product_code: Mapped[str | None] = mapped_column(String(40))  # the product's code when the line was written

    @declared_attr
    def product_id(cls) -> Mapped[uuid.UUID | None]:
        return mapped_column(ForeignKey("products.id"))


class Quote(_Header, Base):
    """پیش‌فاکتور."""

    __tablename__ = "quotes"
    # A laptop numbers its own quotes under its device code (never renumbered); the office's code is "".
    __table_args__ = (Index("ix_quotes_year_number", "fiscal_year", "device_code", "number", unique=True),)
    device_code: Mapped[str] = mapped_column(String(8), default="", server_default="")
    state: Mapped[QuoteState] = mapped_column(enum_column(QuoteState), default=QuoteState.DRAFT, index=True)
    valid_until: Mapped[dt.date | None] = mapped_column(Date)
    settlement: Mapped[Settlement] = mapped_column(enum_column(Settlement), default=Settlement.CASH)
    price_list_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("price_lists.id"))


class QuoteLine(_Line, Base):
    __tablename__ = "quote_lines"
    __access_parent__ = "quote_id"
    quote_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("quotes.id"), index=True)


class Invoice(_Header, Base):
    """صورتحساب فروش کالا و خدمات: immutable once issued."""

    __tablename__ = "invoices"
    # UNIQUE(fiscal_year, number): the last line of defence behind the locked counter (sync.md §3.2).
    __table_args__ = (Index("ix_invoices_year_number", "fiscal_year", "number", unique=True),)
    state: Mapped[DocumentState] = mapped_column(enum_column(DocumentState), default=DocumentState.DRAFT, index=True)
    quote_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("quotes.id"))
    settlement: Mapped[Settlement] = mapped_column(enum_column(Settlement), default=Settlement.CASH)
    issued_at: Mapped[dt.datetime | None] = mapped_column()
    # Issued on a laptop: P-<device code>-<n> until the office gives the legal number (kept after).
    provisional_number: Mapped[str | None] = mapped_column(String(40), unique=True, default=None)
    # The buyer as issued (Moadian tob, bid, tinb, bpc ...).
    buyer_type: Mapped[BuyerType | None] = mapped_column(enum_column(BuyerType))
    buyer_name: Mapped[str | None] = mapped_column(String(300))
    buyer_national_id: Mapped[str | None] = mapped_column(String(11))
    buyer_economic_code: Mapped[str | None] = mapped_column(String(14))
    buyer_postal_code: Mapped[str | None] = mapped_column(String(10))
    buyer_address: Mapped[str | None] = mapped_column(String(400))
    buyer_phone: Mapped[str | None] = mapped_column(String(30))
    buyer_registration_no: Mapped[str | None] = mapped_column(String(30))


class InvoiceLine(_Line, Base):
    __tablename__ = "invoice_lines"
    __access_parent__ = "invoice_id"
    invoice_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("invoices.id"), index=True)
    sstid: Mapped[str | None] = mapped_column(String(13))  # Moadian goods/service ID
    unit_code: Mapped[str | None] = mapped_column(String(8))  # Moadian `mu`


class SalesReturn(_Header, Base):
    """فاکتور برگشت از فروش: returns goods of one issued invoice; credits the balance."""

    __tablename__ = "sales_returns"
    __table_args__ = (Index("ix_sales_returns_year_number", "fiscal_year", "number", unique=True),)
    state: Mapped[DocumentState] = mapped_column(enum_column(DocumentState), default=DocumentState.DRAFT)
    invoice_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("invoices.id"), index=True)
    issued_at: Mapped[dt.datetime | None] = mapped_column()


class SalesReturnLine(_Line, Base):
    __tablename__ = "sales_return_lines"
    __access_parent__ = "return_id"
    return_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sales_returns.id"), index=True)
    invoice_line_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("invoice_lines.id"), index=True)


class Receipt(BusinessMixin, Base):
    """دریافت (money in) or پرداخت (money out, e.g. a refund)."""

    __tablename__ = "receipts"
    __owner_attr__ = "owner_id"
    # Receipts (in) and payments (out) have a series each.
    __table_args__ = (
        Index("ix_receipts_year_number", "direction", "fiscal_year", "number", unique=True),
        Index("ix_receipts_cheque_due", "cheque_state", "cheque_due"),  # the list of cheques due
    )
    direction: Mapped[MoneyDirection] = mapped_column(enum_column(MoneyDirection), default=MoneyDirection.IN)
    number: Mapped[int | None] = mapped_column(default=None)
    fiscal_year: Mapped[int | None] = mapped_column(default=None)
    identity_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("identities.id"), index=True)
    opportunity_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("opportunities.id"), index=True)
    owner_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), index=True)
    amount: Mapped[int] = mapped_column(Money)
    received_on: Mapped[dt.date] = mapped_column(Date)
    method: Mapped[PaymentMethod] = mapped_column(enum_column(PaymentMethod))
    reference: Mapped[str | None] = mapped_column(String(100))
    cheque_number: Mapped[str | None] = mapped_column(String(30))
    cheque_bank: Mapped[str | None] = mapped_column(String(100))
    cheque_due: Mapped[dt.date | None] = mapped_column(Date)
    cheque_sayad: Mapped[str | None] = mapped_column(String(16))  # شناسه صیادی, 16 Latin digits
    cheque_branch: Mapped[str | None] = mapped_column(String(100))
    # Received cheques only (direction in): where the cheque is on its way to the bank.
    cheque_state: Mapped[ChequeState | None] = mapped_column(enum_column(ChequeState), default=None)
    notes: Mapped[str | None] = mapped_column(Text)
    # A refund (direction out) may name the return it pays back.
    sales_return_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("sales_returns.id"))


class ReceiptAllocation(BusinessMixin, Base):
    """The part of a receipt that pays one invoice (partial and split payments)."""

    __tablename__ = "receipt_allocations"
    __access_parent__ = "receipt_id"
    receipt_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("receipts.id"), index=True)
    invoice_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("invoices.id"), index=True)
    amount: Mapped[int] = mapped_column(Money)

"""From the database to the renderer: DocumentData for a quote, invoice, contract, return or receipt, and PDFs.

The seller comes from the company settings; the buyer of an issued invoice (and of its returns) is
the copy made when it was issued, so a reprint never changes. Quotes and drafts show the buyer's
details as they are now. The renderer itself (render.py) is imported only when a PDF is made.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Contract, Identity, Invoice, Quote, Receipt, SalesReturn
from app.models import enums as e
from app.models.enums import DocumentState, MoneyDirection
from app.persian import to_persian_digits as fa
from app.services.admin.settings import CompanyInfo, SettingsService
from app.services.core.access import SKIP, fetch
from app.services.core.actor import Actor
from app.services.core.database import Database
from app.services.core.errors import NotFound, ValidationFailed
from app.services.core.labels import CHEQUE_STATE

from .common import Buyer, buyer_of
from .doc_numbers import invoice_number, quote_number
from .model import Cheque, DocumentData, DocumentKind, DocumentLine, Party, PartyType, PaymentMethod, ReceiptInfo
from .model import Settlement as PrintSettlement

KINDS = ("quote", "invoice", "contract", "return", "receipt", "payment")
_MODELS = {
    "quote": Quote,
    "invoice": Invoice,
    "contract": Contract,
    "return": SalesReturn,
    "receipt": Receipt,
    "payment": Receipt,
}
_WHAT = {
    "quote": "پیش‌فاکتور",
    "invoice": "صورتحساب",
    "contract": "قرارداد",
    "return": "برگشت از فروش",
    "receipt": "دریافت",
    "payment": "پرداخت",
}
_SETTLEMENT = {
    e.Settlement.CASH: PrintSettlement.CASH,
    e.Settlement.CREDIT: PrintSettlement.CREDIT,
    e.Settlement.BOTH: PrintSettlement.BOTH,
}
_METHOD = {
    e.PaymentMethod.CASH: PaymentMethod.CASH,
    e.PaymentMethod.CARD_TO_CARD: PaymentMethod.CARD_TO_CARD,
    e.PaymentMethod.BANK_TRANSFER: PaymentMethod.BANK_TRANSFER,
    e.PaymentMethod.CHEQUE: PaymentMethod.CHEQUE,
    e.PaymentMethod.CREDIT: PaymentMethod.CREDIT,
    e.PaymentMethod.PAYMENT_LINK: PaymentMethod.PAYMENT_LINK,
    e.PaymentMethod.POS: PaymentMethod.POS,
}


def seller_party(company: CompanyInfo) -> Party:
    return Party(
        name=company.name or "—",
        economic_code=company.economic_code,
        national_id=company.national_id,
        registration_number=company.registration_number,
        address=company.address,
        postal_code=company.postal_code,
        phone=company.phone,
        party_type=PartyType.ORGANISATION,
    )


def buyer_party(buyer: Buyer) -> Party:
    person = buyer.buyer_type in (e.BuyerType.PERSON, e.BuyerType.FOREIGN)
    return Party(
        name=buyer.name,
        economic_code=buyer.economic_code,
        national_id=buyer.national_id,
        registration_number="" if person else buyer.registration_no,
        address=buyer.address,
        postal_code=buyer.postal_code,
        phone=buyer.phone,
        party_type=PartyType.PERSON if person else PartyType.ORGANISATION,
    )


def issued_buyer(invoice: Invoice) -> Buyer:
    return Buyer(
        invoice.buyer_type,
        invoice.buyer_name or "",
        invoice.buyer_national_id or "",
        invoice.buyer_economic_code or "",
        invoice.buyer_registration_no or "",
        invoice.buyer_postal_code or "",
        invoice.buyer_address or "",
        invoice.buyer_phone or "",
    )


def _current_buyer(s: Session, identity_id: uuid.UUID) -> Buyer:
    identity = s.get(Identity, identity_id, execution_options={SKIP: True})
    return buyer_of(s, identity)


def _lines(s: Session, line_cls, fk: str, parent_id) -> list[DocumentLine]:
    """The printed rows, read as plain columns (a 50-line invoice must print fast)."""
    sstid = getattr(line_cls, "sstid", None)
    stmt = (
        select(
            line_cls.description,
            line_cls.quantity,
            line_cls.unit_price,
            line_cls.unit,
            sstid if sstid is not None else line_cls.product_code,
            line_cls.product_code,
            line_cls.discount,
            line_cls.vat_rate,
        )
        .where(getattr(line_cls, fk) == parent_id, line_cls.deleted_at.is_(None))
        .order_by(line_cls.position, line_cls.id)
        .execution_options(**{SKIP: True})  # the document itself was fetched with the access check
    )
    result = []
    for description, quantity, price, unit, code, product_code, discount, rate in s.execute(stmt):
        quantity = Decimal(quantity)
        result.append(
            DocumentLine(
                description=description,
                quantity=quantity.normalize() if quantity % 1 else int(quantity),
                unit_price=price,
                unit=unit,
                product_code=code or product_code or "",
                discount=discount,
                vat_rate=rate,
            )
        )
    return result


def _number(number: int | None) -> str:
    return str(number) if number else ""


def build(s: Session, kind: str, obj, company: CompanyInfo, unit) -> DocumentData:
    """The renderer's DocumentData of a loaded quote/invoice/return/receipt (`kind` as in KINDS)."""
    from app.models import InvoiceLine, QuoteLine, SalesReturnLine

    seller = seller_party(company)
    if kind == "quote":
        return DocumentData(
            kind=DocumentKind.QUOTE,
            issue_date=obj.issue_date,
            seller=seller,
            buyer=buyer_party(_current_buyer(s, obj.identity_id)),
            number=quote_number(obj.number, obj.device_code),
            lines=_lines(s, QuoteLine, "quote_id", obj.id),
            valid_until=obj.valid_until,
            settlement=_SETTLEMENT.get(obj.settlement),
            notes=obj.notes or "",
            money_unit=unit,
        )
    if kind == "invoice":
        issued = obj.state is DocumentState.ISSUED
        buyer = issued_buyer(obj) if issued else _current_buyer(s, obj.identity_id)
        return DocumentData(
            kind=DocumentKind.INVOICE,
            issue_date=obj.issue_date,
            seller=seller,
            buyer=buyer_party(buyer),
            number=_number(obj.number),
            provisional_number=obj.provisional_number or "" if issued else "",
            lines=_lines(s, InvoiceLine, "invoice_id", obj.id),
            settlement=_SETTLEMENT.get(obj.settlement),
            notes=obj.notes or "",
            money_unit=unit,
        )
    if kind == "contract":
        from .contract_print import contract_data

        return contract_data(s, obj, seller, buyer_party(_current_buyer(s, obj.identity_id)), unit)
    if kind == "return":
        invoice = s.get(Invoice, obj.invoice_id, execution_options={SKIP: True})
        return DocumentData(
            kind=DocumentKind.RETURN,
            issue_date=obj.issue_date,
            seller=seller,
            buyer=buyer_party(issued_buyer(invoice)),
            number=_number(obj.number),
            lines=_lines(s, SalesReturnLine, "return_id", obj.id),
            settlement=_SETTLEMENT.get(invoice.settlement),
            notes=obj.notes or "",
            money_unit=unit,
            original_invoice_number=invoice_number(invoice.number, invoice.provisional_number),
        )
    return _receipt_data(s, obj, seller, unit)


def _receipt_data(s: Session, receipt: Receipt, seller: Party, unit) -> DocumentData:
    from app.models import ReceiptAllocation

    from .contract_payments import allocation_views

    numbers = s.execute(
        select(Invoice.number, Invoice.provisional_number)
        .join(ReceiptAllocation, ReceiptAllocation.invoice_id == Invoice.id)
        .where(ReceiptAllocation.receipt_id == receipt.id, ReceiptAllocation.deleted_at.is_(None))
        .order_by(Invoice.number, Invoice.provisional_number)
        .execution_options(**{SKIP: True})
    ).all()
    cheque = None
    if receipt.method is e.PaymentMethod.CHEQUE:
        state = CHEQUE_STATE[receipt.cheque_state] if receipt.cheque_state else ""
        cheque = Cheque(
            receipt.cheque_number or "",
            receipt.cheque_bank or "",
            receipt.cheque_due,
            receipt.cheque_sayad or "",
            receipt.cheque_branch or "",
            state,
        )
    settled = None
    if receipt.sales_return_id is not None:
        settled = s.get(SalesReturn, receipt.sales_return_id, execution_options={SKIP: True})
    # The company is `seller` and the customer `buyer` both ways; the kind says who pays whom.
    paying = receipt.direction is MoneyDirection.OUT
    return DocumentData(
        kind=DocumentKind.PAYMENT if paying else DocumentKind.RECEIPT,
        issue_date=receipt.received_on,
        seller=seller,
        buyer=buyer_party(_current_buyer(s, receipt.identity_id)),
        number=_number(receipt.number),
        notes=receipt.notes or "",
        money_unit=unit,
        receipt=ReceiptInfo(
            amount=receipt.amount,
            method=_METHOD[receipt.method],
            paid_on=receipt.received_on,
            reference=receipt.reference or "",
            cheque=cheque,
            invoice_numbers=[invoice_number(n, p) for n, p in numbers if n or p],
            instalments=[
                f"قسط {fa(str(i.position + 1))} قرارداد {fa(str(i.contract_number))}"
                for i in allocation_views(s, receipt.id)
            ],
            return_number=_number(settled.number) if settled else "",
            return_date=settled.issue_date if settled else None,
        ),
    )


class PrintService:
    """Printable documents: DocumentData and PDF bytes of what the actor may see."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._settings = SettingsService(db)

    def document(self, actor: Actor, kind: str, record_id: uuid.UUID) -> DocumentData:
        """The renderer's data of one document. Raises NotFound/AccessDenied. Reads only."""
        if kind not in KINDS:
            raise ValueError(f"unknown document kind {kind!r}")
        company, unit = self._settings.company(), self._settings.money_unit()
        with self._db.read(actor) as s:
            obj = fetch(s, _MODELS[kind], record_id, _WHAT[kind])
            if kind in ("receipt", "payment"):
                kind = "receipt"
            return build(s, kind, obj, company, unit)

    def pdf(self, actor: Actor, kind: str, record_id: uuid.UUID) -> bytes:
        """The document as PDF bytes (A4, Persian). Raises NotFound/AccessDenied, ValidationFailed
        (nothing printable, e.g. no line). Reads only."""
        from app.persian import ValidationError

        from .render import render_pdf

        data = self.document(actor, kind, record_id)
        try:
            return render_pdf(data)
        except ValidationError as exc:
            raise ValidationFailed({"document": exc.message}) from None

    def find(self, actor: Actor, kind: str, number: int, fiscal_year: int | None = None) -> uuid.UUID:
        """The id of document `number` of `kind` (the latest fiscal year having it if none given).
        Raises NotFound. Reads only."""
        if kind not in KINDS:
            raise ValueError(f"unknown document kind {kind!r}")
        model = _MODELS[kind]
        stmt = select(model.id).where(model.number == number, model.deleted_at.is_(None))
        if fiscal_year is not None:
            stmt = stmt.where(model.fiscal_year == fiscal_year)
        if kind in ("receipt", "payment"):
            direction = MoneyDirection.IN if kind == "receipt" else MoneyDirection.OUT
            stmt = stmt.where(Receipt.direction == direction)
        if kind in ("invoice", "contract", "return"):
            stmt = stmt.where(model.state == DocumentState.ISSUED)
        with self._db.read(actor) as s:
            found = s.scalar(stmt.order_by(model.fiscal_year.desc()).limit(1))
        if found is None:
            raise NotFound(_WHAT[kind])
        return found

"""The line table shared by quotes, invoices and returns: input, validation, amounts, views.

Amounts come from `arithmetic.compute_line` (iran-rules.md §1.2: integer Rial, VAT floored per
line) and are stored as computed, so a document reads back exactly as it was printed.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Product
from app.models import VatRate as VatRateRow
from app.persian import MAX_RIALS, ValidationError, format_money, format_number, normalize_text, to_persian_digits
from app.services.core.errors import ValidationFailed
from app.services.core.text_guard import UNSAFE_MESSAGE, has_unsafe

from .arithmetic import DEFAULT_VAT_ROWS, LineInput, VatRate, VatTable, compute_line
from .glyphs import unprintable

MAX_LINES = 500
DESCRIPTION_LENGTH = 300  # the line columns' lengths (app.models.documents._Line)
UNIT_LENGTH = 30
QUANTITY_STEP = Decimal("0.001")


@dataclass(frozen=True)
class LineDraft:
    """One line as the user typed it. `vat_rate=None` takes the default of the document date
    (0 for a VAT-exempt product); empty description/unit take the product's."""

    description: str = ""
    quantity: Decimal = Decimal(1)
    unit_price: int = 0
    discount: int = 0
    vat_rate: int | None = None
    product_id: uuid.UUID | None = None
    unit: str = ""


@dataclass(frozen=True)
class LineView:
    id: uuid.UUID
    position: int
    product_id: uuid.UUID | None
    product_code: str | None
    description: str
    quantity: Decimal
    unit: str
    unit_price: int
    discount: int
    vat_rate: int
    amount: int  # prdis
    amount_after_discount: int  # adis
    vat: int  # vam
    total: int  # tsstam
    sstid: str | None = None
    unit_code: str | None = None

    def as_draft(self) -> LineDraft:
        return LineDraft(
            self.description,
            self.quantity,
            self.unit_price,
            self.discount,
            self.vat_rate,
            self.product_id,
            self.unit,
        )


@dataclass(frozen=True)
class Totals:
    total_before_discount: int = 0  # tprdis
    total_discount: int = 0  # tdis
    total_after_discount: int = 0  # tadis
    total_vat: int = 0  # tvam
    total: int = 0  # tbill


def vat_table(session: Session) -> VatTable:
    """The built-in rates (9% to 1402, 10% from 1403) overlaid with the admin's rows."""
    rows = {r.starts_on: r for r in DEFAULT_VAT_ROWS}
    stmt = select(VatRateRow.valid_from, VatRateRow.rate).where(VatRateRow.deleted_at.is_(None))
    for valid_from, rate in session.execute(stmt):
        rows[valid_from] = VatRate(valid_from, rate)
    return VatTable(rows.values())


def _quantity(value) -> Decimal:
    try:
        quantity = Decimal(str(value)) if not isinstance(value, Decimal) else value
    except InvalidOperation:
        raise ValidationError("مقدار نامعتبر است") from None
    if not quantity.is_finite() or quantity <= 0:
        raise ValidationError("مقدار باید بیشتر از صفر باشد")
    if quantity != quantity.quantize(QUANTITY_STEP):
        raise ValidationError("مقدار حداکثر سه رقم اعشار دارد")
    if quantity >= Decimal(10) ** 12:
        raise ValidationError("مقدار بیش از حد بزرگ است")
    return quantity.quantize(QUANTITY_STEP)


def build_lines(
    session: Session,
    drafts: list[LineDraft],
    issue_date: dt.date,
    line_cls: type,
    live_products: bool = True,
    **parent,
) -> tuple[list, Totals]:
    """New ORM lines of `line_cls` (with `parent` foreign keys) and the document totals.

    `live_products=False` accepts products deleted since (a return of an old invoice).
    Raises ValidationFailed with "lines" (no line) or "lines.<i>" (the row at fault) keys.
    """
    if not drafts:
        raise ValidationFailed({"lines": "دست‌کم یک ردیف کالا یا خدمت وارد کنید."})
    if len(drafts) > MAX_LINES:
        raise ValidationFailed({"lines": f"یک سند حداکثر {to_persian_digits(str(MAX_LINES))} ردیف دارد."})
    ids = {d.product_id for d in drafts if d.product_id is not None}
    products = {p.id: p for p in session.scalars(select(Product).where(Product.id.in_(ids)))} if ids else {}
    table = None
    errors: dict[str, str] = {}
    lines, sums = [], [0, 0, 0, 0, 0]
    for i, draft in enumerate(drafts):
        row = to_persian_digits(str(i + 1))
        product = products.get(draft.product_id) if draft.product_id is not None else None
        try:
            if draft.product_id is not None and (product is None or (live_products and product.deleted_at is not None)):
                raise ValidationError("کالا یا خدمت انتخاب‌شده پیدا نشد")
            description = normalize_text(draft.description) or (
                product.name if product is not None and not product.is_other else ""
            )
            if not description:
                raise ValidationError("شرح کالا یا خدمت را وارد کنید")
            _check_text("شرح", description, DESCRIPTION_LENGTH)
            _check_text("واحد", normalize_text(draft.unit), UNIT_LENGTH)
            quantity = _quantity(draft.quantity)
            rate = draft.vat_rate
            if rate is None:
                if product is not None and product.vat_exempt:
                    rate = 0
                else:
                    table = table or vat_table(session)
                    rate = table.rate_on(issue_date)
            amounts = compute_line(LineInput(quantity, draft.unit_price, draft.discount, rate))
        except ValidationError as exc:
            errors[f"lines.{i}"] = f"ردیف {row}: {exc.message}"
            continue
        except TypeError:
            errors[f"lines.{i}"] = f"ردیف {row}: مبلغ‌ها باید عدد صحیح ریال باشند"
            continue
        unit = normalize_text(draft.unit) or (product.unit if product is not None else "") or "عدد"
        lines.append(
            line_cls(
                position=i,
                product_id=draft.product_id,
                product_code=product.code if product is not None else None,
                description=description,
                quantity=quantity,
                unit=unit,
                unit_price=draft.unit_price,
                discount=amounts.dis,
                vat_rate=amounts.vra,
                amount=amounts.prdis,
                amount_after_discount=amounts.adis,
                vat=amounts.vam,
                total=amounts.tsstam,
                **parent,
            )
        )
        for k, v in enumerate((amounts.prdis, amounts.dis, amounts.adis, amounts.vam, amounts.tsstam)):
            sums[k] += v
    if not errors and sums[4] > MAX_RIALS:
        errors["lines"] = f"جمع سند بیش از سقف مجاز ({format_money(MAX_RIALS)}) است."
    if errors:
        raise ValidationFailed(errors)
    return lines, Totals(*sums)


def _check_text(label: str, text: str, length: int) -> None:
    if has_unsafe(text):
        raise ValidationError(f"«{label}»: {UNSAFE_MESSAGE}")
    missing = unprintable(text)
    if missing:  # the PDF would drop them silently
        raise ValidationError(f"«{label}»: «{missing}» در سند چاپی دیده نمی‌شود (شکلک یا نماد)؛ آن را بردارید")
    if len(text) > length:
        raise ValidationError(f"«{label}» حداکثر {format_number(length)} نویسه است (اکنون {format_number(len(text))})")


def apply_totals(header, totals: Totals) -> None:
    header.total_before_discount = totals.total_before_discount
    header.total_discount = totals.total_discount
    header.total_after_discount = totals.total_after_discount
    header.total_vat = totals.total_vat
    header.total = totals.total


def totals_of(header) -> Totals:
    return Totals(
        header.total_before_discount,
        header.total_discount,
        header.total_after_discount,
        header.total_vat,
        header.total,
    )


def line_view(line) -> LineView:
    return LineView(
        id=line.id,
        position=line.position,
        product_id=line.product_id,
        product_code=line.product_code,
        description=line.description,
        quantity=Decimal(line.quantity),
        unit=line.unit,
        unit_price=line.unit_price,
        discount=line.discount,
        vat_rate=line.vat_rate,
        amount=line.amount,
        amount_after_discount=line.amount_after_discount,
        vat=line.vat,
        total=line.total,
        sstid=getattr(line, "sstid", None),
        unit_code=getattr(line, "unit_code", None),
    )


def load_lines(session: Session, line_cls: type, fk: str, parent_id: uuid.UUID) -> list:
    column = getattr(line_cls, fk)
    stmt = (
        select(line_cls)
        .where(column == parent_id, line_cls.deleted_at.is_(None))
        .order_by(line_cls.position, line_cls.id)
    )
    return list(session.scalars(stmt))

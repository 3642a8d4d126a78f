"""Amounts beyond MAX_RIALS (10^15 − 1 Rial) are refused beside the field in every service that takes
money, instead of an OverflowError («خطای پیش‌بینی‌نشده») at 10^19 (issue 13)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.models.enums import PaymentMethod
from app.persian import MAX_RIALS
from app.services.catalog.products import ProductData
from app.services.core.errors import ValidationFailed
from app.services.documents.lines import LineDraft
from app.services.documents.receipts import ReceiptDraft
from tests.services.doc_helpers import DAY, invoice_draft, office
from tests.services.sales_helpers import build

HUGE = 10**19  # past SQLite's and PostgreSQL's 64-bit integers


def test_opportunity_product_and_price_list_amounts(services) -> None:
    sales = build(services)
    with pytest.raises(ValidationFailed) as caught:
        sales.new(amount=HUGE)
    assert "سقف مجاز" in caught.value.errors["amount"]
    with pytest.raises(ValidationFailed) as caught:
        services.products.save(sales.admin, ProductData(code="Z-1", name="طلا", default_price=MAX_RIALS + 1))
    assert "default_price" in caught.value.errors
    with pytest.raises(ValidationFailed) as caught:  # not money, but as large: Numeric(18, 3)
        services.products.save(sales.admin, ProductData(code="Z-2", name="پیچ", on_hand=Decimal(10**16)))
    assert "on_hand" in caught.value.errors
    wholesale = services.price_lists.save_list(sales.admin, "عمده")
    with pytest.raises(ValidationFailed) as caught:
        services.price_lists.set_price(sales.admin, wholesale, sales.products["P-1"], HUGE)
    assert "price" in caught.value.errors


def test_document_lines_and_totals(services) -> None:
    o = office(services)
    cases = (
        [LineDraft("کالا", Decimal(1), HUGE, 0, 0)],  # the price itself
        [LineDraft("کالا", Decimal(1_000_000), 10**10, 0, 0)],  # quantity × price: 10^16
    )
    for lines in cases:
        with pytest.raises(ValidationFailed) as caught:
            services.invoices.create(o.rep, invoice_draft(o, lines))
        assert "سقف مجاز" in caught.value.errors["lines.0"]
    each = [LineDraft("کالا", Decimal(1), MAX_RIALS, 0, 0)] * 2  # each line allowed, the sum is not
    with pytest.raises(ValidationFailed) as caught:
        services.invoices.create(o.rep, invoice_draft(o, each))
    assert "جمع سند" in caught.value.errors["lines"]


def test_receipt_amount(services) -> None:
    o = office(services)
    with pytest.raises(ValidationFailed) as caught:  # receipts had their own, higher limit (10^17)
        services.receipts.create(o.rep, ReceiptDraft(o.customer, MAX_RIALS + 1, DAY, PaymentMethod.CASH))
    assert "سقف مجاز" in caught.value.errors["amount"]

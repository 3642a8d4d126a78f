"""Products, groups, price lists, stock and frozen stock; pipelines and lists administration."""

from __future__ import annotations

import datetime as dt
import decimal

import pytest

from app.models import Invoice, Quote, QuoteLine
from app.models.enums import DocumentState, QuoteState
from app.services.catalog.products import ProductData, ProductQuery
from app.services.core.actor import SYSTEM
from app.services.core.errors import AccessDenied, ServiceError, ValidationFailed
from tests.services.sales_helpers import Sales, build


@pytest.fixture
def sales(services) -> Sales:
    return build(services)


def test_products_search_by_name_code_and_group_tree(sales) -> None:
    s, admin = sales.services.products, sales.admin
    office = s.save_group(admin, "ماشین‌های اداری")
    printers = s.save_group(admin, "چاپگر", parent_id=office)
    laser = s.save(admin, ProductData(code="P-77", name="پرینتر ليزری رنگی", group_id=printers, default_price=9))
    assert [p.id for p in s.search(sales.rep, ProductQuery(text="لیزری رنگی"))] == [laser]
    assert [p.id for p in s.search(sales.rep, ProductQuery(text="P-7"))] == [laser]
    assert [p.id for p in s.search(sales.rep, ProductQuery(group_id=office))] == [laser]  # sub-groups included
    assert s.count(sales.rep, ProductQuery()) == 4  # two of the helper, this one, and «سایر»
    assert s.by_code(sales.rep, "P-77").group_name == "چاپگر"
    with pytest.raises(ValidationFailed) as caught:
        s.save_group(admin, "چاپگر", parent_id=printers, group_id=office)
    assert "parent_id" in caught.value.errors
    with pytest.raises(ServiceError):
        s.delete_group(admin, printers)  # not empty


def test_product_codes_are_unique_and_values_checked(sales) -> None:
    s, admin = sales.services.products, sales.admin
    with pytest.raises(ValidationFailed) as caught:
        s.save(admin, ProductData(code="P-1", name="", default_price=-1, on_hand=-2, sstid="12"))
    assert set(caught.value.errors) == {"code", "name", "default_price", "on_hand", "sstid"}
    with pytest.raises(AccessDenied):
        s.save(sales.rep, ProductData(code="X", name="ایکس"))


def test_the_other_product_cannot_be_deleted(sales) -> None:
    other = next(p for p in sales.services.products.search(sales.admin, ProductQuery(text="سایر")) if p.is_other)
    with pytest.raises(ServiceError):
        sales.services.products.delete(sales.admin, other.id)
    sales.services.products.delete(sales.admin, sales.products["C-2"])
    assert sales.services.products.by_code(sales.admin, "C-2") is None
    assert [d.title for d in sales.services.recycle_bin.deleted(sales.admin, "products")] == ["کابل شبکه"]
    sales.services.recycle_bin.restore(sales.admin, "products", sales.products["C-2"])
    assert sales.services.products.by_code(sales.admin, "C-2") is not None


def test_frozen_stock_is_what_accepted_quotes_hold_until_invoiced(sales) -> None:
    printer = sales.products["P-1"]

    def quote(state: QuoteState, quantity: str) -> object:
        with sales.services.db.write(SYSTEM) as s:
            q = Quote(identity_id=sales.customer, owner_id=sales.other.user_id, issue_date=dt.date.today(), state=state)
            s.add(q)
            s.flush()
            s.add(QuoteLine(quote_id=q.id, product_id=printer, description="پرینتر", quantity=decimal.Decimal(quantity),
                            unit_price=1))  # fmt: skip
            return q.id

    quote(QuoteState.ACCEPTED, "3")
    invoiced = quote(QuoteState.ACCEPTED, "5")
    quote(QuoteState.SENT, "7")
    with sales.services.db.write(SYSTEM) as s:
        s.add(Invoice(identity_id=sales.customer, quote_id=invoiced, issue_date=dt.date.today(),
                      state=DocumentState.ISSUED))  # fmt: skip
    row = sales.services.products.get(sales.rep, printer)  # the rep sees the whole office's frozen stock
    assert (row.on_hand, row.frozen, row.available) == (decimal.Decimal(40), decimal.Decimal(3), decimal.Decimal(37))


def test_price_lists_default_and_admin_only(sales) -> None:
    lists, admin = sales.services.price_lists, sales.admin
    retail = lists.save_list(admin, "خرده‌فروشی", is_default=True)
    wholesale = lists.save_list(admin, "عمده‌فروشی", is_default=True)  # takes the default over
    rows = lists.lists(admin)
    assert [(r.name, r.is_default) for r in rows] == [("عمده‌فروشی", True), ("خرده‌فروشی", False)]
    lists.set_price(admin, retail, sales.products["P-1"], 200)
    prices = {p.code: p.price for p in lists.prices(sales.rep, retail)}
    assert prices == {"C-2": None, "P-1": 200}
    with pytest.raises(ValidationFailed):
        lists.save_list(admin, "خرده‌فروشی")
    with pytest.raises(AccessDenied):
        lists.set_price(sales.rep, retail, sales.products["P-1"], 1)
    lists.delete_list(admin, wholesale)
    assert [r.name for r in lists.lists(admin)] == ["خرده‌فروشی"]


def test_prices_for_several_products_follow_the_list_else_the_product(sales) -> None:
    lists, admin, p1, c2 = sales.services.price_lists, sales.admin, sales.products["P-1"], sales.products["C-2"]
    wholesale = lists.save_list(admin, "عمده‌فروشی")
    lists.set_price(admin, wholesale, p1, 170_000_000)
    prices = sales.services.products.prices_for(sales.rep, [p1, c2, p1], sales.customer, wholesale)
    assert prices == {p1: 170_000_000, c2: 180_000}  # C-2 is not on the list: its own price
    assert sales.services.products.prices_for(sales.rep, [p1], sales.customer, None) == {p1: 185_000_000}
    other = sales.services.products.search(sales.rep, ProductQuery(text="سایر"))[0]
    assert other.is_other and sales.services.products.prices_for(sales.rep, [other.id], None, wholesale) == {}


def test_pipeline_stages_are_edited_by_the_admin(sales) -> None:
    p, admin = sales.services.pipelines, sales.admin
    pipeline = p.pipelines(admin)[0]
    stage = p.save_stage(admin, pipeline.id, "ارائه نمونه", 70)
    p.move_stage(admin, stage, -1)
    names = [st.name for st in p.pipelines(admin)[0].stages]
    assert names == ["جدید", "واجد شرایط", "ارسال پیشنهاد", "ارائه نمونه", "مذاکره"]
    with pytest.raises(ValidationFailed):
        p.save_stage(admin, pipeline.id, "مذاکره", 50)
    with pytest.raises(ValidationFailed):
        p.save_stage(admin, pipeline.id, "بیش", 150)
    sales.new(stage_id=stage)
    with pytest.raises(ServiceError):
        p.delete_stage(admin, stage)  # holds an opportunity
    with pytest.raises(AccessDenied):
        p.save_stage(sales.rep, pipeline.id, "من", 5)
    second = p.save_pipeline(admin, "خدمات")
    only = p.pipelines(admin)[1].stages[0].id
    assert p.pipelines(admin)[1].id == second
    with pytest.raises(ServiceError):
        p.delete_stage(admin, only)  # the last stage


def test_lists_are_ordered_unique_and_admin_only(sales) -> None:
    lists, admin = sales.services.sales_lists, sales.admin
    assert [i.name for i in lists.items(sales.rep, "types")] == ["استاندارد", "سفارش انبوه", "تحویل", "سفارش مخصوص"]
    medium = lists.save_item(admin, "media", "پیامک")
    lists.save_item(admin, "media", "تماس تلفنی")
    lists.move_item(admin, "media", medium, +1)
    assert [i.name for i in lists.items(admin, "media")] == ["تماس تلفنی", "پیامک"]
    with pytest.raises(ValidationFailed):
        lists.save_item(admin, "media", "پیامک")
    lists.save_item(admin, "media", "پیامک", item_id=medium, is_active=False)
    assert [i.name for i in lists.items(admin, "media")] == ["تماس تلفنی"]
    assert len(lists.items(admin, "media", include_inactive=True)) == 2
    with pytest.raises(AccessDenied):
        lists.save_item(sales.rep, "media", "ایمیل")


def test_products_and_prices_import_from_xlsx(sales, tmp_path) -> None:
    from openpyxl import Workbook

    wholesale = sales.services.price_lists.save_list(sales.admin, "عمده‌فروشی")
    book = Workbook()
    sheet = book.active
    sheet.append(["کد", "نام", "گروه", "واحد", "قیمت", "موجودی", "خدمت", "لیست قیمت عمده‌فروشی"])
    sheet.append(["P-1", "پرینتر لیزری جدید", "چاپگر", "دستگاه", "۱۹۰٬۰۰۰٬۰۰۰", "12.5", "", "180000000"])
    sheet.append(["S-9", "نصب", "خدمات", "ساعت", 4000000, "", "بله", ""])
    sheet.append(["", "بی‌کد", "", "", "", "", "", ""])
    sheet.append(["X-1", "قیمت بد", "", "", "دوازده", "", "", ""])
    path = tmp_path / "products.xlsx"
    book.save(path)
    result = sales.services.product_import.run(sales.admin, path)
    assert (result.created, result.updated, result.prices) == (1, 1, 1)
    assert sales.services.products.by_code(sales.admin, "X-1") is None  # the refused row left nothing
    assert [n for n, _ in result.errors] == [4, 5]
    printer = sales.services.products.by_code(sales.admin, "P-1")
    assert (printer.name, printer.group_name, printer.default_price) == ("پرینتر لیزری جدید", "چاپگر", 190_000_000)
    assert printer.on_hand == decimal.Decimal("12.5")
    install = sales.services.products.by_code(sales.admin, "S-9")
    assert install.is_service and not install.track_stock
    prices = {p.code: p.price for p in sales.services.price_lists.prices(sales.admin, wholesale)}
    assert prices["P-1"] == 180_000_000
    with pytest.raises(AccessDenied):
        sales.services.product_import.run(sales.rep, path)

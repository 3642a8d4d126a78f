"""Creating and editing opportunities: defaults, amounts from products, prices, extra fields."""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal

import pytest

from app.models import Identity
from app.models.enums import CustomFieldKind
from app.services.catalog.products import ProductQuery
from app.services.core.actor import SYSTEM
from app.services.core.errors import AccessDenied, ConcurrentChange, ValidationFailed
from app.services.opportunities.data import LineData, OpportunityData, line_total, weighted_amount
from tests.services.sales_helpers import Sales, build


@pytest.fixture
def sales(services) -> Sales:
    return build(services)


def _data(sales: Sales, opp_id) -> OpportunityData:
    d = sales.services.opportunity_records.get(sales.rep, opp_id)
    return OpportunityData(
        identity_id=d.identity_id,
        title=d.title,
        stage_id=d.stage_id,
        amount=d.amount,
        probability=d.probability if d.probability_manual else None,
        priority=d.priority,
        owner_id=d.owner_id,
        tags=d.tags,
        extra=d.extra,
    )


def test_line_arithmetic_rounds_half_up_in_whole_rial() -> None:
    assert line_total(decimal.Decimal("2"), 1_000, 100) == 1_900
    assert line_total(decimal.Decimal("1.5"), 3, 0) == 5  # 4.5 -> 5
    assert line_total("0.333", 10, 0) == 3  # 3.33 -> 3
    assert weighted_amount(1_000_001, 50) == 500_001  # 500000.5 -> 500001


def test_new_opportunity_takes_the_first_stage_its_probability_and_the_actor(sales) -> None:
    opp = sales.services.opportunity_records.get(sales.rep, sales.new(amount=50_000_000))
    assert opp.stage_name == "جدید" and opp.probability == 10 and not opp.probability_manual
    assert opp.owner_id == sales.rep.user_id and opp.owner_name == "rep one"
    assert opp.weighted_amount == 5_000_000
    assert opp.closed_on is None and opp.balance == 0
    assert opp.identity_name == "شرکت آلفا"


def test_probability_typed_by_hand_survives_stage_changes(sales) -> None:
    records = sales.services.opportunity_records
    opp_id = sales.new(probability=45, stage_id=sales.stage("مذاکره").id)
    opp = records.get(sales.rep, opp_id)
    assert opp.probability == 45 and opp.probability_manual
    data = dataclasses.replace(_data(sales, opp_id), stage_id=sales.stage("واجد شرایط").id)
    assert records.update(sales.rep, opp_id, data, opp.version).probability == 45
    following = dataclasses.replace(data, probability=None)  # back to the stage's default
    assert records.update(sales.rep, opp_id, following, opp.version + 1).probability == 30


def test_required_fields_and_ranges_are_refused_with_field_messages(sales) -> None:
    with pytest.raises(ValidationFailed) as caught:
        sales.services.opportunity_records.create(
            sales.rep, OpportunityData(identity_id=None, title="  ", priority=5, probability=120)
        )
    assert set(caught.value.errors) == {"identity_id", "title", "priority", "probability"}
    assert caught.value.errors["identity_id"] == "هویت مرتبط را انتخاب کنید."


def test_amount_is_the_sum_of_product_lines_and_cannot_be_typed(sales) -> None:
    printer, cable = sales.products["P-1"], sales.products["C-2"]
    lines = (
        LineData(printer, quantity=2, discount=10_000_000),
        LineData(cable, quantity=decimal.Decimal("12.5"), unit_price=181),  # 2262.5 -> 2263
    )
    opp_id = sales.new(amount=1, lines=lines)
    opp = sales.services.opportunity_records.get(sales.rep, opp_id)
    assert [line.total for line in opp.lines] == [360_000_000, 2_263]
    assert opp.amount == 360_002_263
    assert opp.lines[0].unit_price == 185_000_000 and opp.lines[0].name == "پرینتر لیزری"
    assert opp.lines[1].quantity == decimal.Decimal("12.500")


def test_unit_price_comes_from_the_identity_list_then_the_default_list_then_the_product(sales) -> None:
    s, admin, printer = sales.services, sales.admin, sales.products["P-1"]
    assert s.products.price_for(sales.rep, printer, sales.customer) == 185_000_000
    retail = s.price_lists.save_list(admin, "خرده‌فروشی", is_default=True)
    wholesale = s.price_lists.save_list(admin, "عمده‌فروشی")
    s.price_lists.set_price(admin, retail, printer, 190_000_000)
    s.price_lists.set_price(admin, wholesale, printer, 170_000_000)
    assert s.products.price_for(sales.rep, printer, sales.customer) == 190_000_000
    with s.db.write(SYSTEM) as session:
        session.get(Identity, sales.customer).price_list_id = wholesale
    assert s.products.price_for(sales.rep, printer, sales.customer) == 170_000_000
    opp = s.opportunity_records.get(sales.rep, sales.new(lines=(LineData(printer, 1),)))
    assert opp.amount == 170_000_000
    s.price_lists.set_price(admin, wholesale, printer, None)  # off the list: the default list again
    assert s.products.price_for(sales.rep, printer, sales.customer) == 190_000_000


def test_the_other_product_keeps_each_lines_description(sales) -> None:
    rows = sales.services.products.search(sales.rep, ProductQuery(text="سایر"))
    other_id = next(p.id for p in rows if p.is_other)
    lines = (LineData(other_id, 3, unit_price=2_000_000, description="نصب روی دیوار"),)
    opp = sales.services.opportunity_records.get(sales.rep, sales.new(lines=lines))
    assert opp.lines[0].name == "نصب روی دیوار" and opp.lines[0].is_other
    assert opp.amount == 6_000_000


def test_editing_lines_replaces_them_and_removing_all_frees_the_amount(sales) -> None:
    records, printer = sales.services.opportunity_records, sales.products["P-1"]
    opp_id = sales.new(lines=(LineData(printer, 1), LineData(printer, 2)))
    opp = records.get(sales.rep, opp_id)
    data = dataclasses.replace(_data(sales, opp_id), lines=(LineData(printer, 1, unit_price=100),))
    opp = records.update(sales.rep, opp_id, data, opp.version)
    assert len(opp.lines) == 1 and opp.amount == 100
    opp = records.update(sales.rep, opp_id, dataclasses.replace(data, lines=(), amount=7_000), opp.version)
    assert opp.lines == () and opp.amount == 7_000


def test_bad_lines_are_refused(sales) -> None:
    printer = sales.products["P-1"]
    for line in (LineData(printer, 0), LineData(printer, 1, unit_price=10, discount=11), LineData(printer, "x")):
        with pytest.raises(ValidationFailed) as caught:
            sales.new(lines=(line,))
        assert "lines" in caught.value.errors


def test_a_stale_version_is_refused(sales) -> None:
    records = sales.services.opportunity_records
    opp_id = sales.new()
    version = records.get(sales.rep, opp_id).version
    records.update(sales.rep, opp_id, dataclasses.replace(_data(sales, opp_id), title="تازه"), version)
    with pytest.raises(ConcurrentChange):
        records.update(sales.rep, opp_id, _data(sales, opp_id), version)


def test_tags_are_created_on_the_fly_and_shared(sales) -> None:
    opp = sales.services.opportunity_records.get(sales.rep, sales.new(tags=("عمده", "تهران", "عمده")))
    assert opp.tags == ("تهران", "عمده")
    again = sales.services.opportunity_records.get(sales.rep, sales.new(tags=("عمده",)))
    assert again.tags == ("عمده",)
    assert set(sales.services.opportunity_records.choices(sales.rep).tags) == {"تهران", "عمده"}


def test_extra_fields_are_checked_and_stored_by_field(sales) -> None:
    fields = sales.services.custom_fields
    payment = fields.save_field(sales.admin, "شیوه پرداخت", CustomFieldKind.CHOICE, ("نقدی", "اقساطی"))
    count = fields.save_field(sales.admin, "تعداد شعب", CustomFieldKind.NUMBER)
    visit = fields.save_field(sales.admin, "تاریخ بازدید", CustomFieldKind.DATE)
    note = fields.save_field(sales.admin, "یادداشت فنی", CustomFieldKind.TEXT)
    good = {str(payment): "اقساطی", str(count): "۱۲", str(visit): dt.date(2026, 3, 1), str(note): "  ك  "}
    opp = sales.services.opportunity_records.get(sales.rep, sales.new(extra=good))
    assert opp.extra == {str(payment): "اقساطی", str(count): 12, str(visit): "2026-03-01", str(note): "ک"}
    with pytest.raises(ValidationFailed) as caught:
        sales.new(extra={str(payment): "چک", str(count): "دوازده"})
    assert set(caught.value.errors) == {f"extra:{payment}", f"extra:{count}"}
    with pytest.raises(ValidationFailed):
        fields.save_field(sales.admin, "خالی", CustomFieldKind.CHOICE, ())
    with pytest.raises(AccessDenied):
        fields.save_field(sales.rep, "فیلد", CustomFieldKind.TEXT)


def test_an_own_documents_rep_cannot_give_an_opportunity_to_someone_else(sales) -> None:
    with pytest.raises(AccessDenied):
        sales.new(owner_id=sales.other.user_id)
    with pytest.raises(AccessDenied):  # nor open one on another rep's identity
        sales.new(actor=sales.other)


def test_soft_delete_moves_to_the_recycle_bin(sales) -> None:
    opp_id = sales.new(title="حذفی")
    sales.services.opportunity_records.soft_delete(sales.rep, opp_id)
    deleted = sales.services.recycle_bin.deleted(sales.admin, "opportunities")
    assert [d.id for d in deleted] == [opp_id]

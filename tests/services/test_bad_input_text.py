"""Bad text at the service boundary (issue 13): control and bidi-override characters, and text longer
than its column, are refused with a Persian message naming the field; nothing is half-stored."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.services.catalog.products import ProductData
from app.services.core.errors import ValidationFailed
from app.services.documents.lines import LineDraft
from app.services.identities.records import IdentityData
from app.services.identities.service import IdentityQuery
from tests.services.doc_helpers import invoice_draft, office
from tests.services.sales_helpers import build

RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: «abc» shows as «cba»
BAD = ["\x00", "\x07", "\x1b", "\x7f", "\x9b", RLO, "\u202a", "\u2066", "\u2069"]


@pytest.mark.parametrize("char", BAD)
def test_identity_names_with_control_or_override_characters_are_refused(services, admin, char) -> None:
    before = services.identities.count(admin, IdentityQuery())
    with pytest.raises(ValidationFailed) as caught:
        services.identities.create(admin, IdentityData(first_name="علی", last_name=f"کریمی{char}زاده"))
    assert "«نام خانوادگی»" in caught.value.errors["last_name"]
    assert services.identities.count(admin, IdentityQuery()) == before


def test_persian_joiners_and_direction_marks_are_kept(services, admin) -> None:
    name = "می\u200cخواهم\u200d \u200fنو\u200e"  # ZWNJ, ZWJ, RLM, LRM: typed by Persian keyboards
    created = services.identities.create(admin, IdentityData(first_name="علی", last_name=name))
    assert services.identities.get(admin, created.id).last_name == name


def test_opportunity_title_and_product_name_are_refused(services) -> None:
    sales = build(services)
    with pytest.raises(ValidationFailed) as caught:
        sales.new(title=f"فروش{RLO}cba")
    assert "title" in caught.value.errors and "«عنوان»" in caught.value.errors["title"]
    with pytest.raises(ValidationFailed) as caught:
        services.products.save(sales.admin, ProductData(code="Z-1", name="چاپگر\x00"))
    assert "«نام»" in caught.value.errors["name"]
    assert services.products.by_code(sales.admin, "Z-1") is None


def test_document_line_description_bad_characters_and_length_name_the_row(services) -> None:
    o = office(services)
    for text, words in ((f"کالا{RLO}", "«شرح»"), ("خ" * 5000, "حداکثر ۳۰۰ نویسه")):
        lines = [LineDraft("کالا", Decimal(1), 1000, 0, 0), LineDraft(text, Decimal(1), 1000, 0, 0)]
        with pytest.raises(ValidationFailed) as caught:
            services.invoices.create(o.rep, invoice_draft(o, lines))
        assert words in caught.value.errors["lines.1"] and "ردیف ۲" in caught.value.errors["lines.1"]
    longest = services.invoices.create(o.rep, invoice_draft(o, [LineDraft("خ" * 300, Decimal(1), 1000, 0, 0)]))
    assert longest.lines[0].description == "خ" * 300


def test_text_longer_than_its_column_is_refused_not_cut(services) -> None:
    sales = build(services)
    with pytest.raises(ValidationFailed) as caught:
        services.products.save(sales.admin, ProductData(code="Z-2", name="چاپگر", unit="و" * 31))
    assert "حداکثر ۳۰ نویسه" in caught.value.errors["unit"]


def test_on_the_server_a_nul_in_a_bulk_insert_is_a_persian_refusal(pg_database) -> None:
    """PostgreSQL cannot store NUL at all: a write that bypassed the ORM's check still gets a message."""
    from sqlalchemy import insert

    from app.models import Category, new_id
    from app.services.core import migrations
    from app.services.core.actor import SYSTEM
    from app.services.core.database import Database
    from app.services.core.errors import ServiceError

    db = Database(pg_database)
    migrations.upgrade(db)
    with pytest.raises(ServiceError, match="نویسه‌های کنترلی"):
        with db.write(SYSTEM) as s:
            s.execute(insert(Category).values(id=new_id(), name="خرده\x00فروش"))
    db.dispose()

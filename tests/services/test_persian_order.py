"""Lists people read by name sort in the Persian alphabet, in SQL, on SQLite and PostgreSQL (issue 14)."""

from __future__ import annotations

import csv
import random
from dataclasses import replace

import pytest
from alembic import command
from sqlalchemy import select

from app.models import Category, Identity, IdentityKind, Opportunity, Product, Source, User
from app.persian import sort_key
from app.services.catalog.products import ProductData, ProductQuery
from app.services.core import migrations
from app.services.core.actor import SYSTEM
from app.services.documents.invoice_views import InvoiceDraft, InvoiceQuery
from app.services.identities.records import AddressData, IdentityData
from app.services.identities.service import IdentityQuery
from app.services.opportunities.queries import OpportunityQuery
from tests.persian.test_persian_sort import THIRTY_SEVEN
from tests.services.doc_helpers import DAY, add_identity, example_lines, office
from tests.services.sales_helpers import build

# A few of the 37, shuffled, for the smaller lists (users, categories, products, cities).
SOME = ["آرش", "پرویز", "چنگیز", "ژاله", "کاوه", "گلاره", "نادر", "وحید", "هادی", "یاسمن"]


def _shuffled(names: list[str], seed: int) -> list[str]:
    names = names[:]
    random.Random(seed).shuffle(names)
    return names


def _organisation(name: str, city: str = "") -> IdentityData:
    addresses = [AddressData(city=city)] if city else []
    return IdentityData(kind=IdentityKind.ORGANISATION, org_name=name, addresses=addresses)


@pytest.fixture
def the_37(services):
    admin = services.users.ensure_admin()
    ids = {}
    for name in _shuffled(THIRTY_SEVEN, 37):
        ids[name] = services.identities.create(admin, _organisation(name), allow_duplicates=True).id
    return admin, ids


def test_the_identity_list_pages_the_37_names_in_the_persian_alphabet(services, the_37) -> None:
    admin, _ids = the_37
    first, rest = (
        services.identities.search(admin, IdentityQuery(), offset, size) for offset, size in ((0, 20), (20, 50))
    )
    assert [r.display_name for r in first + rest] == THIRTY_SEVEN
    backwards = services.identities.search(admin, IdentityQuery(descending=True), 0, 100)
    assert [r.display_name for r in backwards] == THIRTY_SEVEN[::-1]


def test_a_rename_moves_the_identity_to_its_new_place(services, the_37) -> None:
    admin, ids = the_37
    detail = services.identities.get(admin, ids["یاسمن"])
    services.identities.update(admin, ids["یاسمن"], _organisation("آبتین"), detail.version)
    names = [r.display_name for r in services.identities.search(admin, IdentityQuery(), 0, 100)]
    assert names[:3] == ["آبتین", "احمد", "آرش"]  # آ sorts as ا: «آبتین» (ا ب) before «احمد» (ا ح)


def test_quick_search_hits_and_export_follow_the_persian_alphabet(services, the_37, tmp_path) -> None:
    admin, _ids = the_37
    hits = services.identities.search(admin, IdentityQuery(text="ا"), 0, 100)  # a one-letter name prefix
    assert [r.display_name for r in hits] == ["احمد", "آرش"]
    hits = services.identities.search(admin, IdentityQuery(text="كا"), 0, 100)  # Arabic kaf, two letters
    assert [r.display_name for r in hits] == ["کامران", "کاوه"]
    hits = services.identities.search(admin, IdentityQuery(text="م", descending=True), 0, 100)
    assert [r.display_name for r in hits] == ["مهسا 10", "مهسا ۲", "مریم"]
    target = tmp_path / "all.csv"
    assert services.identity_export.export(admin, IdentityQuery(), target) == 37
    with target.open(encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))[1:]
    assert [next(cell for cell in row if cell in THIRTY_SEVEN) for row in rows] == THIRTY_SEVEN


def test_identities_sort_by_city_in_the_persian_alphabet(services) -> None:
    admin = services.users.ensure_admin()
    cities = ["یزد", "پاکدشت", "تهران", "چالوس", "کرج", "گرگان", "اهواز", "آمل"]
    for i, city in enumerate(_shuffled(cities, 8)):
        services.identities.create(admin, _organisation(f"شرکت {i}", city), allow_duplicates=True)
    rows = services.identities.search(admin, IdentityQuery(sort="city"), 0, 20)
    assert [r.city for r in rows] == ["آمل", "اهواز", "پاکدشت", "تهران", "چالوس", "کرج", "گرگان", "یزد"]


def test_the_list_and_its_export_sort_by_source_alike(services, tmp_path) -> None:
    admin = services.users.ensure_admin()
    for i, name in enumerate(_shuffled(SOME[4:9], 17)):
        source = services.sales_lists.save_item(admin, "sources", name)
        services.identities.create(admin, replace(_organisation(f"شرکت {i}"), source_id=source), allow_duplicates=True)
    listed = [r.source_name for r in services.identities.search(admin, IdentityQuery(sort="source_name"), 0, 20)]
    assert listed == SOME[4:9]
    target = tmp_path / "by-source.csv"
    services.identity_export.export(admin, IdentityQuery(sort="source_name"), target)
    with target.open(encoding="utf-8-sig") as f:
        exported = [next(cell for cell in row if cell in SOME) for row in list(csv.reader(f))[1:]]
    assert exported == listed


def test_owners_combo_users_list_and_owner_sort_follow_the_alphabet(services) -> None:
    from app.services.admin.users import UserData

    admin = services.users.ensure_admin()
    for i, name in enumerate(_shuffled(SOME, 3)):
        services.users.create_user(admin, UserData(login=f"user{i}", display_name=name), "Passw0rd-Strong!")
    owners = [c.name for c in services.identities.owners(admin) if c.name in SOME]
    assert owners == SOME
    listed = [u.display_name for u in services.users.list_users(admin) if u.display_name in SOME]
    assert listed == SOME
    choices = [u.display_name for u in services.activities.assignable_users(admin) if u.display_name in SOME]
    assert choices == SOME


def test_category_tree_siblings_follow_the_alphabet(services) -> None:
    admin = services.users.ensure_admin()
    root = services.categories.save(admin, "مشتریان")
    for name in _shuffled(SOME, 5):
        services.categories.save(admin, name, root.id)
    tree = services.categories.tree(admin)
    assert [n.name for n in tree] == ["مشتریان", *SOME]


def test_products_by_name_and_opportunities_by_title_follow_the_alphabet(services) -> None:
    sales = build(services)
    for i, name in enumerate(_shuffled(SOME, 11)):
        services.products.save(sales.admin, ProductData(code=f"S-{i}", name=name))
        sales.new(title=name)
    rows = services.products.search(sales.admin, ProductQuery(sort="name"), 0, 50)
    assert [r.name for r in rows if r.name in SOME] == SOME
    page = services.opportunities.search(sales.admin, OpportunityQuery(sort="title"), 0, 50)
    assert [r.title for r in page if r.title in SOME] == SOME


def test_the_product_completer_offers_names_in_the_alphabet_with_numbers_by_value(services) -> None:
    admin = services.users.ensure_admin()
    for code, name in (("A-1", "کاغذ A4"), ("A-2", "کابل ۱۰ متری"), ("A-3", "کابل 2 متری"), ("A-4", "پاکت")):
        services.products.save(admin, ProductData(code=code, name=name))
    offered = [p.name for p in services.products.search(admin, ProductQuery(text="ک"), 0, 20)]  # as the completer asks
    assert offered == ["پاکت", "کابل 2 متری", "کابل ۱۰ متری", "کاغذ A4"]


def test_price_lists_and_saved_searches_follow_the_alphabet_the_default_first(services) -> None:
    admin = services.users.ensure_admin()
    for name in ("همکاران", "ویژه", "پخش"):
        services.price_lists.save_list(admin, name)
    services.price_lists.save_list(admin, "عمده", is_default=True)
    names = [r.name for r in services.price_lists.lists(admin)]
    assert names[0] == "عمده" and [n for n in names if n != "عمده"] == sorted(names[1:], key=sort_key)
    assert names.index("پخش") < names.index("ویژه") < names.index("همکاران")
    for name in ("یاران", "ژاله‌ها", "بدهکاران"):
        services.saved_searches.save(admin, name, {})
    assert [r.name for r in services.saved_searches.list(admin)] == ["بدهکاران", "ژاله‌ها", "یاران"]


def test_board_cards_of_equal_urgency_and_amount_follow_the_alphabet(services) -> None:
    sales = build(services)
    for name in _shuffled(SOME, 13):
        sales.new(title=name)
    cards = [c.title for column in services.board.load(sales.rep).columns for c in column.cards]
    assert cards == SOME


def test_invoices_sort_by_customer_in_the_alphabet(services) -> None:
    shop = office(services)
    with services.db.write(SYSTEM) as s:
        customers = [add_identity(s, shop.rep, name) for name in ("یاسمن", "پرویز", "کاوه")]
    for customer in customers:
        services.invoices.create(shop.rep, InvoiceDraft(customer, DAY, example_lines(shop)))
    rows = services.invoices.search(shop.rep, InvoiceQuery(sort="identity_name", descending=False))
    assert [r.identity_name for r in rows] == ["پرویز", "کاوه", "یاسمن"]


def _keys_match(db, model, source: str, target: str) -> None:
    with db.read(SYSTEM) as s:
        rows = s.execute(select(getattr(model, source), getattr(model, target))).all()
    assert rows and all(key == sort_key(value) for value, key in rows)


def test_imported_identities_get_their_keys_and_sort_among_the_others(services, tmp_path) -> None:
    admin = services.users.ensure_admin()
    services.identities.create(admin, _organisation("کاوه"), allow_duplicates=True)
    source = tmp_path / "people.csv"
    rows = [f"{name},{city}" for name, city in (("یاسمن", "یزد"), ("پرویز", "آمل"), ("گلاره", "چالوس"))]
    source.write_text("نام سازمان,شهر\n" + "\n".join(rows) + "\n", encoding="utf-8-sig")
    table = services.identity_import.read(source)
    assert services.identity_import.run(admin, table, {0: "org_name", 1: "city"}).created == 3
    names = [r.display_name for r in services.identities.search(admin, IdentityQuery(), 0, 10)]
    assert names == ["پرویز", "کاوه", "گلاره", "یاسمن"]
    cities = [r.city for r in services.identities.search(admin, IdentityQuery(sort="city"), 0, 10)]
    assert cities == [None, "آمل", "چالوس", "یزد"]  # no city first, on both databases


def _keys_match(db, model, source: str, target: str) -> None:
    with db.read(SYSTEM) as s:
        rows = s.execute(select(getattr(model, source), getattr(model, target))).all()
    assert rows and all(key == sort_key(value) for value, key in rows)
    assert any(key for _value, key in rows)


def test_the_migration_fills_the_keys_of_existing_rows(services) -> None:
    sales = build(services)
    sales.new(title="فروش ۲ چاپگر")
    services.identities.create(sales.admin, _organisation("گلاره", "تهران"), allow_duplicates=True)
    services.categories.save(sales.admin, "گروه ۱۰")
    services.sales_lists.save_item(sales.admin, "sources", "نمایشگاه ۱۰")
    cfg = migrations._config()
    with services.db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0003_import_users")  # the columns are gone with their values
    with services.db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    for model, source, target in (
        (Identity, "display_name", "name_sort"),
        (Identity, "primary_city", "city_sort"),
        (Opportunity, "title", "title_sort"),
        (Product, "name", "name_sort"),
        (User, "display_name", "name_sort"),
        (Category, "name", "name_sort"),
        (Source, "name", "name_sort"),
    ):
        _keys_match(services.db, model, source, target)

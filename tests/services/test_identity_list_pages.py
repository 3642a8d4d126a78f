"""Keyset pages of the identity list: the rows OFFSET paging gave, in the same order, for every sort and
filter and each quick-search plan; no row twice and none lost when rows come and go between pages."""

from __future__ import annotations

import pytest

from app.models import IdentityRole
from app.persian import search_key
from app.services.identities import list_pages, name_order
from app.services.identities.records import IdentityData, PhoneData
from app.services.identities.service import SORT_COLUMNS, IdentityQuery


def _walk(services, actor, query: IdentityQuery, size: int, cursor=None) -> list:
    """Every row (after `cursor`), page after page by cursor."""
    rows = []
    while True:
        page = services.identities.page(actor, query, cursor, size)
        rows += [r.id for r in page.rows]
        assert len(page.rows) <= size
        if page.after is None:
            return rows
        cursor = page.after


def _offset(services, actor, query: IdentityQuery) -> list:
    return [r.id for r in services.identities.search(actor, query, 0, 10_000)]


@pytest.mark.parametrize("sort", sorted(SORT_COLUMNS))
def test_every_sort_both_ways_gives_the_offset_rows(demo_services, demo_admin, sort) -> None:
    for descending in (False, True):
        query = IdentityQuery(sort=sort, descending=descending)
        assert _walk(demo_services, demo_admin, query, 37) == _offset(demo_services, demo_admin, query)


# Plans of the quick search, forced on the demo's 300 rows (on them the thresholds pick only one):
# fetch and sort the hits; walk the sort's index testing each row; a walk too short for a page, which
# falls back to walking the index against the set of hits. In name order (name_order): the bounded sort
# of the hits' heads; the walk; a walk too short for a page, then that sort.
_ALWAYS_WALK = {"name_order.SORT_BELOW": 0, "name_order.WALK_MARGIN": 0, "name_order.WALK_ROW_COST": 0}
PLANS = {
    "sort": {"SORT_BELOW": 10**9},
    "walk": {"SORT_BELOW": 0, "SAMPLE": 2},
    "short_walk": {"SORT_BELOW": 0, "SAMPLE": 2, "WALK_ROWS": 3},
    "heads": {"name_order.WINDOW_SAMPLE": 8, "name_order.SORT_BELOW": 10**9},
    "heads_walk": {"name_order.WINDOW_SAMPLE": 2, **_ALWAYS_WALK},
    "heads_short_walk": {"name_order.WINDOW_SAMPLE": 2, **_ALWAYS_WALK, "WALK_ROWS": 3},
}


def _force(monkeypatch, plan: str) -> None:
    for name, value in PLANS[plan].items():
        module, _, attr = name.rpartition(".")
        monkeypatch.setattr(name_order if module else list_pages, attr, value)


def _start_and_inside(rows) -> str:
    """A word that starts some names and sits inside others («علی»: «علی رضایی», «محمدعلی …»): its
    pages merge the name order's range of the one with the hits of the other."""
    keys = [search_key(r.display_name) for r in rows]
    for row in rows:
        word = search_key(row.display_name.split()[0])[:4]
        if len(word) >= 3 and any(word in k[1:] for k in keys):
            return word
    raise AssertionError("the demo has no such word")


@pytest.mark.parametrize("plan", sorted(PLANS))
def test_quick_search_pages_match_offset_paging_under_each_plan(monkeypatch, demo_services, demo_admin, plan) -> None:
    _force(monkeypatch, plan)
    rows = demo_services.identities.search(demo_admin, IdentityQuery(), 0, 300)
    first_word = rows[0].display_name.split()[0]
    terms = [first_word, first_word[1:4], _start_and_inside(rows), rows[5].mobile[:5], "example", "ی", "مه", "@"]
    for text in terms:
        for sort in ("display_name", "mobile", "owner_name", "created_at"):
            for descending in (False, True):
                query = IdentityQuery(text=text, sort=sort, descending=descending)
                expected = _offset(demo_services, demo_admin, query)
                assert _walk(demo_services, demo_admin, query, 5) == expected, (text, sort, descending)


def test_filters_page_like_offset(demo_services, demo_admin) -> None:
    owner = demo_services.identities.search(demo_admin, IdentityQuery(), 0, 1)[0]
    detail = demo_services.identities.get(demo_admin, owner.id)
    for query in (
        IdentityQuery(role=IdentityRole.LEAD),
        IdentityQuery(role=IdentityRole.CONTACT, sort="role", descending=True),
        IdentityQuery(owner_id=detail.owner_id, sort="city"),
        IdentityQuery(scope="mine", sort="source_name"),
        IdentityQuery(kind=detail.kind, sort="category_name", descending=True, text="ا"),
    ):
        assert _walk(demo_services, demo_admin, query, 11) == _offset(demo_services, demo_admin, query)


def _person(services, admin, first: str, mobile: str | None = None):
    phones = [PhoneData(mobile)] if mobile else []
    data = IdentityData(first_name=first, last_name="آزمون", phones=phones)
    return services.identities.create(admin, data, allow_duplicates=True).id


@pytest.mark.parametrize(
    "query",
    [IdentityQuery(), IdentityQuery(sort="owner_name"), IdentityQuery(text="آزمون", descending=True)],
    ids=["name", "owner", "search"],
)
def test_rows_coming_and_going_between_pages_are_neither_repeated_nor_lost(demo_services, demo_admin, query) -> None:
    service = demo_services.identities
    for n in range(12):
        _person(demo_services, demo_admin, "پ" + "ب" * n)
    first = service.page(demo_admin, query, None, 5)
    shown = [r.id for r in first.rows]
    # Before the cursor (never shown now), after it (shown later), the cursor's own row and a later one gone.
    early = _person(demo_services, demo_admin, "آآ" if not query.descending else "ییی")
    late = _person(demo_services, demo_admin, "ییی" if not query.descending else "آآ")
    rest_before = _offset(demo_services, demo_admin, query)
    later = rest_before[rest_before.index(shown[-1]) + 3]
    service.soft_delete(demo_admin, shown[-1])
    service.soft_delete(demo_admin, later)
    rows = _walk(demo_services, demo_admin, query, 7, first.after)
    now = _offset(demo_services, demo_admin, query)
    assert rows == now[now.index(shown[-2]) + 1 :]  # the cursor's row is gone, the one before it stays
    assert late in rows and later not in rows and early in now and not set(shown) & set(rows)
    if query.sort == "display_name":
        assert early not in rows


def test_nulls_sort_where_the_database_puts_them(services, admin) -> None:
    """No mobile (NULL) sorts first ascending on SQLite, last on PostgreSQL: the cursor follows."""
    for i in range(5):
        _person(services, admin, f"بی‌شماره{'ب' * i}")
        _person(services, admin, f"با‌شماره{'ب' * i}", f"0912{i}000000")
    for sort in ("mobile", "national_code", "city"):
        for descending in (False, True):
            query = IdentityQuery(sort=sort, descending=descending)
            assert _walk(services, admin, query, 3) == _offset(services, admin, query)


def test_an_empty_list_is_one_empty_last_page(services, admin) -> None:
    page = services.identities.page(admin, IdentityQuery(text="هیچ‌کس"))
    assert page.rows == [] and page.after is None


@pytest.mark.parametrize("plan", ["heads", "heads_walk", "heads_short_walk"])
def test_names_sharing_their_head_page_like_offset_across_changes(monkeypatch, services, admin, plan) -> None:
    """Names alike in their first characters (the heads of identity_order) are told apart by their whole
    name_sort, also at a page's edge and at the cursor, while rows come and go between pages."""
    _force(monkeypatch, plan)
    service = services.identities
    long_name = "عبدالرحمن عبدالرحیم‌زاده"
    for n in range(9):
        _person(services, admin, long_name + " " + "ب" * (n % 4), f"0912{n}000000")
    for n in range(4):
        _person(services, admin, "آزمون‌پیشین " * (n + 1))
    query = IdentityQuery(text="آزمون")
    assert _walk(services, admin, query, 3) == _offset(services, admin, query)
    first = service.page(admin, query, None, 6)
    shown = [r.id for r in first.rows]
    twin = _person(services, admin, long_name + " " + "ب")  # sorts among the rows shown and those to come
    service.soft_delete(admin, shown[-1])
    rows = _walk(services, admin, query, 4, first.after)
    now = _offset(services, admin, query)
    assert rows == now[now.index(shown[-2]) + 1 :]
    assert twin in now and len(set(rows)) == len(rows)


@pytest.mark.sqlite_only  # identity_order exists on SQLite only (the server sorts with its own indexes)
def test_the_name_order_table_follows_every_write(services, admin) -> None:
    """identity_order holds each live identity's rowid and name_sort head, through create, rename,
    deletion and restore (its triggers)."""
    from sqlalchemy import text

    from app.services.identities.records import IdentityData

    ids = [_person(services, admin, f"پیمان{'ب' * n}") for n in range(3)]
    service = services.identities
    detail = service.get(admin, ids[0])
    service.update(admin, ids[0], IdentityData(first_name="یاسمن", last_name="آزمون"), detail.version)
    service.soft_delete(admin, ids[1])
    service.soft_delete(admin, ids[2])
    services.recycle_bin.restore(admin, "identities", ids[2])
    expected = (
        "SELECT rowid, substr(name_sort, 1, 16) FROM identities "
        "WHERE deleted_at IS NULL AND merged_into_id IS NULL ORDER BY rowid"
    )
    with services.db.read(admin) as s:
        rows = s.execute(text("SELECT rid, head FROM identity_order ORDER BY rid")).all()
        assert rows == s.execute(text(expected)).all()
        assert len(rows) == service.count(admin, IdentityQuery())

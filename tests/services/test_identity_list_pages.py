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
# falls back to walking the index against the set of hits. In name order (name_order), bucket by bucket:
# the last bucket's hits fetched and sorted; walked; a walk too short for a page, then fetched and sorted.
PLANS = {
    "sort": {"SORT_BELOW": 10**9},
    "walk": {"SORT_BELOW": 0},
    "short_walk": {"SORT_BELOW": 0, "WALK_ROWS": 3},
    "buckets": {"name_order.COLLECT_MAX": 10**9},
    "buckets_walk": {"name_order.COLLECT_MAX": 0},
    "buckets_short_walk": {"name_order.COLLECT_MAX": 0, "name_order.WALK_ROWS": 3},
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


@pytest.mark.parametrize("descending", [False, True], ids=["ascending", "descending"])
@pytest.mark.parametrize("plan", ["buckets", "buckets_walk", "buckets_short_walk"])
def test_names_sharing_their_bucket_page_like_offset_across_changes(
    monkeypatch, services, admin, plan, descending
) -> None:
    """Names alike in their first characters (one bucket of the index's name order) are told apart by their
    whole name_sort, also at a page's edge and at the cursor, while rows come and go between pages, in
    both directions."""
    _force(monkeypatch, plan)
    service = services.identities
    long_name = "عبدالرحمن عبدالرحیم‌زاده"
    for n in range(9):
        _person(services, admin, long_name + " " + "ب" * (n % 4), f"0912{n}000000")
    for n in range(4):
        _person(services, admin, "آزمون‌پیشین " * (n + 1))
    query = IdentityQuery(text="آزمون", descending=descending)
    assert _walk(services, admin, query, 3) == _offset(services, admin, query)
    first = service.page(admin, query, None, 6)
    shown = [r.id for r in first.rows]
    twin = _person(services, admin, long_name + " " + "ب")  # sorts among the rows shown and those to come
    service.soft_delete(admin, shown[-1])
    rows = _walk(services, admin, query, 4, first.after)
    now = _offset(services, admin, query)
    assert rows == now[now.index(shown[-2]) + 1 :]
    assert twin in now and len(set(rows)) == len(rows)


@pytest.mark.sqlite_only  # the FTS5 index exists on SQLite only (the server searches its trigram index)
def test_the_index_holds_every_live_identity_in_its_bucket(services, admin) -> None:
    """identity_search holds each live identity once, under its name's bucket and rowid, through create,
    rename, deletion, restore and merge (its triggers); a hit's rowid gives back the identity."""
    from sqlalchemy import text

    from app.migrations.raw_ddl import search_rowid_sql
    from app.services.identities.records import IdentityData

    ids = [_person(services, admin, f"پیمان{'ب' * n} آزمایشی") for n in range(5)]
    service = services.identities
    detail = service.get(admin, ids[0])
    service.update(admin, ids[0], IdentityData(first_name="یاسمن", last_name="آزمایشی"), detail.version)
    service.soft_delete(admin, ids[1])
    service.soft_delete(admin, ids[2])
    services.recycle_bin.restore(admin, "identities", ids[2])
    services.identity_merge.merge(admin, ids[3], ids[4])
    # The index cannot be listed (it keeps no column sizes): every identity holding the word is asked for.
    word = search_key("آزمایشی")
    expected = (
        f"SELECT {search_rowid_sql('identities')} FROM identities WHERE deleted_at IS NULL "
        "AND merged_into_id IS NULL AND instr(search_blob, :w) ORDER BY 1"
    )
    with services.db.read(admin) as s:
        found = "SELECT rowid FROM identity_search WHERE identity_search MATCH :m ORDER BY rowid"
        keys = s.execute(text(found), {"m": f'"{word}"'}).scalars().all()
        assert keys == s.execute(text(expected), {"w": word}).scalars().all() and len(keys) == 3
    hits = service.search(admin, IdentityQuery(text="آزمایشی"), 0, 10)
    assert sorted(r.id for r in hits) == sorted([ids[0], ids[2], ids[3]])
    assert service.count(admin, IdentityQuery(text="آزمایشی")) == 3


@pytest.mark.sqlite_only  # the triggers' SQL is SQLite's
def test_the_bucket_follows_the_name_order_and_matches_the_triggers(services, admin) -> None:
    """Python's bucket of a name_sort is the triggers' (SQL) one, it never decreases along the name order,
    and a bucket's start is at or before every name in it: short names, capped codes, other scripts."""
    from sqlalchemy import text

    from app.migrations.raw_ddl import name_bucket_sql
    from app.persian import sort_key

    names = ["", "ا", "اب", "ابا", "آب", "zoë", "Zoe", "日本", "ab日x", "a日b", "۱۲۳ شرکت", "شرکت۲", "abcdefgh"]
    keys = sorted({sort_key(name) for name in names} | {"a\x7fz", "a\x80", "ab\U0001f600c", "abcde", "\x7f"})
    with services.db.read(admin) as s:
        for key in keys:
            assert s.execute(text(f"SELECT {name_bucket_sql(':k')}"), {"k": key}).scalar() == name_order.bucket(key)
            assert name_order.bucket_start(name_order.bucket(key)) <= key
    buckets = [name_order.bucket(key) for key in keys]
    assert buckets == sorted(buckets) and len(set(buckets)) > 10
    # A descending page walks a bucket down from its last name: a name is at or below that bound exactly
    # when its bucket is the same or an earlier one.
    for value in set(buckets):
        top = name_order.bucket_top(value)
        for key in keys:
            below = top is None or (key <= top[0] if top[1] else key < top[0])
            assert below == (name_order.bucket(key) <= value), (key, value)


@pytest.mark.sqlite_only  # the FTS5 index exists on SQLite only
@pytest.mark.parametrize("descending", [False, True], ids=["ascending", "descending"])
def test_name_order_search_asks_the_index_for_every_hit(services, admin, descending) -> None:
    """In name order the names starting with the word are read from the index like its other hits. Asking
    FTS5 only for the hits past a name's start (`NOT ^"…"`) made it read every hit of the word first: 18 ms
    for the 50,000 names starting with «بازرگانی» at 1M identities, which had none inside."""
    from sqlalchemy import event

    for n in range(8):
        _person(services, admin, "بازرگانی " + "ب" * (n + 1))
    inside = _person(services, admin, "آرین بازرگانی")
    asked = []
    listener = lambda conn, cursor, statement, parameters, *rest: asked.append(str(parameters))  # noqa: E731
    event.listen(services.db.engine, "before_cursor_execute", listener)
    try:
        query = IdentityQuery(text="بازرگانی", descending=descending)
        rows = _walk(services, admin, query, 3)
    finally:
        event.remove(services.db.engine, "before_cursor_execute", listener)
    assert rows == _offset(services, admin, query) and len(rows) == 9
    assert rows[-1 if descending else 0] == inside
    assert asked and not [params for params in asked if "NOT ^" in params]

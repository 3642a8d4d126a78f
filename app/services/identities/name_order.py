"""The quick search's pages in name order on SQLite, read from the index bucket by bucket.

identity_search gives its hits in rowid order, and its rowid starts with the bucket of the identity's
name (the first characters of its name_sort: app/migrations/raw_ddl.py), so the hits come bucket after
bucket in name order. A page reads the first `limit` hits from the cursor's bucket on: the buckets before
the last of them are whole, their rows are read and sorted; in the last bucket, the next hits in name
order are walked when they are many (the name order's index from the bucket's start, each row's
search_blob tested, WALK_ROWS rows at most), else all fetched and sorted. Hits before the cursor in its
bucket fall out in the sort; the next buckets are read until the page is full. Descending, the same from
the last bucket back: the index's rowids read in reverse, a bucket walked down from its last name.
Used for the name order with no other filter, by a user who sees every identity: the index holds no
owner, so the access policy cannot narrow it (others keep list_pages' plans).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator, Sequence

from sqlalchemy import ColumnElement, and_, func, literal_column, select, true
from sqlalchemy import text as sql
from sqlalchemy.orm import Session

from app.migrations.raw_ddl import NAME_CHARS, NAME_CODE_CAP, RID_BITS
from app.models import Identity
from app.services.core.access import SCOPE_ALL, is_restricted
from app.services.core.paging import Cursor, after, ordered
from app.services.identities.search_index import RID_MASK
from app.services.identities.service import IdentityQuery, _only_text, live

# A last bucket with more hits than this is walked before its hits are fetched and sorted.
COLLECT_MAX = 1_000
# Rows of the name order a walk reads at most (about 4 ms at a million identities).
WALK_ROWS = 2_000
_KEYS = (Identity.name_sort, Identity.id)
# The first hits from a bucket on, in the index's rowid order (FTS5 stops at the limit); the last ones up to
# a bucket, in reverse.
_FIRST_HITS = (
    "SELECT rowid FROM identity_search WHERE identity_search MATCH :m AND rowid >= :low ORDER BY rowid LIMIT :n"
)
_LAST_HITS = (
    "SELECT rowid FROM identity_search WHERE identity_search MATCH :m AND rowid < :high ORDER BY rowid DESC LIMIT :n"
)
_BASE = NAME_CODE_CAP + 1
_LAST_BUCKET = NAME_CODE_CAP * _BASE ** (NAME_CHARS - 1)  # a first character capped: bucket(chr(127))


def applies(s: Session, query: IdentityQuery) -> bool:
    """Whether this plan serves the query: name order, no filter but the text, an all-seeing reader."""
    return (
        query.sort == "display_name"
        and _only_text(query)
        and query.scope in (SCOPE_ALL, None)
        and not is_restricted(s.info.get("actor"))
    )


def bucket(name_sort: str) -> int:
    """The bucket of a name_sort, as raw_ddl.name_bucket_sql computes it in the index's triggers."""
    value, capped = 0, False
    for i in range(NAME_CHARS):
        code = 0 if capped or i >= len(name_sort) else min(ord(name_sort[i]), NAME_CODE_CAP)
        capped = capped or code == NAME_CODE_CAP
        value = value * _BASE + code
    return value


def bucket_start(value: int) -> str:
    """The least name_sort in the bucket: its characters up to the first absent one, ending at a capped one."""
    codes = [(value // _BASE ** (NAME_CHARS - 1 - i)) % _BASE for i in range(NAME_CHARS)]
    chars = []
    for code in codes:
        if code == 0:
            break
        chars.append(chr(code))
        if code == NAME_CODE_CAP:
            break
    return "".join(chars)


def bucket_top(value: int) -> tuple[str, bool] | None:
    """The bound of the names up to the last one of the bucket `value`: (name, whether the bound itself is
    in), None for the last bucket (bucket_start gives the first name)."""
    start = bucket_start(value)
    capped = start.endswith(chr(NAME_CODE_CAP))
    if len(start) < NAME_CHARS and not capped:  # the name's characters end before the bucket's: that name alone
        return start, True
    # Every name starting with `start` (capped: its last character, or any above it, at that place).
    head = start[:-1] if capped else start
    return (head[:-1] + chr(ord(head[-1]) + 1), False) if head else None


def _up_to_bucket(value: int) -> ColumnElement[bool]:
    top = bucket_top(value)
    if top is None:
        return true()
    return Identity.name_sort <= top[0] if top[1] else Identity.name_sort < top[0]


def page_keys(
    s: Session,
    match: str,
    test: Callable[[ColumnElement], ColumnElement[bool]],
    cursor: Cursor | None,
    limit: int,
    descending: bool = False,
) -> list[tuple] | None:
    """(name_sort, id) of the first `limit` hits of the FTS5 expression `match` after `cursor` in name
    order, or its reverse (`test`: the same test on a search_blob); None when the cursor's name has no sort
    key (the general plans handle it)."""
    if cursor is not None and cursor[0] is None:
        return None
    edge = bucket(cursor[0]) if cursor is not None else _LAST_BUCKET if descending else 0
    found: list[tuple] = []
    while len(found) < limit:
        need = limit - len(found)
        first = _next_hits(s, match, edge, need, descending)
        if len(first) < need:  # every hit from here on
            rowids = [key & RID_MASK for key in first]
            return found + (_sorted(s, _rowid_in(rowids), cursor, need, descending) if first else [])
        last = first[-1] >> RID_BITS
        whole = [key & RID_MASK for key in first if key >> RID_BITS != last]
        if whole:
            found += _sorted(s, _rowid_in(whole), cursor, need, descending)
        found += _in_bucket(s, match, test, last, cursor, limit - len(found), descending)
        edge = last - 1 if descending else last + 1
    return found


def _next_hits(s: Session, match: str, edge: int, need: int, descending: bool) -> list[int]:
    """The index's first `need` hits from the bucket `edge` on, or back from it."""
    if not descending:
        return s.scalars(sql(_FIRST_HITS), {"m": match, "low": edge << RID_BITS, "n": need}).all()
    if edge < 0:
        return []
    return s.scalars(sql(_LAST_HITS), {"m": match, "high": (edge + 1) << RID_BITS, "n": need}).all()


def _in_bucket(
    s: Session,
    match: str,
    test: Callable[[ColumnElement], ColumnElement[bool]],
    value: int,
    cursor: Cursor | None,
    need: int,
    descending: bool,
) -> list[tuple]:
    """The first `need` hits after the cursor from the bucket `value` on (or back): walked when the bucket
    holds many hits and the walk finds them all, else the bucket's hits sorted (fewer when it has fewer)."""
    bounds = {"m": match, "low": value << RID_BITS, "high": (value + 1) << RID_BITS}
    hits = "SELECT rowid FROM identity_search WHERE identity_search MATCH :m AND rowid >= :low AND rowid < :high"
    keys = s.scalars(sql(f"{hits} LIMIT {COLLECT_MAX + 1}"), bounds).all()
    if len(keys) > COLLECT_MAX:
        # From the bucket's first name on, or down from its last: the walk may go on into the next buckets.
        within = _up_to_bucket(value) if descending else Identity.name_sort >= bucket_start(value)
        conditions = [*live(), within]
        if cursor is not None:
            conditions.append(after(_KEYS, cursor, descending, "sqlite"))
        walked = walk(s, conditions, _KEYS, ordered(_KEYS, descending), WALK_ROWS, test, need)
        if len(walked) == need:
            return walked
        keys = s.scalars(sql(hits), bounds).all()
    return _sorted(s, _rowid_in([key & RID_MASK for key in keys]), cursor, need, descending)


def walk(
    s: Session,
    conditions: Sequence[ColumnElement[bool]],
    keys: Sequence[ColumnElement],
    order: Sequence[ColumnElement],
    rows: int,
    test: Callable[[ColumnElement], ColumnElement[bool]],
    limit: int,
    reorder: Callable[[list], list] | None = None,
) -> list[tuple]:
    """The `keys` of the first `limit` rows passing `test` (on a search_blob) among the first `rows` rows
    under `conditions` in `order`, along its index: a bounded cost, whatever the term (list_pages too).
    `reorder` gives the same order over the window's columns, for PostgreSQL, which keeps a subquery's
    order only when asked (and then sorts nothing: it knows the window comes in that order)."""
    window = (
        select(*(column.label(f"k{i}") for i, column in enumerate(keys)), Identity.search_blob.label("blob"))
        .where(and_(*conditions))
        .order_by(*order)
        .limit(rows)
        .subquery()
    )
    columns = [window.c[f"k{i}"] for i in range(len(keys))]
    # No ORDER BY here: SQLite reads the window as a co-routine in its order and stops at `limit` rows
    # (sorting again would read the whole window first).
    stmt = select(*columns).where(test(window.c.blob)).limit(limit)
    if reorder is None:
        return [tuple(row) for row in s.execute(stmt)]
    # A walk, never a sort: PostgreSQL guessed 70 rows in the range of names of «پر» (16,000) and fetched
    # and sorted them all (29 ms, where walking to the page takes 1).
    with planner_without(s, "enable_sort"):
        return [tuple(row) for row in s.execute(stmt.order_by(*reorder(columns)))]


# Turns the settings off for this transaction; returns each as it was.
_SETTINGS_OFF = (
    "WITH was AS MATERIALIZED (SELECT name, current_setting(name) AS value FROM unnest(CAST(:names AS text[])) name)"
    " SELECT name, value FROM was WHERE set_config(name, 'off', true) = 'off'"
)
_SETTINGS_BACK = (
    "SELECT set_config(name, value, true)"
    " FROM unnest(CAST(:names AS text[]), CAST(:values AS text[])) AS t(name, value)"
)


@contextlib.contextmanager
def planner_without(s: Session, *settings: str) -> Iterator[None]:
    """PostgreSQL's planner without `settings` (enable_sort, enable_seqscan…) for the statements inside,
    each put back as it was after them (a failed statement ends the transaction, and them with it)."""
    saved = s.execute(sql(_SETTINGS_OFF), {"names": list(settings)}).all()
    yield
    s.execute(sql(_SETTINGS_BACK), {"names": [name for name, _ in saved], "values": [value for _, value in saved]})


def _rowid_in(rowids: Sequence[int]) -> ColumnElement[bool]:
    """identities.rowid among `rowids`, passed as one JSON parameter: binding a thousand cost more than
    reading their rows."""
    values = func.json_each(json.dumps(list(rowids))).table_valued("value")
    return literal_column("identities.rowid").in_(select(values.c.value))


def _sorted(
    s: Session, condition: ColumnElement[bool], cursor: Cursor | None, limit: int, descending: bool
) -> list[tuple]:
    """The first `limit` live rows under `condition` after the cursor, by (name_sort, id) or its reverse."""
    conditions = [*live(), condition]
    if cursor is not None:
        conditions.append(after(_KEYS, cursor, descending, "sqlite"))
    stmt = select(*_KEYS).where(and_(*conditions)).order_by(*ordered(_KEYS, descending)).limit(limit)
    return [tuple(row) for row in s.execute(stmt)]

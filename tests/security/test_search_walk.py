"""peyvand_identity_walk() and peyvand_identity_count(): a rep's quick search in name order and its count,
run as the database owner (to walk each owner's index of names and reach the trigram indexes), must find
no more than the rep's own query under row security would, whatever a rep passes them."""

from __future__ import annotations

import random

import pytest

from app.models import Identity, IdentityKind, IdentityPhone
from app.persian import search_key
from app.services.core.actor import SYSTEM
from app.services.identities.search_index import name_sort_bounds
from app.services.server.search_walk import COUNT_SIGNATURE, SIGNATURE
from tests.security.attack_office import _identity, assert_pinned
from tests.security.test_followers import FOLLOW

WALK = "SELECT identity_id FROM peyvand_identity_walk(%s, %s, %s, %s, %s, %s, %s, %s)"
COUNT = "SELECT peyvand_identity_count(%s, %s, %s)"
ZERO = "00000000-0000-0000-0000-000000000000"
SORTED_WALK = "SELECT identity_id FROM peyvand_identity_walk(%s, %s, NULL, NULL, NULL, NULL, %s, %s) ORDER BY sort_key"
SCANS = ("enable_seqscan", "enable_indexscan")


def _walk(conn, term: str, mode: str = "contains", bounds=(None, None), after=(None, None), rows=100, lim=100):
    return {row[0] for row in conn.execute(WALK, (term, mode, *bounds, *after, rows, lim))}


@pytest.mark.parametrize("rows", [100, 1])  # 1: the window is full at once, so every hit is fetched
def test_a_rep_finds_their_customer_and_never_a_colleagues_in_any_mode(attacked, rows) -> None:
    mine, theirs = attacked.mine["identity"], attacked.theirs["identity"]
    bounds = name_sort_bounds("مشتری")
    with attacked.raw() as conn:
        assert _walk(conn, "مشتری", rows=rows) == {mine}
        assert _walk(conn, "مشتری", "starts", bounds, rows=rows) == {mine}
        assert _walk(conn, "مشتری", "starts", (None, None), rows=rows) == {mine}
        assert _walk(conn, "مش", "starts", name_sort_bounds("مش"), rows=rows) == {mine}
        assert _walk(conn, "تری", "inside", rows=rows) == {mine}
        assert _walk(conn, "سارا", rows=rows) == set()
        # A range wider than the term's, or a cursor before everything, opens nothing of sara's.
        assert _walk(conn, "مشتری", "starts", ("", "\U0010ffff"), (" ", ZERO), rows) == {mine}
    with attacked.raw("sara") as conn:
        assert _walk(conn, "مشتری", rows=rows) == {theirs}


def _long(attacked, owner, name: str):
    """An identity with 300 phones: too long for the walk's index (raw_ddl.WALK_FITS)."""
    rnd = random.Random(name)
    with attacked.office.owner.db.write(SYSTEM) as s:
        key = search_key(name)
        person = Identity(kind=IdentityKind.PERSON, display_name=name, name_key=key, owner_id=owner.user_id)
        s.add(person)
        s.flush()
        for i in range(300):
            digits = "".join(rnd.choice("0123456789") for _ in range(11))
            s.add(IdentityPhone(identity_id=person.id, number=digits, number_key=digits, position=i))
        return person.id


@pytest.mark.parametrize("rows", [100, 1])
def test_records_too_long_for_the_walks_index_are_walked_under_the_same_rule(attacked, rows) -> None:
    """They have a branch of their own, beside each owner's: hers found there, never sara's."""
    mine, theirs = _long(attacked, attacked.maryam, "مشتری بلند"), _long(attacked, attacked.sara, "مشتری دراز")
    with attacked.raw() as conn:
        for mode, bounds in (("contains", (None, None)), ("starts", name_sort_bounds("مشتری"))):
            found = _walk(conn, "مشتری", mode, bounds, rows=rows)
            assert mine in found and theirs not in found, mode
        assert _walk(conn, "بلند", "inside", rows=rows) == {mine}
        assert _walk(conn, "دراز", "inside", rows=rows) == set()


def test_a_followed_colleagues_customer_is_found_once(attacked) -> None:
    """Shared by the administrator (following): walked in its own branch, and only there."""
    theirs = attacked.theirs["identity"]
    attacked.as_owner(FOLLOW, ("identities", theirs, attacked.maryam.user_id))
    attacked.as_owner(FOLLOW, ("identities", attacked.mine["identity"], attacked.maryam.user_id))
    with attacked.raw() as conn:
        rows = conn.execute(WALK, ("مشتری", "contains", None, None, None, None, 100, 100)).fetchall()
    assert sorted(r[0] for r in rows) == sorted([attacked.mine["identity"], theirs])


def test_wildcards_quotes_and_sql_in_the_arguments_are_plain_text(attacked) -> None:
    bounds = name_sort_bounds("مشتری")
    with attacked.raw() as conn:
        for term in ("%%%", "___", "\\%\\%", "x' OR true OR '", "') OR true --"):
            for mode in ("contains", "inside", "starts", "') OR true --"):
                assert _walk(conn, term, mode) == set()
        for evil in ("x' OR true --", "') UNION SELECT id FROM identities --"):
            assert _walk(conn, "مشتری", "starts", (evil, evil)) == set()
            assert _walk(conn, "مشتری", "starts", bounds, (evil, ZERO)) <= {attacked.mine["identity"]}


def test_short_terms_and_the_caps_bound_the_walk(attacked) -> None:
    with attacked.raw() as conn:
        assert _walk(conn, "مش") == set()  # one or two letters only as a name prefix within its range
        assert _walk(conn, "مشتری", lim=0) == set()
        assert _walk(conn, "مشتری", lim=-5) == set()
        assert _walk(conn, "مشتری", rows=0) == set()
        assert _walk(conn, "مشتری", rows=-5) == set()


def test_a_rep_cannot_change_the_function_or_its_search_path(attacked) -> None:
    assert_pinned(
        attacked,
        SIGNATURE,
        "CREATE OR REPLACE FUNCTION public.peyvand_identity_walk(term text, mode text, low text, high text,"
        " after_sort text, after_id uuid, window_rows integer, lim integer)"
        " RETURNS TABLE (sort_key text, identity_id uuid)"
        " LANGUAGE sql AS $$ SELECT name_sort::text, id FROM public.identities $$",
    )


def test_a_temporary_identities_table_does_not_stand_in(attacked) -> None:
    attacked.grant_temp_back()
    theirs = attacked.theirs["identity"]
    with attacked.raw() as conn:
        conn.execute(
            "CREATE TEMP TABLE identities (id uuid, name_sort text, search_blob text, deleted_at timestamptz,"
            " merged_into_id uuid, owner_id uuid)"
        )
        conn.execute(
            "INSERT INTO pg_temp.identities VALUES (%s, 'A', 'مشتری', NULL, NULL, %s)",
            (theirs, attacked.maryam.user_id),
        )
        assert _walk(conn, "مشتری") == {attacked.mine["identity"]}
        assert _walk(conn, "مشتری", rows=1) == {attacked.mine["identity"]}


def test_the_public_cannot_call_it(attacked) -> None:
    granted = attacked.as_owner("SELECT has_function_privilege('public', %s, 'EXECUTE')", (SIGNATURE,))
    assert granted == [(False,)]


def _count(conn, term: str, bounds=(None, None)) -> int:
    return conn.execute(COUNT, (term, *bounds)).fetchone()[0]


def test_the_count_counts_only_what_the_rep_sees(attacked) -> None:
    attacked.as_owner(FOLLOW, ("identities", attacked.mine["identity"], attacked.maryam.user_id))
    with attacked.raw() as conn:
        assert _count(conn, "مشتری") == 1
        assert _count(conn, "مش", name_sort_bounds("مش")) == 1
        assert _count(conn, "م", ("", "\U0010ffff")) == 1  # any range: still only hers
        assert _count(conn, "مش") == 0  # one or two letters only as a name prefix within its range
        assert _count(conn, "سارا") == 0
        for term in ("%%%", "___", "x' OR true OR '", "') OR true --"):
            assert _count(conn, term) == 0
            assert _count(conn, term, (term, term)) == 0


def test_a_rep_cannot_change_the_count_or_its_search_path(attacked) -> None:
    assert_pinned(
        attacked,
        COUNT_SIGNATURE,
        "CREATE OR REPLACE FUNCTION public.peyvand_identity_count(term text, low text, high text) RETURNS bigint"
        " LANGUAGE sql AS $$ SELECT count(*) FROM public.identities $$",
    )
    granted = attacked.as_owner("SELECT has_function_privilege('public', %s, 'EXECUTE')", (COUNT_SIGNATURE,))
    assert granted == [(False,)]


def test_a_temporary_identities_table_does_not_stand_in_for_the_count(attacked) -> None:
    attacked.grant_temp_back()
    with attacked.raw() as conn:
        conn.execute("CREATE TEMP TABLE identities (id uuid, search_blob text, owner_id uuid)")
        conn.execute("INSERT INTO pg_temp.identities VALUES (%s, 'مشتری', %s)", (ZERO, attacked.maryam.user_id))
        assert _count(conn, "مشتری") == 1


def test_a_full_window_sorts_only_the_hits_up_to_a_bound_and_puts_the_settings_back(attacked) -> None:
    """When the window holds too few, the greatest name among the first `lim` hits in the table's order
    bounds the hits sorted: her first names still come out, in order, never sara's (whose name sorts
    first), and the planner settings the probe turns off are hers again after the call."""
    names = [f"شرکت مهندسی {search_key(str(i)).zfill(2)}" for i in range(12)]
    with attacked.office.owner.db.write(SYSTEM) as s:
        _identity(s, attacked.sara, "آ مهندسی سارا")
        mine = [_identity(s, attacked.maryam, name) for name in reversed(names)]  # stored in reverse
    first_two = [mine[-1], mine[-2]]
    with attacked.raw() as conn:
        for mode in ("inside", "contains"):
            with conn.transaction():
                conn.execute("SET LOCAL enable_seqscan = off")
                rows = conn.execute(SORTED_WALK, ("مهندسی", mode, 1, 2)).fetchall()
                assert [row[0] for row in rows] == first_two, mode
                settings = [conn.execute(f"SHOW {name}").fetchone()[0] for name in SCANS]
                assert settings == ["off", "on"]

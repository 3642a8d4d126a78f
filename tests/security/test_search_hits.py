"""peyvand_identity_hits(): the quick search a rep's own role runs as the database owner (to reach the
trigram index) must find no more than the rep's own query under row security would."""

from __future__ import annotations

from tests.security.attack_office import assert_pinned

HITS = "SELECT peyvand_identity_hits(%s, %s)"


def _hits(conn, term: str, cap: int = 100) -> set:
    return {row[0] for row in conn.execute(HITS, (term, cap))}


def test_a_rep_finds_their_customer_and_never_a_colleagues(attacked) -> None:
    mine, theirs = attacked.mine["identity"], attacked.theirs["identity"]
    with attacked.raw() as conn:
        assert _hits(conn, "مشتری") == {mine}
        assert _hits(conn, "سارا") == set()
    with attacked.raw("sara") as conn:
        assert _hits(conn, "مشتری") == {theirs}


def test_wildcards_and_quotes_in_the_term_are_plain_characters(attacked) -> None:
    with attacked.raw() as conn:
        for term in ("%%%", "___", "\\%\\%", "x' OR true OR '", "') OR true --"):
            assert _hits(conn, term) == set()


def test_the_cap_bounds_the_hits(attacked) -> None:
    with attacked.raw() as conn:
        assert _hits(conn, "مشتری", 0) == set()
        assert _hits(conn, "مشتری", -5) == set()


def test_a_rep_cannot_change_the_function_or_its_search_path(attacked) -> None:
    assert_pinned(
        attacked,
        "peyvand_identity_hits(text, integer)",
        "CREATE OR REPLACE FUNCTION public.peyvand_identity_hits(term text, cap integer) RETURNS SETOF uuid"
        " LANGUAGE sql AS $$ SELECT id FROM public.identities $$",
    )


def test_a_temporary_identities_table_does_not_stand_in(attacked) -> None:
    attacked.grant_temp_back()
    theirs = attacked.theirs["identity"]
    with attacked.raw() as conn:
        conn.execute(
            "CREATE TEMP TABLE identities (id uuid, search_blob text, deleted_at timestamptz,"
            " merged_into_id uuid, owner_id uuid)"
        )
        conn.execute(
            "INSERT INTO pg_temp.identities VALUES (%s, 'مشتری', NULL, NULL, %s)", (theirs, attacked.maryam.user_id)
        )
        assert _hits(conn, "مشتری") == {attacked.mine["identity"]}


def test_the_public_cannot_call_it(attacked) -> None:
    granted = attacked.as_owner(
        "SELECT has_function_privilege('public', 'peyvand_identity_hits(text, integer)', 'EXECUTE')"
    )
    assert granted == [(False,)]

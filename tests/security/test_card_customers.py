"""peyvand_opportunity_customers(): the names a rep's board shows, read as the database owner by the
cards' ids, must be those of the opportunities the rep may see and nothing else."""

from __future__ import annotations

from app.services.opportunities.data import OpportunityData
from tests.security.attack_office import assert_pinned

NAMES = "SELECT opportunity_id, display_name FROM peyvand_opportunity_customers(%s)"


def _names(conn, ids: list) -> dict:
    return dict(conn.execute(NAMES, (ids,)).fetchall())


def _hers_on_saras_customer(attacked):
    """maryam's own opportunity on sara's customer (the boss gave it her): its card names that customer."""
    data = OpportunityData(identity_id=attacked.theirs["identity"], title="فرصت مریم", owner_id=attacked.maryam.user_id)
    return attacked.office.as_boss.opportunity_records.create(attacked.office.boss, data)


def test_a_rep_reads_the_customers_of_her_opportunities_and_never_a_colleagues(attacked) -> None:
    hers, theirs = _hers_on_saras_customer(attacked), attacked.theirs["opportunity"]
    with attacked.raw() as conn:
        assert _names(conn, [hers, theirs]) == {hers: "مشتری سارا"}
        assert _names(conn, [theirs]) == {}
        assert _names(conn, []) == {} and _names(conn, None) == {}
    with attacked.raw("sara") as conn:
        assert _names(conn, [hers, theirs]) == {theirs: "مشتری سارا"}


def test_the_board_on_a_reps_own_role_names_her_cards_customers(attacked) -> None:
    hers = _hers_on_saras_customer(attacked)
    board = attacked.as_maryam.board.load(attacked.maryam)
    cards = {card.id: card for column in board.columns for card in column.cards}
    assert set(cards) == {hers} and cards[hers].identity_name == "مشتری سارا"


def test_a_rep_cannot_change_the_function_or_its_search_path(attacked) -> None:
    assert_pinned(
        attacked,
        "peyvand_opportunity_customers(uuid[])",
        "CREATE OR REPLACE FUNCTION public.peyvand_opportunity_customers(ids uuid[])"
        " RETURNS TABLE (opportunity_id uuid, display_name text)"
        " LANGUAGE sql AS $$ SELECT id, title::text FROM public.opportunities $$",
    )


def test_a_temporary_opportunities_table_does_not_stand_in(attacked) -> None:
    attacked.grant_temp_back()
    theirs = attacked.theirs["opportunity"]
    with attacked.raw() as conn:
        conn.execute("CREATE TEMP TABLE opportunities (id uuid, identity_id uuid, owner_id uuid)")
        conn.execute(
            "INSERT INTO pg_temp.opportunities VALUES (%s, %s, %s)",
            (theirs, attacked.theirs["identity"], attacked.maryam.user_id),
        )
        assert _names(conn, [theirs]) == {}


def test_the_public_cannot_call_it(attacked) -> None:
    granted = attacked.as_owner(
        "SELECT has_function_privilege('public', 'peyvand_opportunity_customers(uuid[])', 'EXECUTE')"
    )
    assert granted == [(False,)]

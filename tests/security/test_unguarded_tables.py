"""Tables without row security (the change journal and its clock, any a later migration adds) are
not writable by a rep's role: the server writes them through its own functions (issue 13)."""

from __future__ import annotations

import psycopg
import pytest


@pytest.mark.parametrize(
    "attack",
    [
        "INSERT INTO change_log DEFAULT VALUES",
        "UPDATE change_log SET table_name = table_name",
        "DELETE FROM change_log",
        "UPDATE change_clock SET seq = 0",
        "DELETE FROM change_clock",
    ],
)
def test_a_rep_cannot_write_the_change_journal(attacked, attack: str) -> None:
    with attacked.raw() as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(attack)


def test_a_later_table_without_row_security_is_not_writable_by_reps(attacked) -> None:
    """A table some later migration adds, before anyone writes policies for it."""
    from app.services.server import security

    attacked.as_owner("CREATE TABLE later_notes (id integer PRIMARY KEY, body text)")
    with attacked.office.owner.db.engine.begin() as conn:  # what `server init` runs after migrating
        security.install_row_security(conn)
    unguarded = attacked.as_owner(
        "SELECT c.relname FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'"
        " AND NOT c.relrowsecurity AND (has_table_privilege(%s, c.oid, 'INSERT')"
        " OR has_table_privilege(%s, c.oid, 'UPDATE') OR has_table_privilege(%s, c.oid, 'DELETE'))",
        ("pv_" + attacked.maryam.login,) * 3,
    )
    assert unguarded == []

"""Following shares a record one already sees; it must not open a colleague's record (issue 13)."""

from __future__ import annotations

import psycopg
import pytest

FOLLOW = (
    "INSERT INTO followers (id, record_table, record_id, user_id, created_at)"
    " VALUES (gen_random_uuid(), %s, %s, %s, now())"
)


RECORDS = {"identities": "identity", "opportunities": "opportunity", "activities": "activity"}


@pytest.mark.parametrize("table", sorted(RECORDS))
def test_following_a_colleagues_record_is_refused(attacked, table: str) -> None:
    record = attacked.theirs[RECORDS[table]]
    with attacked.raw() as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(FOLLOW, (table, record, attacked.maryam.user_id))
        assert conn.execute(f"SELECT count(*) FROM {table} WHERE id = %s", (record,)).fetchone()[0] == 0
        assert conn.execute(f"UPDATE {table} SET updated_at = now() WHERE id = %s", (record,)).rowcount == 0


def test_following_ones_own_record_still_works(attacked) -> None:
    with attacked.raw() as conn:
        conn.execute(FOLLOW, ("identities", attacked.mine["identity"], attacked.maryam.user_id))
        assert conn.execute("SELECT count(*) FROM followers").fetchone()[0] == 1

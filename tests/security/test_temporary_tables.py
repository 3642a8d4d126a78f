"""Temporary tables must not stand in for the server's tables inside its security functions.

Issue 13: as an own-documents role, a temporary `users` with an admin row made peyvand_level() say
admin; a temporary `invoices` switched off the issued-document trigger."""

from __future__ import annotations

import psycopg
import pytest

TEMP_USERS = "CREATE TEMP TABLE users (id uuid, login text, access_level text, is_active boolean)"


def test_a_rep_may_not_create_temporary_tables(attacked) -> None:
    with attacked.raw() as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(TEMP_USERS)


def test_a_temporary_users_table_does_not_make_a_rep_admin(attacked) -> None:
    attacked.grant_temp_back()
    with attacked.raw() as conn:
        conn.execute(TEMP_USERS)
        conn.execute(
            "INSERT INTO pg_temp.users SELECT id, login, 'admin', true FROM public.users WHERE id = %s",
            (attacked.maryam.user_id,),
        )
        assert conn.execute("SELECT peyvand_level()").fetchone()[0] == "own"
        changed = conn.execute(
            "UPDATE public.users SET access_level = 'admin' WHERE id = %s", (attacked.maryam.user_id,)
        )
        assert changed.rowcount == 0
        boss = attacked.office.boss.user_id
        assert conn.execute("UPDATE public.users SET is_active = false WHERE id = %s", (boss,)).rowcount == 0
    levels = attacked.as_owner("SELECT login, access_level, is_active FROM users ORDER BY login")
    assert {(login, level, active) for login, level, active in levels} == {
        (attacked.office.boss.login, "admin", True),
        (attacked.maryam.login, "own", True),
        (attacked.sara.login, "own", True),
    }


def test_a_temporary_invoices_table_does_not_unlock_an_issued_invoice(attacked) -> None:
    attacked.grant_temp_back()
    invoice = attacked.mine["invoice"]
    with attacked.raw() as conn:
        conn.execute("CREATE TEMP TABLE invoices (id uuid, state text)")
        with pytest.raises(psycopg.errors.RaiseException):
            conn.execute("UPDATE public.invoice_lines SET total = 1 WHERE invoice_id = %s", (invoice,))
        with pytest.raises(psycopg.errors.RaiseException):
            conn.execute("DELETE FROM public.invoice_lines WHERE invoice_id = %s", (invoice,))
    assert attacked.as_owner("SELECT count(*) FROM invoice_lines WHERE invoice_id = %s", (invoice,)) == [(1,)]


def test_every_function_of_the_schema_pins_its_search_path(attacked) -> None:
    """Those of row security and those the migrations made (the live-refresh trigger) alike."""
    rows = attacked.as_owner(
        "SELECT p.proname, p.proconfig FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace"
        " AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')"
    )
    names = {name for name, _ in rows}
    assert {"peyvand_level", "peyvand_refuse_issued_change", "peyvand_notify_change"} <= names
    assert [name for name, config in rows if "search_path=pg_catalog, public, pg_temp" not in (config or [])] == []

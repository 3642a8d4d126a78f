"""A user replacing their own password on the office server (asked by the login dialog when theirs
is temporary: given by `server import-sqlite` or `users set-password --temporary`).

Their role may not update `users` (only administrators' may): the new Argon2 hash goes through a
function that touches the session user's own row only. The role's password is changed with
ALTER ROLE, which PostgreSQL allows every role for itself.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

FUNCTION = """
CREATE OR REPLACE FUNCTION peyvand_set_own_password(new_hash text) RETURNS void
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  UPDATE public.users SET password_hash = new_hash, must_change_password = false, version = version + 1
  WHERE 'pv_' || lower(login) = session_user AND is_active $$;
REVOKE ALL ON FUNCTION peyvand_set_own_password(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION peyvand_set_own_password(text) TO peyvand_users;
"""


def install(conn: Connection) -> None:
    """Run by app.services.server.security.install_row_security, as the database owner."""
    conn.exec_driver_sql(FUNCTION)


def set_own_password(conn: Connection, password_hash: str, password: str) -> None:
    """The session user's new hash (flag cleared) and their role's new password, in the caller's
    transaction. Only the SCRAM verifier of `password` reaches the server, as for the users screen."""
    from psycopg import sql

    from app.services.server.security import _scram

    conn.execute(text("SELECT peyvand_set_own_password(:h)"), {"h": password_hash})
    role = conn.execute(text("SELECT session_user")).scalar_one()
    verifier = _scram(conn, role, password)
    statement = sql.SQL("ALTER ROLE {} PASSWORD {}").format(sql.Identifier(role), sql.Literal(verifier))
    conn.exec_driver_sql(statement.as_string(conn.connection.driver_connection))

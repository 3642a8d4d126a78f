"""A user replacing their own password on the office server (asked by the login dialog when theirs
is temporary: given by `server import-sqlite` or `users set-password --temporary`).

Their role may not update `users` (only administrators' may): the new Argon2 hash goes through a
function that touches the session user's own row only (peyvand_set_own_password, in functions.LOGIN).
The role's password is changed with ALTER ROLE, which PostgreSQL allows every role for itself.
"""

from __future__ import annotations

from sqlalchemy import Connection, text


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

"""The file's users on the office server: each active one gets a temporary password and their role.

A password from the file is an Argon2 hash; PostgreSQL needs the plain password to make the role's
SCRAM verifier, so it cannot be carried over. Each newly imported active user gets a random
temporary password (shown once by the command, for the administrator to hand over), used both by
the app and by their role pv_<login>; the login dialog then asks them for a password of their own.
Inactive users get no role (the users screen makes one when they are reactivated with a password).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import Connection, Table, update

from app.models import AccessLevel
from app.services.admin import passwords
from app.services.core.errors import ValidationFailed
from app.services.server import security

# No look-alike characters (0/O, 1/l/I): the password is read off a screen or paper and typed.
_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
TEMPORARY_LENGTH = 12


@dataclass(frozen=True)
class ImportedUser:
    login: str
    display_name: str
    temporary_password: str | None  # None: no role was made (see `problem`)
    problem: str | None = None


def temporary_password() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(TEMPORARY_LENGTH))


def give_roles(users: Table, rows: list[dict], dst: Connection) -> list[ImportedUser]:
    """For the users just copied (`rows`, as inserted): temporary passwords and roles, in the
    import's transaction. Raises ServiceError when the connection may not create roles."""
    result = []
    for row in rows:
        if not row["is_active"]:
            continue
        password = temporary_password()
        try:
            admin = row["access_level"] in (AccessLevel.ADMIN, AccessLevel.ADMIN.value)
            security.set_user_role(dst, row["login"], password, admin=admin)
        except ValidationFailed as exc:  # a login that cannot be a role, or another account's name
            result.append(ImportedUser(row["login"], row["display_name"], None, " ".join(exc.errors.values())))
            continue
        dst.execute(
            update(users)
            .where(users.c.id == row["id"])
            .values(password_hash=passwords.hash_password(password), must_change_password=True)
        )
        result.append(ImportedUser(row["login"], row["display_name"], password))
    return result

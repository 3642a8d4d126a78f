"""An office server for the user-role tests: its own database on the test server, row security
installed, a first administrator made like `server init` does, and the app connected as that
administrator's own role. PostgreSQL roles belong to the whole server, so every login carries a
random suffix and every role the test made is dropped afterwards."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.services.core import migrations
from app.services.core.actor import Actor
from app.services.core.database import Database
from app.services.core.registry import Services
from app.services.server import security as server_security

DB_PREFIX = "peyvand_roles_"
BOSS_PASSWORD = "boss-password-1"


@dataclass
class Office:
    url: str  # as the database owner
    sfx: str
    owner: Services  # connected as the owner, like `server init`
    as_boss: Services  # connected as the first administrator's own role
    boss: Actor

    def login(self, name: str) -> str:
        return f"{name}_{self.sfx}"

    def url_as(self, login: str, password: str) -> str:
        url = make_url(self.url).set(username=server_security.role_name(login), password=password)
        return url.render_as_string(hide_password=False)

    def role(self, login: str) -> dict | None:
        """The role of `login` as the catalogue has it (read as the superuser), or None."""
        with self.owner.db.engine.connect() as conn:
            row = conn.execute(
                text(
                    "SELECT rolcanlogin AS can_login, rolcreaterole AS create_role, rolpassword AS password,"
                    " pg_has_role(rolname, :g, 'MEMBER') AS user, pg_has_role(rolname, :a, 'MEMBER') AS admin"
                    " FROM pg_authid WHERE rolname = :r"
                ),
                {"r": server_security.role_name(login), "g": server_security.GROUP, "a": server_security.ADMIN_GROUP},
            ).first()
        return None if row is None else dict(row._mapping)


def _autocommit(url: str, *statements: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        for statement in statements:
            conn.exec_driver_sql(statement)
    engine.dispose()


def drop_roles(url: str, sfx: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        roles = conn.execute(text("SELECT rolname FROM pg_roles WHERE rolname LIKE :p"), {"p": f"%\\_{sfx}"}).scalars()
        for role in list(roles):
            conn.exec_driver_sql(f'DROP ROLE IF EXISTS "{role}"')
    engine.dispose()


@contextlib.contextmanager
def office_on(server: str) -> Iterator[Office]:
    """A fresh office database on `server` (a superuser's maintenance URL), removed afterwards."""
    sfx = uuid.uuid4().hex[:8]
    name = DB_PREFIX + sfx
    _autocommit(server, f"CREATE DATABASE {name}")
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    opened: list[Services] = []
    try:
        owner = Services(Database(url))
        opened.append(owner)
        migrations.upgrade(owner.db)
        with owner.db.engine.begin() as conn:
            server_security.install_row_security(conn)
        boss = owner.users.set_up_admin(owner.users.ensure_admin(), f"boss_{sfx}", "مدیر", BOSS_PASSWORD)
        boss_url = make_url(url).set(username=server_security.role_name(boss.login), password=BOSS_PASSWORD)
        as_boss = Services(Database(boss_url.render_as_string(hide_password=False)))
        opened.append(as_boss)
        yield Office(url, sfx, owner, as_boss, boss)
    finally:
        for services in opened:
            services.db.dispose()
        _autocommit(server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        drop_roles(server, sfx)

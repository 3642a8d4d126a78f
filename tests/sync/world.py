"""A sync world for the tests (not a test module): an office (the hub: a real PostgreSQL server with
reps' own roles, or an office kept in a SQLite file), reps, their registered laptops (SQLite copies made
by the first copy) and helpers to work on each side and sync."""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import make_url

from app.models import AccessLevel, Setting, SyncDevice, new_id
from app.services.activities.activity_types import ensure_builtin_types
from app.services.admin.users import UserData
from app.services.core.actor import SYSTEM, Actor
from app.services.core.database import Database
from app.services.core.registry import Services
from app.services.server.security import role_name
from app.services.sync import setup
from app.services.sync.devices import Registration
from app.services.sync.service import SyncService
from tests.conftest import sqlite_url

REP_PASSWORD = "rep-password-1"


@dataclass
class Laptop:
    name: str
    services: Services
    actor: Actor
    registration: Registration

    @property
    def db(self) -> Database:
        return self.services.db

    def sync(self, progress=None):
        return SyncService(self.db).sync(self.actor, REP_PASSWORD, progress)


@dataclass
class World:
    office: Services  # the office as its administrator sees it (owner's connection)
    admin: Actor
    server: dict  # how a laptop reaches the office: host/port/database, or url for a SQLite office
    tmp: Path
    login_of: callable = str
    reps: dict[str, Actor] = field(default_factory=dict)
    rep_services: dict[str, Services] = field(default_factory=dict)  # the office app on a rep's own role
    codes: int = 0

    def rep(self, name: str, level: AccessLevel = AccessLevel.OWN_DOCUMENTS) -> Actor:
        row = self.office.users.create_user(self.admin, UserData(self.login_of(name), name, level), REP_PASSWORD)
        self.reps[name] = Actor(row.id, row.login, row.display_name, level)
        return self.reps[name]

    def at_office(self, name: str) -> Services:
        """The office app as this rep uses it at the office (on a server: their own role)."""
        if "url" in self.server:
            return self.office
        if name not in self.rep_services:
            url = make_url(self.office.db.url).set(username=role_name(self.reps[name].login), password=REP_PASSWORD)
            self.rep_services[name] = Services(Database(url.render_as_string(hide_password=False)))
        return self.rep_services[name]

    def register(self, name: str) -> Registration:
        rep = self.reps[name]
        self.codes += 1
        device = SyncDevice(
            id=new_id(), user_id=rep.user_id, name=f"لپ‌تاپ {name}", code=f"L{self.codes}", secret=secrets.token_hex(32)
        )
        with self.office.db.write(SYSTEM) as s:
            s.add(device)
            hub_id = s.scalar(select(Setting.value).where(Setting.key == "device_id"))
        return Registration(
            hub_id, device.id, device.code, device.name, rep.user_id, rep.login, device.secret, self.server
        )

    def laptop(self, name: str) -> Laptop:
        registration = self.register(name)
        path = self.tmp / f"laptop-{name}-{registration.device_code}.db"
        setup.first_copy(registration, REP_PASSWORD, sqlite_url(path))
        services = Services(Database(sqlite_url(path), create=False))
        return Laptop(name, services, self.reps[name], registration)


@contextlib.contextmanager
def sqlite_world(tmp: Path) -> Iterator[World]:
    """An office in a SQLite file (one computer; laptops reach it through its URL in these tests)."""
    url = sqlite_url(tmp / "office.db")
    office = Services(Database(url))
    from app.services.core import migrations

    migrations.upgrade(office.db)
    ensure_builtin_types(office.db)  # the office's shared lists exist before any laptop copies them
    admin = office.users.ensure_admin()
    try:
        yield World(office, admin, {"url": url}, tmp)
    finally:
        office.db.dispose()


@contextlib.contextmanager
def postgres_world(tmp: Path) -> Iterator[World]:
    """A real office server: reps connect with their own roles (row security applies to the sync)."""
    from app.services.opportunities.sales_lists import ensure_sales_defaults
    from tests.conftest import require_pg_server
    from tests.server.role_office import office_on

    with office_on(require_pg_server()) as office:
        ensure_sales_defaults(office.owner.db)  # `server init` makes the shared lists
        ensure_builtin_types(office.owner.db)
        url = make_url(office.url)
        server = {"host": url.host, "port": url.port, "database": url.database}
        world = World(office.as_boss, office.boss, server, tmp, login_of=office.login)
        yield world
        for services in world.rep_services.values():
            services.db.dispose()


def edit(services: Services, actor: Actor, cls: type, record_id, **values) -> None:
    """One write transaction changing fields of a record (the write path, as any service's)."""
    with services.db.write(actor) as s:
        obj = s.get(cls, record_id)
        for name, value in values.items():
            setattr(obj, name, value)


def read(services: Services, cls: type, record_id, *names: str):
    with services.db.read(SYSTEM) as s:
        obj = s.get(cls, record_id)
        values = tuple(getattr(obj, n) for n in names)
    return values[0] if len(values) == 1 else values


def conflicts(services: Services) -> list:
    from app.models import SyncConflict

    with services.db.read(SYSTEM) as s:
        rows = s.scalars(select(SyncConflict).order_by(SyncConflict.created_at, SyncConflict.id)).all()
        return [(c.table_name, c.field, c.kind, c.status, c.resolution, c.server_value, c.device_value) for c in rows]

"""Meeting the office: the right office, a registered and not revoked device, schema versions that can
talk, and the office's clock (sync.md §2.5 handshake, §2.9)."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy.engine import URL
from sqlalchemy.exc import OperationalError

from app.models import AccessLevel, User
from app.services.core.actor import Actor
from app.services.core.database import Database
from app.services.core.errors import ServiceError
from app.services.core.migrations import SCHEMA_HEAD
from app.services.server.security import role_name
from app.services.sync import hub_calls

CONNECT_TIMEOUT_S = 5
UNREACHABLE = "سرور دفتر در دسترس نیست؛ تغییرها روی همین رایانه می‌مانند و بعداً فرستاده می‌شوند."
OTHER_OFFICE = "این رایانه برای دفتر دیگری ثبت شده است."
UNKNOWN_DEVICE = "این رایانه در دفتر ثبت نشده است؛ از مدیر دفتر بخواهید آن را در «دستگاه‌ها» ثبت کند."
REVOKED = "دسترسی این رایانه به همگام‌سازی لغو شده است؛ با مدیر دفتر تماس بگیرید."
NEWER = "برنامهٔ این رایانه از برنامهٔ دفتر تازه‌تر است؛ نخست برنامهٔ دفتر را به‌روز کنید."


def hub_url(server: dict, login: str, password: str | None) -> URL | str:
    """The office's address as the user's own role (`url` overrides: an office kept in a SQLite file)."""
    if server.get("url"):
        return server["url"]
    return URL.create(
        "postgresql+psycopg",
        username=role_name(login),
        password=password,
        host=server["host"],
        port=int(server.get("port") or 5432),
        database=server["database"],
        query={"connect_timeout": str(CONNECT_TIMEOUT_S)},  # an office out of reach answers soon
    )


def open_hub(server: dict, login: str, password: str | None) -> Database:
    url = hub_url(server, login, password)
    try:
        db = Database(url if isinstance(url, str) else url.render_as_string(hide_password=False), create=False)
        with db.engine.connect():
            pass
    except OperationalError as exc:
        raise ServiceError(UNREACHABLE) from exc
    return db


def _revision(name: str | None) -> int:
    return int((name or "0").split("_", 1)[0])


def hello(hub: Database, hub_id: str | None, device_id: uuid.UUID) -> dict:
    """The office's greeting after every check; `offset_ms` (office − here) and `now` added."""
    with hub.engine.begin() as conn:
        greeting = hub_calls.hello(conn, device_id)
    if hub_id is not None and greeting["hub_id"] != hub_id:
        raise ServiceError(OTHER_OFFICE)
    device = greeting.get("device")
    if device is None:
        raise ServiceError(UNKNOWN_DEVICE)
    if device["revoked"]:
        raise ServiceError(REVOKED)
    if _revision(SCHEMA_HEAD) > _revision(greeting["schema"]):
        raise ServiceError(NEWER)
    now = dt.datetime.fromisoformat(greeting["now"])
    now = now if now.tzinfo else now.replace(tzinfo=dt.UTC)
    greeting["now"] = now
    greeting["offset_ms"] = int((now - dt.datetime.now(dt.UTC)).total_seconds() * 1000)
    return greeting


def actor_on(hub: Database, user_id: uuid.UUID) -> Actor:
    """The laptop's user as the office knows them (their access level there decides)."""
    from sqlalchemy import select

    with hub.engine.connect() as conn:
        row = conn.execute(
            select(User.id, User.login, User.display_name, User.access_level, User.is_active).where(User.id == user_id)
        ).first()
    if row is None or not row.is_active:
        raise ServiceError("کاربر این رایانه در دفتر فعال نیست.")
    return Actor(row.id, row.login, row.display_name, AccessLevel(row.access_level))

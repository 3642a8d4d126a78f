"""Small builders for the activity tests: an identity, an open opportunity, a user, fixed clocks."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from app.models import AccessLevel, Identity, IdentityKind, Opportunity, User
from app.persian import normalize_text, search_key
from app.services.core.actor import SYSTEM, Actor
from app.services.opportunities.pipelines import ensure_default_pipeline

TEHRAN = zoneinfo.ZoneInfo("Asia/Tehran")  # UTC+03:30, no DST since 2022
# 1405/09/01 (Saturday 22 Nov 2026) at 10:00 in Tehran
NOW = dt.datetime(2026, 11, 22, 10, 0, tzinfo=TEHRAN).astimezone(dt.UTC)


def at(day: int, hour: int, minute: int = 0, month: int = 11, tz=TEHRAN) -> dt.datetime:
    """A Tehran wall-clock time in Nov 2026 as a UTC instant."""
    return dt.datetime(2026, month, day, hour, minute, tzinfo=tz).astimezone(dt.UTC)


def add_user(services, login: str, level: AccessLevel = AccessLevel.OWN_DOCUMENTS) -> Actor:
    with services.db.write(SYSTEM) as s:
        user = User(login=login, display_name=login, access_level=level)
        s.add(user)
        s.flush()
        return Actor(user.id, login, login, level)


def add_identity(services, actor: Actor, name: str = "شرکت آلفا", owner: Actor | None = None) -> Identity:
    name = normalize_text(name)
    with services.db.write(actor) as s:
        identity = Identity(
            kind=IdentityKind.ORGANISATION,
            display_name=name,
            name_key=search_key(name),
            owner_id=(owner or actor).user_id,
        )
        s.add(identity)
        s.flush()
        return identity


def add_opportunity(services, actor: Actor, identity: Identity, title: str = "فروش ۵۰ دستگاه") -> Opportunity:
    stages = ensure_default_pipeline(services.db)
    with services.db.write(actor) as s:
        opp = Opportunity(
            identity_id=identity.id,
            title=title,
            title_key=search_key(title),
            pipeline_id=stages[0]["pipeline_id"],
            stage_id=stages[0]["id"],
            owner_id=actor.user_id,
            amount=125_000_000,
        )
        s.add(opp)
        s.flush()
        return opp

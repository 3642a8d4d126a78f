"""Users as the rest of the app needs them before login exists: the local administrator."""

from __future__ import annotations

from sqlalchemy import select

from app.models import AccessLevel, User
from app.services.actor import SYSTEM, Actor
from app.services.database import Database


def _actor(user: User) -> Actor:
    return Actor(user.id, user.login, user.display_name, user.access_level)


class UserService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def ensure_admin(self, display_name: str = "مدیر سیستم") -> Actor:
        """The first active administrator, created on first start if there is none. Writes."""
        with self._db.write(SYSTEM) as s:
            user = s.scalars(
                select(User)
                .where(User.access_level == AccessLevel.ADMIN, User.is_active.is_(True))
                .order_by(User.created_at)
                .limit(1)
            ).first()
            if user is None:
                user = User(
                    login="admin",
                    display_name=display_name,
                    access_level=AccessLevel.ADMIN,
                )
                s.add(user)
                s.flush()
            return _actor(user)

"""Who is acting. Every service call receives one so access can be checked there."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from app.models.enums import AccessLevel


@dataclass(frozen=True)
class Actor:
    user_id: uuid.UUID | None
    login: str
    display_name: str
    access_level: AccessLevel

    @property
    def is_admin(self) -> bool:
        return self.access_level is AccessLevel.ADMIN


# Command-line jobs (demo, import, check) run as the system: no user, full access.
SYSTEM = Actor(user_id=None, login="system", display_name="سیستم", access_level=AccessLevel.ADMIN)

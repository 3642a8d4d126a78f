"""Laptops registered for offline sync, on the office server (administrators only).

Registering a laptop for a user gives it an id, a short code (L1, L2 …: printed in the quotes it numbers
offline, so never reused: a revoked device stays listed) and a 32-byte secret that signs and encrypts its
sync files. The `Registration` (a `.peyvand-device` file the administrator hands to the laptop) carries
what the laptop needs to make its copy: the office's id, the server's address and the user's login; the
user's password is never in it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
import uuid
from dataclasses import asdict, dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import SyncDevice, User, new_id, utcnow
from app.persian import normalize_text
from app.services.core import capture, journal
from app.services.core.actor import Actor
from app.services.core.changes import Changes
from app.services.core.database import Database
from app.services.core.errors import AccessDenied, NotFound, ServiceError, ValidationFailed

SUFFIX = ".peyvand-device"
KIND = "peyvand-device"  # the file's own mark, so that another JSON file is refused by name
FORMAT = 1
CODE_PREFIX = "L"
NAME_MAX = 80
DENIED = "فقط مدیر می‌تواند دستگاه‌های همگام‌سازی را ببیند، ثبت کند یا تغییر دهد."
NOT_A_REGISTRATION = "این فایل، فایل ثبت دستگاه پیوند نیست یا آسیب دیده است."


@dataclass(frozen=True)
class Registration:
    """What an administrator hands to a laptop (saved as a `.peyvand-device` file)."""

    hub_id: str
    device_id: uuid.UUID
    device_code: str
    device_name: str
    user_id: uuid.UUID
    login: str
    secret: str  # hex
    server: dict  # host, port, database

    def to_json(self) -> str:
        values = asdict(self) | {"device_id": str(self.device_id), "user_id": str(self.user_id)}
        return json.dumps({"kind": KIND, "format": FORMAT, **values}, ensure_ascii=False, indent=2)

    @classmethod
    def from_json(cls, text: str) -> Registration:
        """Raises ServiceError (Persian) for anything but a registration this version reads."""
        try:
            data = json.loads(text)
            if data.pop("kind", None) != KIND or data.pop("format", None) != FORMAT:
                raise ValueError("not a registration")
            data["device_id"], data["user_id"] = uuid.UUID(data["device_id"]), uuid.UUID(data["user_id"])
            made = cls(**data)
            if not (isinstance(made.server, dict) and re.fullmatch(r"[0-9a-f]{64}", made.secret)):
                raise ValueError("bad server or secret")
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise ServiceError(NOT_A_REGISTRATION) from exc
        return made


@dataclass(frozen=True)
class DeviceView:
    id: uuid.UUID
    code: str
    name: str
    user_id: uuid.UUID
    user_name: str
    registered_at: dt.datetime
    revoked_at: dt.datetime | None
    last_seen_at: dt.datetime | None
    last_batch_no: int
    last_pull_seq: int


def _require_admin(actor: Actor) -> None:
    if not actor.is_admin:
        raise AccessDenied(DENIED)


def _name(name: str) -> str:
    cleaned = normalize_text(name)
    if not cleaned:
        raise ValidationFailed({"name": "نام دستگاه را وارد کنید."})
    if len(cleaned) > NAME_MAX:
        raise ValidationFailed({"name": "نام دستگاه بیش از اندازه بلند است."})
    return cleaned


def _next_code(s: Session) -> str:
    """The smallest free L<n> (codes of revoked devices stay taken)."""
    taken = set(s.scalars(select(SyncDevice.code)))
    n = 1
    while f"{CODE_PREFIX}{n}" in taken:
        n += 1
    return f"{CODE_PREFIX}{n}"


class DeviceService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def list(self, actor: Actor) -> list[DeviceView]:
        """Every registered device, revoked ones too, oldest first. Administrators only. Reads."""
        _require_admin(actor)
        with self._db.read(actor) as s:
            rows = s.execute(
                select(SyncDevice, User.display_name)
                .join(User, User.id == SyncDevice.user_id)
                .order_by(SyncDevice.registered_at, SyncDevice.code)
            )
            return [
                DeviceView(
                    d.id,
                    d.code,
                    d.name,
                    d.user_id,
                    user_name,
                    d.registered_at,
                    d.revoked_at,
                    d.last_seen_at,
                    d.last_batch_no,
                    d.last_pull_seq,
                )
                for d, user_name in rows
            ]

    def register(self, actor: Actor, user_id: uuid.UUID, name: str) -> Registration:
        """A new device for an active user. Administrators only. Raises AccessDenied, ValidationFailed.
        Writes."""
        _require_admin(actor)
        name = _name(name)
        with self._db.write(actor) as s:
            user = s.get(User, user_id)
            if user is None or not user.is_active:
                raise ValidationFailed({"user_id": "دستگاه فقط برای یک کاربر فعال ثبت می‌شود."})
            device = SyncDevice(
                id=new_id(),
                user_id=user.id,
                name=name,
                code=_next_code(s),
                secret=secrets.token_hex(32),
                registered_by=actor.user_id,
            )
            s.add(device)
            s.flush()
            url = self._db.url
            return Registration(
                hub_id=journal.device_id(s.connection()),
                device_id=device.id,
                device_code=device.code,
                device_name=device.name,
                user_id=user.id,
                login=user.login,
                secret=device.secret,
                server={"host": url.host, "port": url.port, "database": url.database},
            )

    def rename(self, actor: Actor, device_id: uuid.UUID, name: str) -> Changes:
        """Administrators only. Raises AccessDenied, NotFound, ValidationFailed. Writes."""
        _require_admin(actor)
        name = _name(name)
        with self._db.write(actor) as s:
            self._get(s, device_id).name = name
            s.flush()
            return capture.changes_of(s)

    def revoke(self, actor: Actor, device_id: uuid.UUID) -> Changes:
        """The device may no longer sync (it stays listed; its code is never given again). Administrators
        only. Raises AccessDenied, NotFound, ServiceError (already revoked). Writes."""
        _require_admin(actor)
        with self._db.write(actor) as s:
            device = self._get(s, device_id)
            if device.revoked_at is not None:
                raise ServiceError(f"دستگاه «{device.name}» پیش‌تر باطل شده است.")
            device.revoked_at = utcnow()
            s.flush()
            return capture.changes_of(s)

    @staticmethod
    def _get(s: Session, device_id: uuid.UUID) -> SyncDevice:
        device = s.get(SyncDevice, device_id)
        if device is None:
            raise NotFound("دستگاه")
        return device

"""Stand-ins for the sync services the UI tests need while those are built in parallel (the contract in
shared/design/sync.md): a laptop's state written for real, the services' answers canned."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass, field

import keyring
from keyring.backend import KeyringBackend

from app.services.core.changes import Changes
from app.services.core.errors import ServiceError
from app.services.sync import state

SERVER = {"host": "127.0.0.1", "port": 1, "database": "office"}  # port 1: nothing answers there


class MemoryKeyring(KeyringBackend):
    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.items.get((service, username))

    def set_password(self, service, username, password):
        self.items[(service, username)] = password

    def delete_password(self, service, username):
        del self.items[(service, username)]


def memory_vault():
    previous = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    return memory, previous


def make_laptop(db, user_id: uuid.UUID, login: str = "admin") -> None:
    """Writes a laptop's sync state into a real database: from now on it is a laptop copy."""
    with db.engine.begin() as conn:
        state.save(
            conn,
            hub_id=str(uuid.uuid4()),
            device_id=str(uuid.uuid4()),
            device_code="L7",
            device_name="لپ‌تاپ مریم",
            user_id=str(user_id),
            login=login,
            secret="ab" * 32,
            server=SERVER,
            pull_cursor=0,
            clock_offset_ms=0,
        )


@dataclass
class Status:
    last_sync_at: dt.datetime | None
    waiting: int
    conflicts_open: int
    device_name: str = "لپ‌تاپ مریم"
    server: str = "127.0.0.1/office"


@dataclass
class Report:
    pushed: int = 0
    pulled: int = 0
    conflicts: int = 0
    changes: Changes = field(default_factory=Changes)


class FakeSync:
    """SyncService's status and sync, canned; `fail` makes sync refuse with that Persian message."""

    def __init__(self, status: Status) -> None:
        self.status_value = status
        self.calls: list[str] = []
        self.fail: str | None = None

    def status(self, actor):
        return self.status_value

    def sync(self, actor, password, progress=None):
        if progress is not None:
            progress(1, 2, "فرستادن تغییرات")
        self.calls.append(password)
        if self.fail:
            raise ServiceError(self.fail)
        return Report(pushed=3, pulled=5)


@dataclass
class Registration:
    hub_id: str
    device_id: uuid.UUID
    device_code: str
    device_name: str
    user_id: uuid.UUID
    login: str
    secret: str
    server: dict

    def to_json(self) -> str:
        values = {k: str(v) if isinstance(v, uuid.UUID) else v for k, v in self.__dict__.items()}
        return json.dumps(values, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Registration:
        values = json.loads(text)
        return cls(**{**values, "device_id": uuid.UUID(values["device_id"]), "user_id": uuid.UUID(values["user_id"])})

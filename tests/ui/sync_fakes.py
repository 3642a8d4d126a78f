"""Stand-ins for the sync services the UI tests need while those are built in parallel (the contract in
shared/design/sync.md): the registration file, the device list and the sync files; and a credential store
in memory."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field

import keyring
from keyring.backend import KeyringBackend

from app.services.core.changes import Changes
from app.services.core.errors import ServiceError

NOT_A_REGISTRATION = "این فایل، فایل ثبت دستگاه پیوند نیست یا آسیب دیده است."
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


@dataclass
class Report:
    pushed: int = 0
    pulled: int = 0
    conflicts: int = 0
    changes: Changes = field(default_factory=Changes)


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
        try:
            values = json.loads(text)
            return cls(
                **values | {"device_id": uuid.UUID(values["device_id"]), "user_id": uuid.UUID(values["user_id"])}
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise ServiceError(NOT_A_REGISTRATION) from exc

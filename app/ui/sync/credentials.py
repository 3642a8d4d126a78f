"""The laptop's server password in the operating system's credential store (as the office connection's
is, app/services/server/connection.py): asked once, then every sync, also in the background, uses it."""

from __future__ import annotations

import logging

import keyring
from keyring.errors import KeyringError

from app.services.server.connection import KEYRING_SERVICE

log = logging.getLogger(__name__)


def _key(login: str, server: dict) -> str:
    # Its own entry: «اتصال به سرور» forgetting the office connection must not forget the laptop's.
    where = server.get("url") or f"{server.get('host', '')}:{server.get('port', '')}/{server.get('database', '')}"
    return f"sync:{login}@{where}"


def saved_password(login: str, server: dict) -> str | None:
    try:
        return keyring.get_password(KEYRING_SERVICE, _key(login, server))
    except KeyringError:
        log.warning("the credential store could not be read; the password will be asked")
        return None


def save_password(login: str, server: dict, password: str) -> bool:
    """False when the store refused (the password is then asked at the next sync)."""
    try:
        keyring.set_password(KEYRING_SERVICE, _key(login, server), password)
        return True
    except KeyringError:
        log.warning("the credential store refused the laptop's password")
        return False

"""Passwords: Argon2id hashes, and the rules of one login attempt (waiting after failures).

A plain-text password exists only as an argument of these functions: it is never stored and
never logged (not even the typed login name of an unknown user: people type passwords there).
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import math

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from app import config
from app.models import User
from app.persian import format_number, to_ascii_digits
from app.services.core.errors import ServiceError

log = logging.getLogger(__name__)

MIN_LENGTH = 8
COMMON_FILE = "common-passwords.txt"
LOCK_AFTER = 5  # failures in a row before the account has to wait
FIRST_WAIT = dt.timedelta(seconds=30)
MAX_WAIT = dt.timedelta(minutes=15)
WRONG_CREDENTIALS = "نام کاربری یا گذرواژه نادرست است."  # one message: never say which was wrong
INACTIVE = "این حساب غیرفعال است."
# The sample reps made by app.services.demo log in with this (documented in the README and shown
# when sample data is offered): someone trying the program can see a rep's own view at once.
DEMO_PASSWORD = "peyvand1405"

_hasher = PasswordHasher()  # argon2-cffi's defaults (RFC 9106 low-memory profile), Argon2id
_dummy_hash: str | None = None


class LoginRefused(ServiceError):
    """A refused login; `wait_seconds` is set while the account has to wait after failures."""

    def __init__(self, message: str, wait_seconds: int | None = None) -> None:
        super().__init__(message)
        self.wait_seconds = wait_seconds


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify(password_hash: str | None, password: str) -> bool:
    """True if `password` matches `password_hash`.

    Without a hash (unknown login, or a user with no password yet) a dummy hash is checked
    anyway, so a wrong login name costs as much time as a wrong password and reveals nothing.
    """
    global _dummy_hash
    if password_hash is None:
        _dummy_hash = _dummy_hash or _hasher.hash("not a password of anyone")
        _matches(_dummy_hash, password)
        return False
    return _matches(password_hash, password)


def _matches(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def weakness(password: str, login: str = "") -> str | None:
    """Why `password` is too easy to guess for the user `login` (Persian, shown beside the field),
    or None. The same rule guards the app's hash and the server role's password: PostgreSQL itself
    would take any password, and `psql -U pv_<login>` guesses without the app's waiting time."""
    if len(password) < MIN_LENGTH:
        return f"گذرواژه باید دست‌کم {format_number(MIN_LENGTH)} نویسه باشد."
    folded = to_ascii_digits(password).lower()
    name = to_ascii_digits(login).strip().lower()
    if len(name) >= 3 and name in folded:
        return "گذرواژه نباید نام کاربری را در خود داشته باشد."
    if folded in _common() or len(set(folded)) < 3:
        return "این گذرواژه بسیار رایج و آسان‌یاب است؛ گذرواژه دیگری برگزینید."
    return None


@functools.cache
def _common() -> frozenset[str]:
    """resources/common-passwords.txt: well-known passwords, lower case, one a line."""
    text = (config.resources_dir() / COMMON_FILE).read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def wait_after(failures: int) -> dt.timedelta | None:
    """How long an account waits after `failures` failed logins in a row: none before the fifth,
    then 30 s, doubling with every further failure, at most 15 minutes."""
    if failures < LOCK_AFTER:
        return None
    doublings = min(failures - LOCK_AFTER, 10)  # 30 s * 2**10 is already past the cap
    return min(FIRST_WAIT * 2**doublings, MAX_WAIT)


def check_attempt(user: User | None, password: str, now: dt.datetime) -> LoginRefused | None:
    """One login attempt against `user` (None: no such login). Updates its failure counter,
    waiting time, last login and (when Argon2's parameters have grown) its hash; returns the
    refusal, which the caller raises after committing the counter."""
    if user is None:
        verify(None, password)
        log.warning("Failed login for an unknown name")
        return LoginRefused(WRONG_CREDENTIALS)
    if user.locked_until is not None and now < user.locked_until:
        seconds = math.ceil((user.locked_until - now).total_seconds())
        log.warning("Login of %s refused: %s s left to wait", user.login, seconds)
        message = f"به دلیل چند تلاش ناموفق، {format_number(seconds)} ثانیه دیگر دوباره امتحان کنید."
        return LoginRefused(message, seconds)
    stored = user.password_hash
    if not verify(stored, password):
        user.failed_logins += 1
        wait = wait_after(user.failed_logins)
        user.locked_until = now + wait if wait else None
        log.warning("Failed login for %s (%s in a row)", user.login, user.failed_logins)
        return LoginRefused(WRONG_CREDENTIALS)
    if not user.is_active:
        log.warning("Login of inactive user %s refused", user.login)
        return LoginRefused(INACTIVE)
    if stored is not None and _hasher.check_needs_rehash(stored):
        user.password_hash = hash_password(password)
    user.failed_logins, user.locked_until, user.last_login_at = 0, None, now
    return None

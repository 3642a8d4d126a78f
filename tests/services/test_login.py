"""Logging in: one message for a wrong name or password, waiting after failures, no plain text anywhere."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from app.models import User, utcnow
from app.services.admin import passwords
from app.services.admin.passwords import INACTIVE, WRONG_CREDENTIALS, LoginRefused
from app.services.admin.users import UserData
from app.ui.errors import setup_logging

PASSWORD = "Sepid-Rood-1405"
T0 = dt.datetime(2026, 3, 21, 8, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def quick_hashes(monkeypatch) -> None:
    """Real Argon2id, with test-sized memory and time (the default costs ~150 ms a hash)."""
    monkeypatch.setattr(passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def maryam(services, admin):
    boss = services.users.set_up_admin(admin, "boss", "مدیر", "kelid-e-modir")
    return services.users.create_user(boss, UserData("maryam", "مریم احمدی"), PASSWORD)


def _refused(services, password: str, now: dt.datetime, login: str = "maryam") -> LoginRefused:
    with pytest.raises(LoginRefused) as caught:
        services.users.authenticate(login, password, now=now)
    return caught.value


def test_success_returns_the_actor_and_records_the_time(services, maryam) -> None:
    actor = services.users.authenticate("Maryam", PASSWORD, now=T0)
    assert (actor.user_id, actor.display_name, actor.is_admin) == (maryam.id, "مریم احمدی", False)
    assert services.users.get_by_login(services.users.ensure_admin(), "maryam").last_login_at == T0


def test_wrong_login_and_wrong_password_read_the_same(services, maryam) -> None:
    assert _refused(services, "wrong-password", T0).message == WRONG_CREDENTIALS == "نام کاربری یا گذرواژه نادرست است."
    assert _refused(services, PASSWORD, T0, login="nobody").message == WRONG_CREDENTIALS
    assert _refused(services, "", T0, login="").message == WRONG_CREDENTIALS


def test_an_inactive_account_is_refused(services, maryam) -> None:
    services.users.deactivate(services.users.ensure_admin(), maryam.id)
    assert _refused(services, PASSWORD, T0).message == INACTIVE == "این حساب غیرفعال است."
    assert _refused(services, "wrong-password", T0).message == WRONG_CREDENTIALS  # says nothing without it


def test_a_user_without_a_password_cannot_log_in(services, admin) -> None:
    assert _refused(services, "", T0, login="admin").message == WRONG_CREDENTIALS


def test_five_failures_make_the_account_wait_and_the_wait_grows(services, maryam, monkeypatch) -> None:
    for i in range(4):
        assert _refused(services, "wrong", T0 + dt.timedelta(seconds=i)).wait_seconds is None
    _refused(services, "wrong", T0 + dt.timedelta(seconds=4))  # the fifth: 30 s from now
    checked = []
    with monkeypatch.context() as spy:
        spy.setattr(passwords, "verify", lambda *args: checked.append(args) or True)
        locked = _refused(services, PASSWORD, T0 + dt.timedelta(seconds=5))
    assert locked.wait_seconds == 29 and locked.message == "به دلیل چند تلاش ناموفق، ۲۹ ثانیه دیگر دوباره امتحان کنید."
    assert checked == []  # the password was not even looked at

    later = T0 + dt.timedelta(seconds=34)
    _refused(services, "wrong", later)  # the sixth failure: 60 s
    assert _refused(services, PASSWORD, later + dt.timedelta(seconds=59)).wait_seconds == 1
    even_later = later + dt.timedelta(seconds=60)
    _refused(services, "wrong", even_later)  # the seventh: 120 s
    assert _refused(services, PASSWORD, even_later + dt.timedelta(seconds=1)).wait_seconds == 119

    actor = services.users.authenticate("maryam", PASSWORD, now=even_later + dt.timedelta(seconds=120))
    assert actor.user_id == maryam.id
    for i in range(4):  # success reset the count: four failures make nobody wait
        assert _refused(services, "wrong", T0 + dt.timedelta(hours=1, seconds=i)).wait_seconds is None
    services.users.authenticate("maryam", PASSWORD, now=T0 + dt.timedelta(hours=1, seconds=5))


def test_the_wait_doubles_up_to_fifteen_minutes() -> None:
    waits = [passwords.wait_after(n) for n in range(1, 12)]
    seconds = [w.total_seconds() if w else 0 for w in waits]
    assert seconds == [0, 0, 0, 0, 30, 60, 120, 240, 480, 900, 900]


def test_a_reset_by_the_admin_lifts_the_wait(services, maryam) -> None:
    for _ in range(5):
        _refused(services, "wrong", T0)
    services.users.reset_password(services.users.ensure_admin(), maryam.id, "another-password")
    assert services.users.authenticate("maryam", "another-password", now=T0).user_id == maryam.id


def test_hashes_are_argon2id_and_weak_ones_are_upgraded_at_login(services, maryam, db, monkeypatch) -> None:
    with db.read(services.users.ensure_admin()) as s:
        weak = s.scalar(select(User.password_hash).where(User.login == "maryam"))
    assert weak.startswith("$argon2id$") and "m=1024," in weak
    monkeypatch.setattr(passwords, "_hasher", PasswordHasher())  # today's parameters are stronger
    services.users.authenticate("maryam", PASSWORD)
    with db.read(services.users.ensure_admin()) as s:
        strong = s.scalar(select(User.password_hash).where(User.login == "maryam"))
    assert strong.startswith("$argon2id$") and "m=65536," in strong


@pytest.mark.sqlite_only  # reads the SQLite file's bytes
def test_no_plain_text_password_in_the_database_or_the_log(services, maryam, db, isolated_home) -> None:
    log_path = setup_logging()
    _refused(services, PASSWORD + "x", utcnow())
    _refused(services, PASSWORD, utcnow(), login="Sepid-Rood-typed-as-login")
    services.users.authenticate("maryam", PASSWORD)
    for handler in logging.getLogger().handlers:
        handler.flush()
    db.dispose()  # closing checkpoints the WAL; read the -wal file too in case it remains
    path = db.sqlite_path
    files = [path, path.with_name(path.name + "-wal")]
    stored = b"".join(f.read_bytes() for f in files if f.exists())
    logged = log_path.read_bytes()
    assert b"maryam" in stored and b"maryam" in logged  # the files are the right ones
    for secret in (PASSWORD, "Sepid-Rood-typed-as-login"):
        assert secret.encode() not in stored and secret.encode("utf-16-le") not in stored
        assert secret.encode() not in logged

"""The users screen on an office server: each user is also a PostgreSQL role, pv_<login>, changed in
the same transaction as the user row (created, renamed, disabled, re-enabled, re-passworded, made
administrator or not), and a refused save leaves no role behind."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import undefer

from app.models import AccessLevel, Identity, IdentityKind, User
from app.services.admin import passwords
from app.services.admin.users import UserData, UserService
from app.services.core.actor import SYSTEM
from app.services.core.database import Database
from app.services.core.errors import ValidationFailed
from app.services.core.registry import Services
from app.services.identities.service import IdentityQuery
from app.services.server import security as server_security
from tests.conftest import require_pg_server
from tests.server.role_office import Office, office_on

pytestmark = pytest.mark.usefixtures("quick_hashes")

REP_PASSWORD = "rep-password-1"


@pytest.fixture
def office():
    with office_on(require_pg_server()) as made:
        yield made


def _raw(office: Office, login: str, password: str = REP_PASSWORD) -> psycopg.Connection:
    url = make_url(office.url_as(login, password))
    return psycopg.connect(
        host=url.host, port=url.port, dbname=url.database, user=url.username, password=password, autocommit=True
    )


def _user(office: Office, login: str) -> User | None:
    with office.owner.db.read(SYSTEM) as s:
        return s.scalars(select(User).options(undefer(User.password_hash)).where(User.login == login)).first()


def test_a_new_user_is_a_server_login_in_the_users_group(office: Office) -> None:
    rep, chief = office.login("rep"), office.login("chief")
    # The app is connected as the first administrator's own role: its CREATEROLE is enough.
    office.as_boss.users.create_user(office.boss, UserData(rep.upper(), "نماینده"), REP_PASSWORD)
    office.as_boss.users.create_user(office.boss, UserData(chief, "سرپرست", AccessLevel.ADMIN), "chief-password")

    role = office.role(rep)
    assert role["can_login"] and role["user"] and not role["admin"] and not role["create_role"]
    # PostgreSQL holds only a SCRAM verifier, the app only an Argon2 hash: the password itself nowhere.
    assert role["password"].startswith("SCRAM-SHA-256$") and REP_PASSWORD not in role["password"]
    assert _user(office, rep).password_hash.startswith("$argon2id$")
    admin_role = office.role(chief)
    assert admin_role["can_login"] and admin_role["user"] and admin_role["admin"] and admin_role["create_role"]
    assert office.as_boss.users.on_server and server_security.role_name(rep.upper()) == f"pv_{rep}"


def test_a_raw_connection_as_the_new_role_sees_only_what_row_security_allows(office: Office) -> None:
    rep = office.login("rep")
    row = office.as_boss.users.create_user(office.boss, UserData(rep, "نماینده"), REP_PASSWORD)
    with office.owner.db.write(SYSTEM) as s:
        for name, owner in (("مشتری نماینده", row.id), ("مشتری مدیر", office.boss.user_id)):
            s.add(Identity(kind=IdentityKind.PERSON, display_name=name, name_key=name, owner_id=owner))
    with _raw(office, rep) as conn:
        assert [r[0] for r in conn.execute("SELECT display_name FROM identities")] == ["مشتری نماینده"]
        # Nor can the role give itself more: users are the administrators'.
        assert conn.execute("UPDATE users SET access_level = 'admin' WHERE login = %s", (rep,)).rowcount == 0
        assert conn.execute("SELECT rolcreaterole FROM pg_roles WHERE rolname = current_user").fetchone()[0] is False
        # Colleagues' names are there, their password hashes are not (only administrators read them).
        assert {r[0] for r in conn.execute("SELECT login FROM users")} == {rep, office.boss.login}
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT password_hash FROM users")
    assert _user(office, rep).access_level is AccessLevel.OWN_DOCUMENTS


def test_deactivate_reactivate_and_reset_password_follow_on_the_role(office: Office) -> None:
    users = office.as_boss.users
    rep = office.login("rep")
    row = users.create_user(office.boss, UserData(rep, "نماینده"), REP_PASSWORD)
    first = office.role(rep)["password"]

    users.deactivate(office.boss, row.id)
    assert office.role(rep)["can_login"] is False
    users.reactivate(office.boss, row.id)
    assert office.role(rep)["can_login"] is True

    users.reset_password(office.boss, row.id, "a-new-password")
    second = office.role(rep)
    assert second["password"] != first and second["password"].startswith("SCRAM-SHA-256$")
    assert second["can_login"] and second["user"]
    assert office.owner.users.authenticate(rep, "a-new-password").login == rep  # the app's hash changed too


def test_a_user_without_a_role_gets_one_with_a_password(office: Office) -> None:
    """Users from before the server (imported) have no role: a new password makes one; deactivating
    or editing one without a role creates nothing."""
    rep = office.login("old")
    with office.owner.db.write(SYSTEM) as s:
        user = User(login=rep, display_name="قدیمی", password_hash=passwords.hash_password("old-password"))
        s.add(user)
        s.flush()
        user_id = user.id
    office.as_boss.users.update_user(office.boss, user_id, UserData(rep, "قدیمی‌تر"))
    office.as_boss.users.deactivate(office.boss, user_id)
    assert office.role(rep) is None
    office.as_boss.users.reactivate(office.boss, user_id)
    office.as_boss.users.reset_password(office.boss, user_id, "new-password")
    assert office.role(rep)["can_login"] and office.role(rep)["user"]


def test_a_refused_save_leaves_no_role_behind(office: Office, monkeypatch) -> None:
    users = office.as_boss.users
    rep = office.login("rep")

    def refuse(*_args):  # a refusal after the role's DDL, inside the same transaction
        raise ValidationFailed({"display_name": "نپذیرفتنی"})

    monkeypatch.setattr(UserService, "_rows", lambda self, s, *conditions: refuse())
    with pytest.raises(ValidationFailed):
        users.create_user(office.boss, UserData(rep, "نماینده"), REP_PASSWORD)
    monkeypatch.undo()
    assert office.role(rep) is None and _user(office, rep) is None

    too_long = office.login("x" * 45)  # a fine login for the app, too long for a server role
    with pytest.raises(ValidationFailed) as refused:
        users.create_user(office.boss, UserData(too_long, "بلند"), REP_PASSWORD)
    assert refused.value.errors == {"login": "نام کاربری روی سرور حداکثر ۴۸ نویسه است."}
    assert _user(office, too_long) is None

    # Another account of the server with that name is never taken over.
    foreign = office.login("dba")
    with office.owner.db.engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE ROLE pv_{foreign} LOGIN")
    with pytest.raises(ValidationFailed) as taken:
        users.create_user(office.boss, UserData(foreign, "دیگری"), REP_PASSWORD)
    assert taken.value.errors["login"].startswith("این نام کاربری روی سرور از پیش وجود دارد")
    assert office.role(foreign)["password"] is None and not office.role(foreign)["user"]
    assert _user(office, foreign) is None


def test_changing_login_and_level_follows_on_the_role(office: Office) -> None:
    users = office.as_boss.users
    rep, renamed = office.login("rep"), office.login("rep2")
    row = users.create_user(office.boss, UserData(rep, "نماینده"), REP_PASSWORD)
    password = office.role(rep)["password"]

    users.update_user(office.boss, row.id, UserData(renamed, "نماینده", AccessLevel.ADMIN))
    assert office.role(rep) is None
    role = office.role(renamed)
    assert role["password"] == password  # a SCRAM password survives the rename
    assert role["admin"] and role["create_role"] and role["can_login"]

    users.update_user(office.boss, row.id, UserData(renamed, "نماینده", AccessLevel.ALL_DOCUMENTS))
    role = office.role(renamed)
    assert not role["admin"] and not role["create_role"] and role["user"]

    # The role this connection is logged in as cannot be renamed by PostgreSQL: said by the field.
    boss_data = UserData(office.login("chief"), "مدیر", AccessLevel.ADMIN)
    with pytest.raises(ValidationFailed) as refused:
        users.update_user(office.boss, office.boss.user_id, boss_data)
    assert "login" in refused.value.errors
    assert office.role(office.boss.login)["can_login"] and _user(office, office.boss.login) is not None


def test_logging_in_on_a_new_users_own_role_end_to_end(office: Office) -> None:
    rep = office.login("rep")
    row = office.as_boss.users.create_user(office.boss, UserData(rep, "نماینده"), REP_PASSWORD)
    with office.owner.db.write(SYSTEM) as s:
        for name, owner in (("مشتری نماینده", row.id), ("مشتری مدیر", office.boss.user_id)):
            s.add(Identity(kind=IdentityKind.PERSON, display_name=name, name_key=name, owner_id=owner))
    as_rep = Services(Database(office.url_as(rep, REP_PASSWORD)))  # the rep's computer
    try:
        with pytest.raises(passwords.LoginRefused) as wrong:
            as_rep.users.authenticate(rep, "not-the-password")
        assert wrong.value.message == passwords.WRONG_CREDENTIALS
        assert _user(office, rep).failed_logins == 1  # written although the role may not update users

        with pytest.raises(passwords.LoginRefused) as other:  # not someone else on the rep's connection
            as_rep.users.authenticate(office.boss.login, "boss-password-1")
        assert f"«{rep}»" in other.value.message

        actor = as_rep.users.authenticate(rep, REP_PASSWORD)
        assert actor.user_id == row.id and actor.access_level is AccessLevel.OWN_DOCUMENTS
        stored = _user(office, rep)
        assert stored.failed_logins == 0 and stored.last_login_at is not None
        assert [r.display_name for r in as_rep.identities.search(actor, IdentityQuery())] == ["مشتری نماینده"]
    finally:
        as_rep.db.dispose()


@pytest.mark.sqlite_only  # `services` is on the server in the PostgreSQL pass
def test_on_sqlite_nothing_is_a_server_login(services, admin) -> None:
    assert not services.users.on_server
    boss = services.users.set_up_admin(admin, "x" * 60, "مدیر", "boss-password-1")  # no role-name limit
    assert boss.login == "x" * 60


# --- passwords proved on a server that checks them ---------------------------------------------------
def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def scram_server():
    """A throwaway cluster with SCRAM authentication (the shared test server trusts everyone)."""
    require_pg_server()
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if not initdb or not pg_ctl:
        pytest.skip("initdb/pg_ctl not found: the SCRAM password test did not run")
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    home = Path(tempfile.mkdtemp(prefix="peyvand_scram_"))
    data, pwfile, port = home / "data", home / "pw", _free_port()
    pwfile.write_text("super-secret\n")
    if as_postgres:
        shutil.chown(home, "postgres")
        shutil.chown(pwfile, "postgres")
    quiet = {"check": True, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    subprocess.run(
        [*as_postgres, initdb, "-D", data, "-U", "postgres", "-A", "scram-sha-256", f"--pwfile={pwfile}"], **quiet
    )
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {home} -c fsync=off"
    subprocess.run([*as_postgres, pg_ctl, "-D", data, "-o", options, "-w", "-l", home / "log", "start"], **quiet)
    try:
        yield f"postgresql+psycopg://postgres:super-secret@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*as_postgres, pg_ctl, "-D", data, "-m", "fast", "-w", "stop"], check=False)
        shutil.rmtree(home, ignore_errors=True)


def _can_connect(office: Office, login: str, password: str) -> bool:
    try:
        _raw(office, login, password).close()
    except psycopg.OperationalError:
        return False
    return True


def test_the_role_password_is_the_users_password(scram_server) -> None:
    with office_on(scram_server) as office:
        users = office.as_boss.users  # connecting at all proves the first administrator's password
        rep = office.login("rep")
        row = users.create_user(office.boss, UserData(rep, "نماینده"), "گذرواژه‌ی نماینده")  # Persian too
        assert _can_connect(office, rep, "گذرواژه‌ی نماینده")
        assert not _can_connect(office, rep, "wrong-password")

        users.reset_password(office.boss, row.id, REP_PASSWORD)
        assert _can_connect(office, rep, REP_PASSWORD) and not _can_connect(office, rep, "گذرواژه‌ی نماینده")

        users.deactivate(office.boss, row.id)
        assert not _can_connect(office, rep, REP_PASSWORD)
        users.reactivate(office.boss, row.id)
        assert _can_connect(office, rep, REP_PASSWORD)

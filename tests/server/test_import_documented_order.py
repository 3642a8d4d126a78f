"""The README's steps for moving an office onto the server, exactly: `demo` into a file, `server init`,
`server import-sqlite`, then the reps log in with their own roles once they replaced the temporary
password; a second import changes nothing. No output ever holds a traceback or a password hash."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from app.models import Activity, ActivityType, Identity, Source
from app.services.activities.activity_types import ensure_builtin_types
from app.services.admin.users import PasswordChangeRequired, UserService
from app.services.core import migrations
from app.services.core.actor import SYSTEM
from app.services.core.database import Database
from app.services.demo import DemoBuilder
from app.services.server.importer import import_sqlite
from app.services.server.security import role_name
from tests.conftest import sqlite_url

ROOT = Path(__file__).resolve().parents[2]
ADMIN_PASSWORD = "مدیر-دفتر-۱۴۰۵"
# Business records: the server must hold exactly the file's (init made none of them).
COPIED_AS_IS = (
    "identities", "identity_phones", "opportunities", "opportunity_lines", "activities", "products",
    "quotes", "quote_lines", "invoices", "invoice_lines", "receipts", "sales_returns", "number_series",
)  # fmt: skip


def _app(*args: str, home: Path, stdin: str = "") -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-m", "app", *args],
        cwd=ROOT,
        env={**os.environ, "PEYVAND_HOME": str(home)},
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=600,
    )
    output = result.stdout + result.stderr
    assert "Traceback" not in output and "$argon2" not in output, output[-2000:]
    return result


def _url_as(server: str, login: str, password: str) -> str:
    url = make_url(server).set(username=role_name(login), password=password)
    return url.render_as_string(hide_password=False)


def _role_password_is(server: str, login: str, password: str) -> bool:
    """The role may log in and its SCRAM verifier is that of `password` (recomputed here: the test
    cluster trusts local connections, so connecting would prove nothing)."""
    db = Database(server)
    with db.engine.connect() as conn:
        can_login, verifier = conn.execute(
            text("SELECT rolcanlogin, rolpassword FROM pg_authid WHERE rolname = :r"), {"r": role_name(login)}
        ).one()
    db.dispose()
    iterations, salt, stored_key, _server_key = re.fullmatch(
        r"SCRAM-SHA-256\$(\d+):([^$]+)\$([^:]+):(.+)", verifier
    ).groups()
    salted = hashlib.pbkdf2_hmac(
        "sha256", unicodedata.normalize("NFKC", password).encode(), base64.b64decode(salt), int(iterations)
    )
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    return can_login and hashlib.sha256(client_key).digest() == base64.b64decode(stored_key)


def _snapshot(server: str) -> dict:
    """Every table's row count and the users' password hashes (compared, never printed)."""
    db = Database(server)
    with db.engine.connect() as conn:
        tables = conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars().all()
        counts = {t: conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar_one() for t in tables}
        hashes = dict(conn.execute(text("SELECT login, password_hash FROM users")).all())
    db.dispose()
    return {"counts": counts, "hashes": hashes}


def test_the_readme_order_moves_an_office_onto_the_server(tmp_path, isolated_home, pg_database) -> None:
    demo = tmp_path / "demo.db"
    made = _app("demo", "--db", f"sqlite:///{demo.as_posix()}", "--identities", "30", "--opportunities", "10",
                home=isolated_home)  # fmt: skip
    assert made.returncode == 0, made.stderr
    init = _app("server", "init", "--db", pg_database, "--json", home=isolated_home, stdin=ADMIN_PASSWORD + "\n")
    assert init.returncode == 0 and json.loads(init.stdout)["admin_created"], init.stderr

    first = _app("server", "import-sqlite", str(demo), "--db", pg_database, "--json", home=isolated_home)
    assert first.returncode == 0, first.stderr
    report = json.loads(first.stdout)
    assert report["ok"] and report["changed"]
    tables = {t["table"]: t for t in report["tables"]}
    assert [t for t in COPIED_AS_IS if tables[t]["source"] != tables[t]["server"] or not tables[t]["source"]] == []
    # The file's admin is the one `server init` made (same login): one account, the server's.
    assert report["kept_users"] == ["admin"]
    assert (tables["users"]["source"], tables["users"]["server"], tables["users"]["merged"]) == (5, 5, 1)
    temporary = {u["login"]: u["temporary_password"] for u in report["users"]}
    assert sorted(temporary) == ["ali", "maryam", "reza", "sara"] and all(temporary.values())

    server = Database(pg_database)
    with server.engine.connect() as conn:
        stages = conn.execute(text("SELECT name FROM stages WHERE deleted_at IS NULL")).scalars().all()
        assert len(stages) == 4 and stages.count("جدید") == 1
        assert conn.execute(text("SELECT count(*) FROM pipelines")).scalar_one() == 1
        owners = conn.execute(text("SELECT DISTINCT owner_id FROM identities")).scalars().all()
        logins = conn.execute(text("SELECT id FROM users")).scalars().all()
        assert set(owners) <= set(logins)  # the file's admin's records now belong to the server's admin
    server.dispose()
    assert _role_password_is(pg_database, "admin", ADMIN_PASSWORD)  # the administrator's password is unchanged

    for login, password in temporary.items():
        assert _role_password_is(pg_database, login, password)
        own = Database(_url_as(pg_database, login, password))
        users = UserService(own)
        with pytest.raises(PasswordChangeRequired):
            users.authenticate(login, password)
        new_password = f"Kooh-{len(login)}-تازه-۱۴۰۵"  # not the login: the weak-password rule
        actor = users.change_own_password(login, password, new_password)
        own.dispose()
        assert actor.login == login and not _role_password_is(pg_database, login, password)
        assert _role_password_is(pg_database, login, new_password)
        again = Database(_url_as(pg_database, login, new_password))
        assert UserService(again).authenticate(login, new_password).login == login  # no longer asked
        with again.engine.connect() as conn:
            assert conn.execute(text("SELECT peyvand_level()")).scalar_one() == "own"
        again.dispose()

    before = _snapshot(pg_database)
    second = _app("server", "import-sqlite", str(demo), "--db", pg_database, home=isolated_home)
    assert second.returncode == 0, second.stderr
    assert "چیزی تغییر نکرد" in second.stdout
    assert _snapshot(pg_database) == before


def test_a_file_that_is_not_a_database_is_refused_in_persian(tmp_path, isolated_home, pg_database) -> None:
    damaged = tmp_path / "office.db"
    damaged.write_bytes(b"not a database, whatever its name says" * 100)
    result = _app("server", "import-sqlite", str(damaged), "--db", pg_database, home=isolated_home)
    assert result.returncode == 2 and "هیچ چیزی روی سرور تغییر نکرد" in result.stderr
    missing = _app("server", "import-sqlite", str(tmp_path / "none.db"), "--db", pg_database, home=isolated_home)
    assert missing.returncode == 2 and "پیدا نشد" in missing.stderr


def test_lists_the_server_already_has_are_merged_by_name(tmp_path, pg_database) -> None:
    """The app opened on the server before the import made the built-in activity types, and the
    administrator entered a source: the file's equal entries become the server's, records follow."""
    file = Database(sqlite_url(tmp_path / "office.db"))
    migrations.upgrade(file)
    DemoBuilder(file, seed=7).run(identities=20, opportunities=5)
    with file.write(SYSTEM) as s:
        source = Source(name="نمایشگاه")
        s.add(source)
        s.flush()
        for identity in s.scalars(select(Identity)):
            identity.source_id = source.id
    server = Database(pg_database)
    migrations.upgrade(server)
    ensure_builtin_types(server)
    with server.write(SYSTEM) as s:
        s.add(Source(name="نمایشگاه"))

    report = import_sqlite(file, server)
    assert report.ok and {t.table: t.merged for t in report.tables}["activity_types"] == 6
    with server.read(SYSTEM) as s:
        kinds = s.execute(select(ActivityType.kind, func.count()).group_by(ActivityType.kind)).all()
        assert {count for _kind, count in kinds} == {1}  # one type per built-in kind, the server's
        server_types = set(s.scalars(select(ActivityType.id)))
        assert set(s.scalars(select(Activity.type_id).where(Activity.type_id.is_not(None)))) <= server_types
        fair = select(Source.id).where(Source.name == "نمایشگاه")
        assert len(s.scalars(fair).all()) == 1  # the file's «نمایشگاه» became the server's (the demo has others)
        assert set(s.scalars(select(Identity.source_id))) == {s.scalar(fair)}
    file.dispose()
    server.dispose()

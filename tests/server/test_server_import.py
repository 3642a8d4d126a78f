"""`server import-sqlite`: a demo database moves to PostgreSQL with nothing lost, twice without duplicates."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from app.models import AuditEntry, Base, Identity, Invoice, User
from app.services.core import migrations
from app.services.core.actor import SYSTEM
from app.services.core.database import Database
from app.services.demo import DemoBuilder
from app.services.server.importer import SERVER_OWN
from tests.conftest import sqlite_url

ROOT = Path(__file__).resolve().parents[2]
# Every kind of record the demo makes, each of which must arrive on the server.
EVERY_KIND = (
    "users", "identities", "identity_phones", "identity_emails", "identity_addresses", "opportunities",
    "opportunity_lines", "pipelines", "stages", "activities", "activity_attendees", "attachments", "attachment_blobs",
    "products", "quotes", "quote_lines", "invoices", "invoice_lines", "receipts", "receipt_allocations",
    "sales_returns", "sales_return_lines", "number_series", "audit_log",
)  # fmt: skip


def _run(*args: str, home: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PEYVAND_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=600,
    )


def test_import_sqlite_keeps_everything_and_is_idempotent(tmp_path, isolated_home, pg_database) -> None:
    source_path = tmp_path / "office.db"
    source = Database(sqlite_url(source_path))
    migrations.upgrade(source)
    admin_id = None
    with source.write(SYSTEM) as s:
        user = User(login="admin", display_name="مدیر")
        s.add(user)
        s.flush()
        admin_id = user.id
    DemoBuilder(source, seed=3).run(identities=300, opportunities=80)  # seeded: has a file attachment too
    with source.read(SYSTEM) as s:
        some = s.scalars(select(Identity).limit(3)).all()
        audit = s.scalar(select(func.count()).select_from(AuditEntry))
        numbers = set(s.execute(select(Invoice.id, Invoice.fiscal_year, Invoice.number)).all())
    source.dispose()

    for attempt in range(2):
        result = _run("server", "import-sqlite", str(source_path), "--db", pg_database, "--json", home=isolated_home)
        assert result.returncode == 0, result.stderr
        report = json.loads(result.stdout)
        assert report["ok"], attempt
        mismatched = [t for t in report["tables"] if t["source"] != t["server"]]
        assert mismatched == [], f"attempt {attempt + 1}: {mismatched}"
        counts = {t["table"]: t["source"] for t in report["tables"]}
        empty = [table for table in EVERY_KIND if not counts.get(table)]
        assert empty == [], f"the demo should have every kind of record: {empty}"
        # every table is counted but the server's own change journal (numbered by its own clock)
        assert set(counts) == set(Base.metadata.tables) - SERVER_OWN

    server = Database(pg_database)
    with server.read(SYSTEM) as s:
        for identity in some:
            copied = s.get(Identity, identity.id)
            assert (copied.display_name, copied.created_at, copied.version) == (
                identity.display_name,
                identity.created_at,
                identity.version,
            )
        assert s.get(User, admin_id).login == "admin"
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == audit
        assert set(s.execute(select(Invoice.id, Invoice.fiscal_year, Invoice.number)).all()) == numbers
    server.dispose()


def test_server_init_creates_schema_security_and_the_admin_role(isolated_home, pg_database) -> None:
    import psycopg
    from sqlalchemy.engine import make_url

    env = {**os.environ, "PEYVAND_HOME": str(isolated_home)}
    cmd = [sys.executable, "-m", "app", "server", "init", "--db", pg_database, "--admin", "boss", "--json"]
    first = subprocess.run(
        cmd, cwd=ROOT, env=env, input="گذرواژه-مدیر\n", capture_output=True, text=True, encoding="utf-8", timeout=300
    )
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout) == {"ok": True, "admin_created": True, "identities_ordered_s": None}
    again = subprocess.run(
        cmd, cwd=ROOT, env=env, input="", capture_output=True, text=True, encoding="utf-8", timeout=300
    )
    assert again.returncode == 0 and json.loads(again.stdout)["admin_created"] is False
    url = make_url(pg_database).set(drivername="postgresql", username="pv_boss", password="گذرواژه-مدیر")
    with psycopg.connect(url.render_as_string(hide_password=False)) as conn:
        assert conn.execute("SELECT peyvand_level()").fetchone()[0] == "admin"
        assert conn.execute("SELECT rolcreaterole FROM pg_roles WHERE rolname = 'pv_boss'").fetchone()[0]

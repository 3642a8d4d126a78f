"""Row-level security: a user's own PostgreSQL role, through any client, sees exactly what the app shows."""

from __future__ import annotations

import datetime as dt

import psycopg
import pytest
from sqlalchemy.engine import make_url

from app.models import AccessLevel, Identity, IdentityKind, Invoice, InvoiceLine, Product, User
from app.models.enums import DocumentState
from app.services.core import migrations
from app.services.core.actor import SYSTEM, Actor
from app.services.core.database import Database
from app.services.core.registry import Services
from app.services.identities.service import IdentityQuery
from app.services.server import security as server_security


@pytest.fixture
def office(pg_database):
    """An office server with an admin, two reps, a clerk; each rep owns a customer and an issued invoice."""
    db = Database(pg_database)
    migrations.upgrade(db)
    with db.engine.begin() as conn:
        server_security.install_row_security(conn)
    users, records = {}, {}
    with db.write(SYSTEM) as s:
        for login, level in (
            ("boss", AccessLevel.ADMIN),
            ("rep_a", AccessLevel.OWN_DOCUMENTS),
            ("rep_b", AccessLevel.OWN_DOCUMENTS),
            ("clerk", AccessLevel.ALL_DOCUMENTS),
        ):
            user = User(login=login, display_name=login, access_level=level)
            s.add(user)
            s.flush()
            users[login] = Actor(user.id, login, login, level)
        product = Product(code="P1", name="کالا", name_key="کالا", default_price=1000, on_hand=10)
        s.add(product)
        for login in ("rep_a", "rep_b"):
            owner = users[login].user_id
            identity = Identity(kind=IdentityKind.PERSON, display_name=f"مشتری {login}", name_key=login, owner_id=owner)
            s.add(identity)
            s.flush()
            invoice = Invoice(
                identity_id=identity.id,
                owner_id=owner,
                issue_date=dt.date(2026, 11, 22),
                number=1 if login == "rep_a" else 2,
                fiscal_year=1405,
                total=1100,
            )
            s.add(invoice)
            s.flush()
            s.add(InvoiceLine(invoice_id=invoice.id, description="کالا", quantity=1, unit_price=1000, total=1100))
            records[login] = (identity.id, invoice.id)
        s.flush()
        records["product"] = product.id
    with db.write(SYSTEM) as s:  # issued once its lines exist
        for login in ("rep_a", "rep_b"):
            s.get(Invoice, records[login][1]).state = DocumentState.ISSUED
    with db.engine.begin() as conn:
        for login, actor in users.items():
            server_security.set_user_role(conn, login, "secret-" + login, admin=actor.is_admin)
    yield db, users, records
    db.dispose()


def _connect(db: Database, login: str) -> psycopg.Connection:
    url = make_url(db.url).set(drivername="postgresql", username=f"pv_{login}", password=f"secret-{login}")
    return psycopg.connect(url.render_as_string(hide_password=False), autocommit=True)


def test_a_rep_role_sees_and_changes_only_its_own_rows(office) -> None:
    db, users, records = office
    theirs = records["rep_b"]
    with _connect(db, "rep_a") as conn:
        names = {row[0] for row in conn.execute("SELECT display_name FROM identities")}
        assert names == {"مشتری rep_a"}
        assert conn.execute("SELECT count(*) FROM invoice_lines").fetchone()[0] == 1
        changed = conn.execute("UPDATE identities SET description = 'x' WHERE id = %s", (theirs[0],)).rowcount
        assert changed == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # a row for someone else: WITH CHECK refuses
            conn.execute(
                "INSERT INTO identities (id, kind, role, display_name, name_key, search_blob, created_at, updated_at,"
                " version, owner_id) VALUES (gen_random_uuid(), 'person', 'lead', 'x', 'x', '', now(), now(), 1, %s)",
                (users["rep_b"].user_id,),
            )
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # lists and settings are the admin's
            conn.execute("INSERT INTO settings (key, value) VALUES ('x', '1')")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE products SET default_price = 1")


def test_an_own_documents_role_sees_only_its_invoices_and_cannot_change_an_issued_one(office) -> None:
    db, _users, records = office
    mine, theirs = records["rep_a"][1], records["rep_b"][1]
    with _connect(db, "rep_a") as conn:
        assert [row[0] for row in conn.execute("SELECT id FROM invoices")] == [mine]
        assert conn.execute("SELECT count(*) FROM invoices WHERE id = %s", (theirs,)).fetchone()[0] == 0
        assert conn.execute("UPDATE invoices SET notes = 'x' WHERE id = %s", (theirs,)).rowcount == 0  # not visible
        with pytest.raises(psycopg.errors.RaiseException):  # its own, but issued: refused by the trigger
            conn.execute("UPDATE invoices SET notes = 'x' WHERE id = %s", (mine,))
    with _connect(db, "rep_b") as conn:  # nothing changed
        assert conn.execute("SELECT notes, total FROM invoices").fetchall() == [(None, 1100)]
    with _connect(db, "rep_a") as conn:
        assert conn.execute("SELECT notes, total FROM invoices").fetchall() == [(None, 1100)]


def test_no_role_can_change_an_issued_invoice(office) -> None:
    db, _users, records = office
    for login in ("rep_a", "clerk", "boss"):
        with _connect(db, login) as conn:
            with pytest.raises(psycopg.errors.RaiseException):
                conn.execute("UPDATE invoices SET total = 1 WHERE id = %s", (records["rep_a"][1],))
            with pytest.raises(psycopg.errors.RaiseException):
                conn.execute("DELETE FROM invoice_lines")


def test_all_documents_role_sees_every_row(office) -> None:
    db, _users, _records = office
    with _connect(db, "clerk") as conn:
        assert conn.execute("SELECT count(*) FROM identities").fetchone()[0] == 2


def test_the_app_connected_as_a_rep_shows_the_same_rows(office) -> None:
    db, users, _records = office
    url = make_url(db.url).set(username="pv_rep_a", password="secret-rep_a").render_as_string(hide_password=False)
    as_rep = Services(Database(url))
    rows = as_rep.identities.search(users["rep_a"], IdentityQuery())
    assert [r.display_name for r in rows] == ["مشتری rep_a"]
    # Even an actor claiming more than the role has gets only the role's rows from the server.
    clerk_claim = Actor(users["rep_a"].user_id, "rep_a", "rep_a", AccessLevel.ALL_DOCUMENTS)
    assert as_rep.identities.count(clerk_claim, IdentityQuery()) == 1
    as_rep.db.dispose()

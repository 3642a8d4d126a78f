"""An office server under attack (not a test module): the first administrator, two own-documents reps
made through the users service (so each has its own role pv_<login>), and records of each.

maryam (the attacker) owns a customer and one issued invoice, issued through the app on her own
role; sara owns a customer, an opportunity and an activity maryam must never reach. The boss's laptop
is registered first, so all of it is journalled. `raw` connects as
a rep's role the way psql would."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import psycopg
import pytest
from sqlalchemy.engine import make_url

from app.models import AccessLevel, Activity, ActivityKind, Identity, IdentityKind, Product, Tag
from app.persian import search_key
from app.services.admin.users import UserData
from app.services.core.actor import SYSTEM, Actor
from app.services.core.database import Database
from app.services.core.registry import Services
from app.services.documents.invoice_views import InvoiceDraft
from app.services.documents.lines import LineDraft
from app.services.opportunities.data import OpportunityData
from tests.conftest import require_pg_server
from tests.server.role_office import Office, office_on

REP_PASSWORD = "rep-password-1"
DAY = dt.date(2026, 11, 22)
STOCK = 10


@dataclass
class Attacked:
    office: Office
    maryam: Actor
    sara: Actor
    as_maryam: Services  # the app on maryam's own role
    theirs: dict  # sara's records: identity, opportunity, activity, tag
    mine: dict  # maryam's: identity, invoice (issued), product

    def raw(self, who: str = "maryam") -> psycopg.Connection:
        login = self.office.login(who)
        url = make_url(self.office.url_as(login, REP_PASSWORD)).set(drivername="postgresql")
        return psycopg.connect(url.render_as_string(hide_password=False), autocommit=True)

    def as_owner(self, sql: str, params: tuple = ()) -> list[tuple]:
        """Runs `sql` as the database owner (the superuser of the test server)."""
        with self.office.owner.db.engine.begin() as conn:
            result = conn.exec_driver_sql(sql, params)
            return result.fetchall() if result.returns_rows else []

    def grant_temp_back(self) -> None:
        """A careless DBA grants maryam TEMP again: the server's functions must still read only the public
        tables, never a temporary table of hers of the same name."""
        name = self.office.owner.db.url.database
        self.as_owner(f'GRANT TEMPORARY ON DATABASE {name} TO "pv_{self.maryam.login}"')

    def draft_invoice(self, quantity: int = 1):
        line = LineDraft("", Decimal(quantity), 1_000_000, 0, None, self.mine["product"])
        draft = InvoiceDraft(self.mine["identity"], DAY, [line])
        return self.as_maryam.invoices.create(self.maryam, draft)


def assert_pinned(attacked: Attacked, function: str, replacement: str) -> None:
    """A rep can neither reset the server function's search_path nor replace the function (`replacement`,
    a CREATE OR REPLACE of it as a rep would write it); its search_path is pinned."""
    with attacked.raw() as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(f"ALTER FUNCTION {function} RESET search_path")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(replacement)
    name = function.partition("(")[0]
    config = attacked.as_owner("SELECT proconfig FROM pg_proc WHERE proname = %s", (name,))
    assert config == [(["search_path=pg_catalog, public, pg_temp"],)]


def _rep(office: Office, name: str) -> Actor:
    row = office.as_boss.users.create_user(office.boss, UserData(office.login(name), name), REP_PASSWORD)
    return Actor(row.id, row.login, row.display_name, AccessLevel.OWN_DOCUMENTS)


def _identity(s, owner: Actor, name: str):
    identity = Identity(kind=IdentityKind.PERSON, display_name=name, name_key=search_key(name), owner_id=owner.user_id)
    s.add(identity)
    s.flush()
    return identity.id


@contextlib.contextmanager
def attacked_office() -> Iterator[Attacked]:
    with office_on(require_pg_server()) as office:
        # The office has a laptop from the start, so the journal (written only when a device reads it)
        # holds every record made below.
        office.as_boss.devices.register(office.boss, office.boss.user_id, "لپ‌تاپ دفتر")
        maryam, sara = _rep(office, "maryam"), _rep(office, "sara")
        theirs, mine = {}, {}
        with office.owner.db.write(SYSTEM) as s:
            theirs["identity"] = _identity(s, sara, "مشتری سارا")
            mine["identity"] = _identity(s, maryam, "مشتری مریم")
            product = Product(code="P1", name="کالا", name_key="کالا", default_price=1_000_000, on_hand=STOCK)
            tag = Tag(name="ویژه", name_key="ویژه", created_by=sara.user_id)
            s.add_all([product, tag])
            s.flush()
            due = dt.datetime(2026, 11, 22, tzinfo=dt.UTC)
            activity = Activity(
                identity_id=theirs["identity"],
                kind=ActivityKind.CALL,
                summary="تماس",
                due_at=due,
                assignee_id=sara.user_id,
            )
            s.add(activity)
            s.flush()
            mine["product"], theirs["tag"], theirs["activity"] = product.id, tag.id, activity.id
        theirs["opportunity"] = office.owner.opportunity_records.create(
            sara, OpportunityData(identity_id=theirs["identity"], title="فرصت سارا")
        )
        as_maryam = Services(Database(office.url_as(maryam.login, REP_PASSWORD)))
        try:
            attacked = Attacked(office, maryam, sara, as_maryam, theirs, mine)
            mine["invoice"] = as_maryam.invoices.issue(maryam, attacked.draft_invoice().id).id
            yield attacked
        finally:
            as_maryam.db.dispose()

"""Every list, board, cardboard section, calendar, reminder and search: for each access level the count
equals the rows, and exactly the records the user owns, follows (or leads the team of) are listed, with
their customer's name even when the customer is a colleague's (docs/access.md).

The same checks run on SQLite and, with a PostgreSQL test server, as each user's own PostgreSQL role
under row-level security (`test_as_own_role`)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import psycopg
import pytest
from sqlalchemy.engine import make_url

from app.services.core.access import CUSTOMER_REFERENCES
from app.services.core.database import Database
from app.services.core.registry import Services
from app.services.documents.contract_views import ContractQuery
from app.services.documents.invoice_views import InvoiceQuery
from app.services.documents.quotes import QuoteQuery
from app.services.documents.receipts import ReceiptQuery
from app.services.documents.returns import ReturnQuery
from app.services.identities.service import IdentityQuery
from app.services.opportunities.queries import GROUPS, OpportunityQuery
from tests.conftest import require_pg_server
from tests.services.visibility_world import LEVELS, NOW, World, build

UTC = dt.UTC


def _ids(rows) -> set:
    return {r.id for r in rows}


def _opportunities(sv: Services, w: World, login: str, query: OpportunityQuery):
    actor = w.actors[login]
    rows = sv.opportunities.search(actor, query)
    assert all(r.identity_name for r in rows), "every row shows its customer's name"
    return sv.opportunities.count(actor, query), _ids(rows), w.expected(login, "opportunities")


def opportunity_list(sv, w, login):
    return _opportunities(sv, w, login, OpportunityQuery())


def opportunity_list_by_customer_name(sv, w, login):
    return _opportunities(sv, w, login, OpportunityQuery(text="مشتری", sort="identity_name"))


def opportunity_groups(sv, w, login):
    """Each group's count equals its rows; the groups add up to the list."""
    actor, query = w.actors[login], OpportunityQuery()
    ids: set = set()
    total = 0
    for group_by in GROUPS:
        ids, total = set(), 0
        for group in sv.opportunities.groups(actor, query, group_by):
            rows = sv.opportunities.search(actor, dataclasses.replace(query, group=(group_by, group.key)))
            assert group.count == len(rows), (group_by, group.label)
            ids |= _ids(rows)
            total += group.count
    return total, ids, w.expected(login, "opportunities")


def board(sv, w, login):
    loaded = sv.board.load(w.actors[login])
    cards = [card for column in loaded.columns for card in column.cards]
    assert all(card.identity_name for card in cards)
    return (
        sv.opportunities.count(w.actors[login], OpportunityQuery()),
        {c.id for c in cards},
        w.expected(login, "opportunities"),
    )


def _cardboard(sv, w, login):
    return sv.cardboard.load(w.actors[login], now=NOW, tz=UTC)


def cardboard_today(sv, w, login):
    section = _cardboard(sv, w, login).today
    return section.total, _ids(section.rows), w.assigned(login)


def cardboard_no_plan(sv, w, login):
    section = _cardboard(sv, w, login).no_plan
    return section.total, _ids(section.rows), w.unplanned(login)


def cardboard_quotes(sv, w, login):
    section = _cardboard(sv, w, login).extra["quotes_awaiting"]
    return section.total, _ids(section.rows), w.owned(login, "quotes")


def cardboard_invoices(sv, w, login):
    section = _cardboard(sv, w, login).extra["invoices_awaiting"]
    return section.total, _ids(section.rows), w.owned(login, "invoices")


def cardboard_cheques(sv, w, login):
    section = _cardboard(sv, w, login).extra["cheques_due"]
    return section.total, _ids(section.rows), w.owned(login, "receipts")


def cardboard_instalments(sv, w, login):
    section = _cardboard(sv, w, login).extra["instalments_due"]
    return section.total, _ids(section.rows), w.owned(login, "contracts")


def cardboard_overdue_invoices(sv, w, login):
    """The next day every unpaid cash invoice of the world is one day overdue."""
    board = sv.cardboard.load(w.actors[login], now=NOW + dt.timedelta(days=1), tz=UTC)
    section = board.extra["invoices_overdue"]
    return section.total, _ids(section.rows), w.owned(login, "invoices")


def calendar(sv, w, login):
    entries = sv.calendar.activities(w.actors[login], NOW.date(), NOW.date(), include_team=True, tz=UTC)
    team = w.owners(login)
    return None, {e.row.id for e in entries}, w.assigned(login, team)


def reminders(sv, w, login):
    return None, _ids(sv.reminders.due(w.actors[login], now=NOW)), w.assigned(login)


def activities_due(sv, w, login):
    return None, _ids(sv.activities.due(w.actors[login], now=NOW, tz=UTC)), w.assigned(login)


def activities_of_opportunity(sv, w, login):
    """The activities of rep_a's deal with rep_b's customer, for whoever may see them."""
    rows = sv.activities.for_record(w.actors[login], opportunity_id=w.ids["opportunity_a_on_b"])
    return None, _ids(rows), w.activities_on(login, "opportunity_a_on_b")


def _documents(service, query, table):
    def surface(sv, w, login):
        actor = w.actors[login]
        rows = getattr(sv, service).search(actor, query)
        return getattr(sv, service).count(actor, query), _ids(rows), w.expected(login, table)

    surface.__name__ = f"{service}_list"
    return surface


def identities(sv, w, login):
    """The identity list: only identities owned or followed (a colleague's customer stays out)."""
    actor = w.actors[login]
    rows = sv.identities.search(actor, IdentityQuery())
    return sv.identities.count(actor, IdentityQuery()), _ids(rows), w.expected(login, "identities")


def identities_quick_search(sv, w, login):
    actor, query = w.actors[login], IdentityQuery(text="مشتری")
    return sv.identities.count(actor, query), _ids(sv.identities.search(actor, query)), w.expected(login, "identities")


SURFACES = [
    opportunity_list,
    opportunity_list_by_customer_name,
    opportunity_groups,
    board,
    cardboard_today,
    cardboard_no_plan,
    cardboard_quotes,
    cardboard_invoices,
    cardboard_cheques,
    cardboard_instalments,
    cardboard_overdue_invoices,
    calendar,
    reminders,
    activities_due,
    activities_of_opportunity,
    _documents("quotes", QuoteQuery(), "quotes"),
    _documents("invoices", InvoiceQuery(), "invoices"),
    _documents("contracts", ContractQuery(), "contracts"),
    _documents("receipts", ReceiptQuery(), "receipts"),
    _documents("returns", ReturnQuery(), "sales_returns"),
    identities,
    identities_quick_search,
]


def check(surface, sv: Services, w: World, login: str) -> None:
    count, rows, expected = surface(sv, w, login)
    if count is not None:
        assert count == len(rows), f"{surface.__name__}: count {count}, {len(rows)} rows"
    assert rows == expected, f"{surface.__name__}: missing {expected - rows}, not theirs {rows - expected}"


@pytest.fixture
def world(db) -> World:
    return build(db)


@pytest.mark.parametrize("surface", SURFACES, ids=lambda f: f.__name__)
@pytest.mark.parametrize("login", sorted(LEVELS))
def test_count_equals_rows_and_every_own_or_followed_record_appears(world, services, surface, login) -> None:
    check(surface, services, world, login)


def test_the_world_has_a_reps_own_records_on_a_colleagues_customer(world) -> None:
    """The case the rule is about: rep_a's deal, activity and documents are on rep_b's customer."""
    for name in ("opportunity_a_on_b", "activity_a_on_b", "quote_rep_a", "invoice_rep_a"):
        assert world.records[name].owner == "rep_a" and world.records[name].identity == "identity_b"
    assert {table for cls, _ in CUSTOMER_REFERENCES for table in [cls.__tablename__]} >= {
        "opportunities",
        "activities",
        "quotes",
        "invoices",
        "receipts",
        "sales_returns",
    }


def test_a_colleagues_customer_shows_read_only(world, services) -> None:
    """rep_a reads rep_b's customer's name and phone beside the deal, but the customer does not open."""
    from app.services.core.errors import AccessDenied

    rep_a = world.actors["rep_a"]
    names = {r.id: r.identity_name for r in services.opportunities.search(rep_a, OpportunityQuery())}
    assert names[world.ids["opportunity_a_on_b"]] == "مشتری b"
    with pytest.raises(AccessDenied):
        services.identities.get(rep_a, world.ids["identity_b"])


def test_a_rep_saves_their_own_deal_on_a_colleagues_customer(world, services) -> None:
    """The deal is rep_a's to change; only moving it to a customer rep_a may not see is refused."""
    from app.services.core.errors import AccessDenied
    from app.services.opportunities.data import OpportunityData

    rep_a, deal = world.actors["rep_a"], world.ids["opportunity_a_on_b"]
    version = services.opportunity_records.get(rep_a, deal).version
    data = OpportunityData(identity_id=world.ids["identity_b"], title="فرصت تازه", amount=2_000_000)
    saved = services.opportunity_records.update(rep_a, deal, data, version)
    assert (saved.title, saved.amount) == ("فرصت تازه", 2_000_000)
    mine = world.ids["opportunity_a"]
    version = services.opportunity_records.get(rep_a, mine).version
    with pytest.raises(AccessDenied):
        services.opportunity_records.update(rep_a, mine, data, version)


# --- the same, as each user's own PostgreSQL role --------------------------------------------------
@pytest.fixture(scope="module")
def office_world():
    """An office server with the world, each user connected through their own role (row security)."""
    from app.services.opportunities.sales_lists import ensure_sales_defaults
    from app.services.server import security
    from tests.server.role_office import office_on

    with office_on(require_pg_server()) as office:
        world = build(office.owner.db, suffix="_" + office.sfx)
        ensure_sales_defaults(office.owner.db)  # `server init` makes them; a rep's role may not
        with office.owner.db.engine.begin() as conn:
            for actor in world.actors.values():
                security.set_user_role(conn, actor.login, "secret-" + office.sfx, admin=actor.is_admin)
        opened = {
            login: Services(Database(office.url_as(actor.login, "secret-" + office.sfx)))
            for login, actor in world.actors.items()
        }
        try:
            yield world, opened, office
        finally:
            for sv in opened.values():
                sv.db.dispose()


@pytest.mark.parametrize("surface", SURFACES, ids=lambda f: f.__name__)
@pytest.mark.parametrize("login", sorted(LEVELS))
def test_as_own_role(office_world, surface, login) -> None:
    world, opened, _ = office_world
    check(surface, opened[login], world, login)


def test_a_colleagues_customer_is_read_only_for_the_role(office_world) -> None:
    """Through any client, rep_a's role reads the name and phone of rep_b's customer its own deal is
    on, and nothing reached through that customer: not its phones, not rep_b's activities on it; it
    cannot change it nor follow it open; rep_b's other customers stay unseen."""
    world, _, office = office_world
    url = make_url(office.url_as(world.actors["rep_a"].login, "secret-" + office.sfx)).set(drivername="postgresql")
    theirs, other = world.ids["identity_b"], world.ids["identity_c"]
    with psycopg.connect(url.render_as_string(hide_password=False), autocommit=True) as conn:
        row = conn.execute("SELECT display_name, primary_mobile FROM identities WHERE id = %s", (theirs,)).fetchone()
        assert row == ("مشتری b", "09120000000")
        assert conn.execute("SELECT count(*) FROM identities WHERE id = %s", (other,)).fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM identity_phones WHERE identity_id = %s", (theirs,)).fetchone()[0] == 0
        activity = world.ids["activity_b"]
        assert conn.execute("SELECT count(*) FROM activities WHERE id = %s", (activity,)).fetchone()[0] == 0
        changed = conn.execute("UPDATE identities SET display_name = 'x' WHERE id = %s", (theirs,)).rowcount
        assert changed == 0
        assert conn.execute("DELETE FROM identities WHERE id = %s", (theirs,)).rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(
                "INSERT INTO identity_phones (id, identity_id, kind, number, number_key, position, created_at,"
                " updated_at, version) VALUES (gen_random_uuid(), %s, 'mobile', '1', '1', 0, now(), now(), 1)",
                (theirs,),
            )
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(
                "INSERT INTO followers (id, record_table, record_id, user_id, created_at)"
                " VALUES (gen_random_uuid(), 'identities', %s, %s, now())",
                (theirs, world.actors["rep_a"].user_id),
            )

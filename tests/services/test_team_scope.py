"""«تیم من» (issue 15, seed 004): a leader's team scope on the cardboard, the board and the opportunity and
identity lists is what the access policy lets a leader see; an administrator picks any team or everyone.
Every section's and list's count equals its rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from app.models import Activity, ActivityKind, SalesTeam
from app.models.enums import QuoteState
from app.services.core.actor import SYSTEM
from app.services.documents.lines import LineDraft
from app.services.documents.quotes import QuoteDraft
from app.services.identities.service import IdentityQuery
from app.services.opportunities.queries import OpportunityQuery
from tests.services.sales_helpers import build, identity


def team_office(services):
    """The sales office (tests.services.sales_helpers) with a customer, an opportunity and three planned
    calls (overdue, today, next week) for the mate, the leader and the rep outside the team."""
    sales = build(services)
    now = dt.datetime.now(dt.UTC)
    for who, name in ((sales.mate, "شرکت بتا"), (sales.other, "شرکت گاما"), (sales.leader, "شرکت دلتا")):
        customer = identity(services, who, name)
        opp = sales.new(actor=who, identity_id=customer, title=f"فرصت {name}")
        with services.db.write(SYSTEM) as s:
            for days in (-2, 0, 3):  # overdue, today, next week
                s.add(Activity(identity_id=customer, opportunity_id=opp, kind=ActivityKind.CALL, summary=f"تماس {name}",
                               due_at=now + dt.timedelta(days=days, minutes=1), assignee_id=who.user_id))  # fmt: skip
    sales.new(title="فرصت آلفا")  # the rep's, on their customer «شرکت آلفا»
    return sales


@pytest.fixture
def office(services):
    return team_office(services)


def _cardboard_sections(board) -> dict:
    sections = {"overdue": board.overdue, "today": board.today, "week": board.next_7_days, "no_plan": board.no_plan}
    return sections | board.extra


def _identities(sales, actor, scope) -> set[str]:
    rows = sales.services.identities.search(actor, IdentityQuery(scope=scope))
    assert sales.services.identities.count(actor, IdentityQuery(scope=scope)) == len(rows)
    return {r.display_name for r in rows}


def _opportunities(sales, actor, scope) -> set[str]:
    query = OpportunityQuery(scope=scope)
    rows = sales.services.opportunities.search(actor, query)
    assert sales.services.opportunities.count(actor, query) == len(rows)
    board = sales.services.board.load(actor, query)
    assert {c.title for col in board.columns for c in col.cards} == {r.title for r in rows}
    return {r.title for r in rows}


def test_a_leader_sees_the_team_in_my_team_and_only_their_own_in_mine(office) -> None:
    leader = office.leader
    team = {"شرکت آلفا", "شرکت بتا", "شرکت دلتا"}
    assert _identities(office, leader, "team") == team
    assert _identities(office, leader, "mine") == {"شرکت دلتا"}
    assert _opportunities(office, leader, "team") == {"فرصت آلفا", "فرصت شرکت بتا", "فرصت شرکت دلتا"}
    assert _opportunities(office, leader, "mine") == {"فرصت شرکت دلتا"}
    board = office.services.cardboard.load(leader, scope="team")
    for name, section in _cardboard_sections(board).items():
        assert section.total == len(section.rows), name
    assert {r.identity_name for r in board.overdue.rows} == {"شرکت بتا", "شرکت دلتا"}
    assert {r.title for r in board.no_plan.rows} == {"فرصت آلفا"}  # the others have calls planned
    mine = office.services.cardboard.load(leader)
    assert {r.identity_name for r in mine.today.rows} == {"شرکت دلتا"} and mine.no_plan.total == 0


def test_my_team_of_a_plain_rep_is_their_own_work(office) -> None:
    rep = office.rep
    assert _identities(office, rep, "team") == {"شرکت آلفا"}
    assert _opportunities(office, rep, "team") == {"فرصت آلفا"}
    assert office.services.cardboard.load(rep, scope="all").overdue.total == 0  # the mate's calls stay hers


def test_an_admin_picks_a_team_or_everyone(office) -> None:
    admin, services = office.admin, office.services
    choices = services.opportunities.scope_choices(admin)
    with services.db.read(SYSTEM) as s:
        team_id = s.query(SalesTeam.id).scalar()
    assert [(c.value, c.label) for c in choices] == [
        ("all", "همه"),
        ("mine", "من"),
        (f"team:{team_id}", "تیم تیم فروش تهران"),
    ]
    assert _opportunities(office, admin, f"team:{team_id}") == {"فرصت آلفا", "فرصت شرکت بتا", "فرصت شرکت دلتا"}
    assert "شرکت گاما" in _identities(office, admin, "all")
    everyone = services.cardboard.load(admin, scope="all")
    assert everyone.overdue.total == len(everyone.overdue.rows) == 3
    team = services.cardboard.load(admin, scope=f"team:{team_id}")
    assert {r.identity_name for r in team.next_7_days.rows} == {"شرکت بتا", "شرکت دلتا"}
    # a rep cannot widen their scope by naming a team they do not lead
    assert _opportunities(office, office.other, f"team:{team_id}") == set()


def test_my_team_is_offered_to_leaders_only(office) -> None:
    choices = office.services.opportunities.scope_choices
    assert [c.value for c in choices(office.leader)] == ["all", "mine", "team"]
    assert [c.value for c in choices(office.rep)] == ["all", "mine"]


def test_a_team_members_quote_awaiting_an_answer_is_on_the_leaders_team_cardboard(services, office) -> None:
    mate_customer = next(
        r.id for r in services.identities.search(office.mate, IdentityQuery()) if r.display_name == "شرکت بتا"
    )
    line = LineDraft("", Decimal(1), 185_000_000, 0, None, office.products["P-1"])
    valid = dt.date.today() + dt.timedelta(days=10)
    quote = services.quotes.create(office.mate, QuoteDraft(mate_customer, dt.date.today(), [line], valid))
    services.quotes.set_state(office.mate, quote.id, QuoteState.SENT)
    team = services.cardboard.load(office.leader, scope="team").extra["quotes_awaiting"]
    assert (team.total, [r.id for r in team.rows]) == (1, [quote.id])
    assert services.cardboard.load(office.leader).extra["quotes_awaiting"].total == 0
    assert services.cardboard.load(office.rep, scope="team").extra["quotes_awaiting"].total == 0

"""The demo's sample data looks like an Iranian office's year: Persian addresses and names, deals won and
lost over the last 12 Jalali months with real durations, accepted quotes, reps who keep their customers.

On the session's demo template (tests/conftest.py: seed 7, 300 identities, 80 opportunities).
"""

from __future__ import annotations

import re

import jdatetime
import pytest

from app.models.enums import IdentityKind, OpportunityStatus, QuoteState
from app.services.core.actor import SYSTEM
from app.services.core.registry import Services
from app.services.demo import DemoBuilder, names
from app.services.documents.quotes import QuoteQuery
from app.services.identities.service import IdentityQuery
from app.services.opportunities.queries import OpportunityQuery
from tests.conftest import copy_template, discard_copy

PERSIAN_DIGIT = re.compile("[۰-۹]")
STREET_WORDS = ("خیابان", "بلوار", "میدان")


@pytest.fixture(scope="module")
def world(demo_template, tmp_path_factory):
    """One copy of the demo for the module's read-only checks: each identity's and deal's details."""
    db = copy_template(demo_template, tmp_path_factory.mktemp("demo_data"))
    services = Services(db)
    identities = [
        services.identities.get(SYSTEM, r.id) for r in services.identities.search(SYSTEM, IdentityQuery(), 0, 1000)
    ]
    rows = services.opportunities.search(SYSTEM, OpportunityQuery(status=None), 0, 1000)
    deals = [services.opportunity_records.get(SYSTEM, r.id) for r in rows]
    yield services, identities, deals
    discard_copy(db)


def test_addresses_are_persian_streets_with_persian_digits(world) -> None:
    _, identities, _ = world
    streets = [a.street for i in identities for a in i.addresses]
    assert len(streets) == 300
    for street in streets:
        assert PERSIAN_DIGIT.search(street) and not re.search("[0-9]", street), street
        assert street.startswith(STREET_WORDS) and "پلاک" in street, street


def test_names_come_from_the_curated_lists(world) -> None:
    _, identities, _ = world
    first = {n for n, _ in names.MALE_NAMES + names.FEMALE_NAMES}
    last = {n for n, _ in names.LAST_NAMES}
    people = [i for i in identities if i.kind is IdentityKind.PERSON]
    companies = [i for i in identities if i.kind is IdentityKind.ORGANISATION]
    assert people and companies
    for person in people:
        assert person.first_name in first and person.last_name in last, person.display_name
        assert person.display_name == f"{person.first_name} {person.last_name}"
    assert any("\u200c" in p.last_name for p in people)  # «حسین‌زاده» keeps its zero-width non-joiner
    for company in companies:
        assert company.org_name.startswith(tuple(names.COMPANY_FORMS)), company.org_name


def test_closed_deals_took_days_and_dates_spread_over_the_year(world) -> None:
    _, _, deals = world
    closed = [d for d in deals if d.status is not OpportunityStatus.OPEN]
    assert closed and all(d.days_to_close > 0 for d in closed)
    months = {jdatetime.date.fromgregorian(date=d.created_at.date()).strftime("%Y-%m") for d in deals}
    months |= {jdatetime.date.fromgregorian(date=d.closed_on).strftime("%Y-%m") for d in closed}
    assert len(months) >= 10
    won = [d for d in closed if d.status is OpportunityStatus.WON]
    assert 0.25 <= len(won) / len(closed) <= 0.35  # a believable win rate


def test_every_won_deal_has_an_accepted_quote_dated_within_its_life(world) -> None:
    services, _, deals = world
    won = [d for d in deals if d.status is OpportunityStatus.WON]
    assert won
    for deal in won:
        accepted = services.quotes.search(SYSTEM, QuoteQuery(state=QuoteState.ACCEPTED, opportunity_id=deal.id))
        assert accepted, deal.title
        assert deal.created_at.date() <= accepted[0].issue_date <= deal.closed_on


def test_reps_own_their_customers_deals_with_a_few_exceptions(world) -> None:
    _, identities, deals = world
    owner_of = {i.id: i.owner_id for i in identities}
    same = sum(owner_of[d.identity_id] == d.owner_id for d in deals)
    assert 0.8 * len(deals) <= same < len(deals)


def test_activities_fall_within_the_deals_life_and_open_deals_have_more(world) -> None:
    services, _, deals = world
    per_deal = {}
    for deal in deals:
        done = [a for a in services.activities.for_record(SYSTEM, opportunity_id=deal.id) if a.done_at is not None]
        per_deal[deal.id] = len(done)
        for activity in done:
            assert activity.done_at >= deal.created_at
            if deal.closed_on is not None:
                assert activity.done_at.date() <= deal.closed_on
    open_ids = [d.id for d in deals if d.status is OpportunityStatus.OPEN]
    closed_ids = [d.id for d in deals if d.status is not OpportunityStatus.OPEN]
    assert sum(per_deal[i] for i in open_ids) / len(open_ids) > sum(per_deal[i] for i in closed_ids) / len(closed_ids)


def test_the_same_seed_gives_the_same_data(empty_template, tmp_path) -> None:
    made = []
    for run in ("a", "b"):
        (tmp_path / run).mkdir()
        db = copy_template(empty_template, tmp_path / run)
        services = Services(db)
        DemoBuilder(db, seed=11).run(identities=30, opportunities=8)
        found = services.identities.search(SYSTEM, IdentityQuery(), 0, 100)
        details = [services.identities.get(SYSTEM, r.id) for r in found]
        made.append(sorted((d.display_name, d.addresses[0].street, d.addresses[0].postal_code) for d in details))
        deals = services.opportunities.search(SYSTEM, OpportunityQuery(status=None), 0, 100)
        made.append(sorted((d.title, d.amount, d.status.value) for d in deals))
        discard_copy(db)
    assert made[:2] == made[2:]


def test_admin_lists_and_teams_are_filled_and_used(world) -> None:
    services, identities, deals = world
    teams = services.teams.list_teams(SYSTEM)
    assert len(teams) == 2
    for team in teams:
        assert team.leader_id in team.member_ids and team.monthly_target > 0
        assert any(d.team_id == team.id for d in deals)
    assert {node.name for node in services.categories.tree(SYSTEM)} >= {"مشتریان سازمانی", "دولتی", "بنکدار"}
    assert sum(i.category_id is not None for i in identities) > len(identities) / 2
    assert all(any(getattr(d, field) for d in deals) for field in ("source_id", "campaign_id", "competitor_ids"))
    rivals = {item.id for item in services.sales_lists.items(SYSTEM, "competitors")}
    lost_to = [d.lost_to_id for d in deals if d.lost_to_id is not None]
    assert lost_to and set(lost_to) <= rivals

"""A batch action on the office server: a rep on their own role cannot reach a colleague's opportunities,
through the app's check or, with that check bypassed, through row security."""

from __future__ import annotations

import dataclasses

import pytest

from app.models import AccessLevel, Identity, IdentityKind, Opportunity
from app.persian import search_key
from app.services.admin.users import UserData
from app.services.core.actor import SYSTEM
from app.services.core.database import Database
from app.services.core.errors import BatchRefused
from app.services.core.registry import Services
from app.services.opportunities.pipelines import ensure_default_pipeline
from tests.conftest import require_pg_server
from tests.server.role_office import office_on

pytestmark = pytest.mark.usefixtures("quick_hashes")

PASSWORD = "rep-password-1"


@pytest.fixture
def office():
    """Two reps, each owning a customer and an opportunity in the first stage; yields the office, rep_a's
    own connection and actor, both opportunity ids and the stages."""
    with office_on(require_pg_server()) as office:
        stages = ensure_default_pipeline(office.owner.db)
        opportunities = {}
        for name in ("rep_a", "rep_b"):
            login = office.login(name)
            user = office.as_boss.users.create_user(office.boss, UserData(login, name), PASSWORD)
            with office.owner.db.write(SYSTEM) as s:
                customer = Identity(
                    kind=IdentityKind.PERSON, display_name=f"مشتری {name}", name_key=search_key(name), owner_id=user.id
                )
                s.add(customer)
                s.flush()
                title = f"فرصت {name}"
                opp = Opportunity(
                    identity_id=customer.id, title=title, title_key=search_key(title), owner_id=user.id,
                    pipeline_id=stages[0]["pipeline_id"], stage_id=stages[0]["id"],
                )  # fmt: skip
                s.add(opp)
                s.flush()
                opportunities[name] = opp.id
        as_rep = Services(Database(office.url_as(office.login("rep_a"), PASSWORD)))  # rep_a's computer
        try:
            actor = as_rep.users.authenticate(office.login("rep_a"), PASSWORD)
            yield office, as_rep, actor, opportunities, stages
        finally:
            as_rep.db.dispose()


def _stage_of(office, opp_id):
    with office.owner.db.read(SYSTEM) as s:
        return s.get(Opportunity, opp_id).stage_id


def test_a_reps_batch_on_a_colleagues_opportunity_is_refused_and_writes_nothing(office) -> None:
    office, as_rep, actor, opps, stages = office
    with pytest.raises(BatchRefused) as caught:
        as_rep.opportunity_batch.move(actor, [opps["rep_a"], opps["rep_b"]], stages[2]["id"])
    assert [(r.record_id, r.label) for r in caught.value.refusals] == [(opps["rep_b"], None)]
    assert _stage_of(office, opps["rep_a"]) == _stage_of(office, opps["rep_b"]) == stages[0]["id"]
    assert as_rep.opportunity_batch.move(actor, [opps["rep_a"]], stages[2]["id"]) == 1


def test_row_security_holds_when_the_apps_own_check_is_bypassed(office) -> None:
    office, as_rep, actor, opps, stages = office
    claims_all = dataclasses.replace(actor, access_level=AccessLevel.ALL_DOCUMENTS)  # the app's policy is off
    with pytest.raises(BatchRefused):  # the rep's role does not even see the row
        as_rep.opportunity_batch.move(claims_all, [opps["rep_b"]], stages[2]["id"])
    with pytest.raises(BatchRefused):
        as_rep.opportunity_batch.assign(claims_all, [opps["rep_b"]], actor.user_id)
    with office.owner.db.read(SYSTEM) as s:
        theirs = s.get(Opportunity, opps["rep_b"])
        assert theirs.stage_id == stages[0]["id"] and theirs.owner_id != actor.user_id

"""The conflicts inbox on the office server, a rep on their own role: their conflict is listed and resolved
(the record's field and the conflict written under row security, the journal through the server's
function); a colleague's stays out of reach even with the app's own check bypassed."""

from __future__ import annotations

import dataclasses

import pytest

from app.models import (
    AccessLevel,
    ChangeLogEntry,
    Identity,
    IdentityKind,
    Opportunity,
    SyncConflict,
    SyncDevice,
    new_id,
)
from app.persian import search_key
from app.services.admin.users import UserData
from app.services.core.actor import SYSTEM
from app.services.core.database import Database
from app.services.core.errors import AccessDenied, NotFound
from app.services.core.registry import Services
from app.services.opportunities.pipelines import ensure_default_pipeline
from tests.conftest import require_pg_server
from tests.server.role_office import office_on

pytestmark = pytest.mark.usefixtures("quick_hashes")

PASSWORD = "rep-password-1"


@pytest.fixture
def office():
    """Two reps, each with an opportunity and an open conflict on its amount; yields the office, rep_a's
    own connection and actor, and the conflict and opportunity ids by rep."""
    with office_on(require_pg_server()) as office:
        stages = ensure_default_pipeline(office.owner.db)
        made = {}
        for name in ("rep_a", "rep_b"):
            user = office.as_boss.users.create_user(office.boss, UserData(office.login(name), name), PASSWORD)
            with office.owner.db.write(SYSTEM) as s:
                customer = Identity(
                    kind=IdentityKind.PERSON, display_name=f"مشتری {name}", name_key=search_key(name), owner_id=user.id
                )
                s.add(customer)
                s.flush()
                opp = Opportunity(
                    identity_id=customer.id, title=f"فرصت {name}", title_key=search_key(name), owner_id=user.id,
                    pipeline_id=stages[0]["pipeline_id"], stage_id=stages[0]["id"], amount=1_000,
                )  # fmt: skip
                s.add(opp)
                s.flush()
                device = SyncDevice(id=new_id(), user_id=user.id, name=f"لپ‌تاپ {name}", code=name[-1], secret="0" * 64)
                s.add(device)
                c = SyncConflict(
                    user_id=user.id, device_id=device.id, table_name="opportunities", row_id=str(opp.id),
                    field="amount", kind="update_update", server_value=1_000, device_value=2_000,
                )  # fmt: skip
                s.add(c)
                s.flush()
                made[name] = (c.id, opp.id)
        as_rep = Services(Database(office.url_as(office.login("rep_a"), PASSWORD)))
        try:
            yield office, as_rep, as_rep.users.authenticate(office.login("rep_a"), PASSWORD), made
        finally:
            as_rep.db.dispose()


def test_a_rep_resolves_their_conflict_on_their_own_role(office) -> None:
    office, as_rep, actor, made = office
    conflict_id, opp_id = made["rep_a"]
    (view,) = as_rep.conflicts.list(actor)
    assert view.id == conflict_id and view.device_name == "لپ‌تاپ rep_a"  # their own device, under row security
    assert as_rep.conflicts.count_open(actor) == 1
    as_rep.conflicts.keep_device(actor, conflict_id)
    with office.owner.db.read(SYSTEM) as s:
        assert s.get(Opportunity, opp_id).amount == 2_000
        assert s.get(SyncConflict, conflict_id).status == "resolved"
        entries = s.query(ChangeLogEntry).filter(ChangeLogEntry.row_id.in_([str(opp_id), str(conflict_id)])).all()
        assert {e.row_id for e in entries if e.user_id == actor.user_id} == {str(opp_id), str(conflict_id)}


def test_a_colleagues_conflict_is_out_of_reach_even_past_the_apps_check(office) -> None:
    office, as_rep, actor, made = office
    conflict_id, opp_id = made["rep_b"]
    claims_all = dataclasses.replace(actor, access_level=AccessLevel.ALL_DOCUMENTS)  # the app's policy is off
    assert conflict_id not in {v.id for v in as_rep.conflicts.list(claims_all)}
    for resolve in (as_rep.conflicts.keep_device, as_rep.conflicts.keep_server):
        with pytest.raises((AccessDenied, NotFound)):
            resolve(claims_all, conflict_id)
    with office.owner.db.read(SYSTEM) as s:
        assert s.get(Opportunity, opp_id).amount == 1_000
        assert s.get(SyncConflict, conflict_id).status == "open"

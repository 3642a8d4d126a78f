"""One shape for state machines: every declared workflow allows exactly its pairs and refuses with one error."""

from __future__ import annotations

import pytest

from app.domain.errors import ServiceError, TransitionRefused
from app.domain.workflow import Workflow
from app.models.enums import DocumentState, IdentityRole, OpportunityStatus, QuoteState
from app.services.core.document_guard import DOCUMENT_FLOW, DocumentLocked
from app.services.documents.quote_state import QUOTE_FLOW
from app.services.identities.lifecycle import ROLE_FLOW
from app.services.opportunities.moves import STATUS_FLOW

LIGHT = Workflow("چراغ", {("red", "green"): "برو", ("green", "red"): "بایست"}, refusals={"blue": "آبی نداریم."})


def test_a_declared_move_passes_and_names_its_action() -> None:
    LIGHT.check("red", "green")
    assert LIGHT.action("green", "red") == "بایست"
    assert LIGHT.targets("red") == ["green"] and LIGHT.targets("blue") == []


def test_an_undeclared_move_is_refused_in_persian_with_both_states() -> None:
    with pytest.raises(TransitionRefused) as refused:
        LIGHT.check("red", "red")
    assert refused.value.message == "چراغ با وضعیت «red» را نمی‌توان به «red» برد."
    assert (refused.value.current, refused.value.wanted) == ("red", "red")
    with pytest.raises(TransitionRefused, match="آبی نداریم."):
        LIGHT.check("red", "blue")


def test_the_refusal_is_a_service_error_the_ui_already_shows() -> None:
    assert issubclass(TransitionRefused, ServiceError) and issubclass(DocumentLocked, TransitionRefused)


@pytest.mark.parametrize(
    ("flow", "allowed", "refused"),
    [
        (ROLE_FLOW, (IdentityRole.LEAD, IdentityRole.CONTACT), (IdentityRole.CUSTOMER, IdentityRole.LEAD)),
        (
            STATUS_FLOW,
            (OpportunityStatus.LOST, OpportunityStatus.OPEN),
            (OpportunityStatus.WON, OpportunityStatus.OPEN),
        ),
        (QUOTE_FLOW, (QuoteState.SENT, QuoteState.ACCEPTED), (QuoteState.SENT, QuoteState.EXPIRED)),
        (DOCUMENT_FLOW, (DocumentState.DRAFT, DocumentState.ISSUED), (DocumentState.ISSUED, DocumentState.DRAFT)),
    ],
    ids=["identity roles", "opportunity status", "quote states", "invoices and returns"],
)
def test_each_models_workflow(flow, allowed, refused) -> None:
    flow.check(*allowed)
    with pytest.raises(TransitionRefused):
        flow.check(*refused)


def test_every_refusal_reads_in_persian() -> None:
    messages = []
    for flow in (ROLE_FLOW, STATUS_FLOW, QUOTE_FLOW, DOCUMENT_FLOW):
        states = {s for pair in flow.transitions for s in pair}
        for current in states:
            for wanted in states:
                if not flow.can(current, wanted):
                    with pytest.raises(TransitionRefused) as refused:
                        flow.check(current, wanted)
                    messages.append(refused.value.message)
    assert messages and all(not any("a" <= c.lower() <= "z" for c in m) for m in messages)

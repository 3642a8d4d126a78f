"""A quote's states and the moves between them (draft -> sent -> accepted / rejected / expired).

Expiry needs no background job: a sent quote whose validity date has passed *is* expired, on
every read (`effective_state`, also as SQL in `STATE_SQL`); `QuoteService.expire_overdue` writes
the state down when the lists are refreshed.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String, case, func, literal, type_coerce

from app.domain.workflow import Workflow
from app.models import Quote
from app.models.enums import QuoteState
from app.services.core.labels import QUOTE_STATE

D, S, A, R, E = QuoteState.DRAFT, QuoteState.SENT, QuoteState.ACCEPTED, QuoteState.REJECTED, QuoteState.EXPIRED
MOVES: dict[QuoteState, frozenset[QuoteState]] = {
    D: frozenset({S, A, R}),
    S: frozenset({A, R, D}),
    A: frozenset({S, D}),  # undo an acceptance (refused once an invoice was issued from it)
    R: frozenset({S, D}),
    E: frozenset({D}),  # back to draft to extend its validity
}
QUOTE_FLOW: Workflow[QuoteState] = Workflow(
    "پیش‌فاکتور",
    {(frm, to): QUOTE_STATE[to] for frm, targets in MOVES.items() for to in sorted(targets)},
    label=QUOTE_STATE.__getitem__,
    refusal="{record} «{current}» را نمی‌توان «{wanted}» کرد.",
)
EDITABLE = frozenset({D, S, R, E})  # an accepted quote is frozen: move it back first


def effective_state(state: QuoteState, valid_until: dt.date | None, today: dt.date | None = None) -> QuoteState:
    today = today or dt.date.today()
    if state is S and valid_until is not None and valid_until < today:
        return E
    return state


def state_sql(today: dt.date | None = None):
    """`effective_state` as a SQL expression over Quote (for lists, filters and counts)."""
    today = today or dt.date.today()
    return case(
        (
            (Quote.state == S) & Quote.valid_until.is_not(None) & (Quote.valid_until < today),
            literal(E.value),
        ),
        else_=func.coalesce(type_coerce(Quote.state, String), D.value),
    )

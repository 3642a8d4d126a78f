"""Access cases of the board's details: folded stages (the administrator's default, each user's own
choice) and the priority stars set from a card (whoever may change the opportunity)."""

from __future__ import annotations

from app.services.core.actor import SYSTEM


def _stage(w):
    return w.services.pipelines.pipelines(SYSTEM)[0].stages[0].id


def _set_priority(w, a) -> bool:
    opportunity = w.records["opportunity_b"]
    return w.services.board.set_priority(a, opportunity, 2).id == opportunity


CASES = {
    "board.set_priority": _set_priority,
    "pipelines.set_folded_default": lambda w, a: w.services.pipelines.set_folded_default(a, _stage(w), True) is None,
}
# A user's own fold of a column: it touches no one's records and no one else's board.
NOT_RECORD_SCOPED = {"board.set_folded", "tags.colors"}  # tags.colors: the office's labels, the same for all
ADMIN_ONLY = {"pipelines.set_folded_default"}

"""Access cases of the board's folded stages: the administrator's default, and each user's own choice."""

from __future__ import annotations

from app.services.core.actor import SYSTEM


def _stage(w):
    return w.services.pipelines.pipelines(SYSTEM)[0].stages[0].id


CASES = {
    "pipelines.set_folded_default": lambda w, a: w.services.pipelines.set_folded_default(a, _stage(w), True) is None,
}
# A user's own fold of a column: it touches no one's records and no one else's board.
NOT_RECORD_SCOPED = {"board.set_folded"}
ADMIN_ONLY = set(CASES)

"""A call that writes twice and whose second write is refused: the first write has committed, so
open views must still hear of it, and the refusal is shown."""

from __future__ import annotations

import uuid

from app.services.core.changes import Changes
from tests.services.sales_helpers import identity


def test_a_refused_second_write_still_publishes_the_first(qtbot, sales, monkeypatch) -> None:
    from app.ui import ops

    published: list[Changes] = []
    shown: list[str] = []
    monkeypatch.setattr(ops, "publish", published.append)
    monkeypatch.setattr(ops, "show_error", lambda _parent, message: shown.append(message))
    services, rep = sales.services, sales.rep

    def two_writes() -> None:
        identity(services, rep, "شرکت بتا")  # commits
        services.identities.soft_delete(rep, uuid.uuid4())  # refused: no such identity

    assert ops.op(None, two_writes).run() is None
    assert len(shown) == 1 and shown[0]  # the refusal, in Persian
    assert [c.tables for c in published] == [frozenset({"identities"})]

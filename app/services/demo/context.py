"""What the demo steps share: the database, one seeded random source, what earlier steps made."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import insert

from app.models import new_id, utcnow
from app.services.core.actor import SYSTEM
from app.services.core.database import Database

BATCH = 5_000
Progress = Callable[[int, int, str], None]


@dataclass
class DemoContext:
    db: Database
    seed: int
    progress_callback: Progress | None
    identities: int
    opportunities: int
    rnd: random.Random = field(init=False)
    now: dt.datetime = field(init=False)  # every date is set back from this moment (UTC)
    today: dt.date = field(init=False)  # the office's local day
    counts: dict[str, int] = field(default_factory=dict)
    user_ids: list = field(default_factory=list)  # every active user (each gets work due today)
    owners: list = field(default_factory=list)  # the reps who own customers and deals
    team_of: dict = field(default_factory=dict)  # user id -> sales team id
    categories: list = field(default_factory=list)  # category ids
    lists: dict = field(default_factory=dict)  # sales list kind ("sources" ...) -> item ids
    identity_ids: list = field(default_factory=list)
    identity_rows: list[tuple] = field(default_factory=list)  # (id, owner id, role, created_at)
    opportunity_rows: list[dict] = field(default_factory=list)  # as inserted (dicts)
    stages: list[dict] = field(default_factory=list)
    catalog: list[tuple] = field(default_factory=list)  # (product id, default price, is service)
    reasons: dict = field(default_factory=dict)  # ReasonKind -> [(close reason id, name)]

    def __post_init__(self) -> None:
        self.rnd = random.Random(self.seed)
        self.now, self.today = utcnow(), dt.date.today()

    def progress(self, done: int, total: int, message: str) -> None:
        if self.progress_callback is not None:
            self.progress_callback(done, total, message)

    def insert(self, model, rows: list[dict], render_nulls: bool = False) -> None:
        """Bulk INSERT in batches, one transaction per batch (no ORM objects, no per-row audit).

        `render_nulls`: a None is sent as NULL (not left to the column's default), so rows with the same
        keys stay one executemany even where their None values differ (a round trip saved per row run
        on PostgreSQL); only for rows whose None columns have no default.
        """
        stmt = insert(model).execution_options(render_nulls=True) if render_nulls else insert(model)
        for start in range(0, len(rows), BATCH):
            with self.db.write(SYSTEM) as s:
                s.execute(stmt, rows[start : start + BATCH])


def stamp(now: dt.datetime, **values) -> dict:
    """The BusinessMixin columns a bulk INSERT must fill itself."""
    return {"id": new_id(), "created_at": now, "updated_at": now, "version": 1, **values}

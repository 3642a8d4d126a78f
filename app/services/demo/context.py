"""What the demo steps share: the database, one seeded random source, name pools, results."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from sqlalchemy import insert

from app.models import new_id
from app.persian import normalize_text
from app.services.core.actor import SYSTEM
from app.services.core.database import Database

BATCH = 5_000
Progress = Callable[[int, int, str], None]


class Pools:
    """Names drawn once from Faker (slow per call), then combined at random (fast)."""

    def __init__(self, rnd: random.Random) -> None:
        from faker import Faker  # heavy: only the demo needs it

        fake = Faker("fa_IR")
        fake.seed_instance(rnd.randint(0, 10**6))
        latin = Faker("en_US")
        latin.seed_instance(rnd.randint(0, 10**6))
        self.first = sorted({normalize_text(fake.first_name()) for _ in range(2000)})
        self.last = sorted({normalize_text(fake.last_name()) for _ in range(2000)})
        # Faker sometimes gives a bare number as a company; a name needs at least one letter.
        companies = {normalize_text(fake.company()) for _ in range(3000)}
        self.companies = sorted(c for c in companies if any(ch.isalpha() for ch in c))
        self.streets = [normalize_text(fake.street_address()) for _ in range(500)]
        self.users = [latin.user_name() for _ in range(500)]


@dataclass
class DemoContext:
    db: Database
    seed: int
    progress_callback: Progress | None
    identities: int
    opportunities: int
    rnd: random.Random = field(init=False)
    counts: dict[str, int] = field(default_factory=dict)
    user_ids: list = field(default_factory=list)
    identity_ids: list = field(default_factory=list)
    opportunity_rows: list[dict] = field(default_factory=list)  # as inserted (dicts)
    stages: list[dict] = field(default_factory=list)
    catalog: list[tuple] = field(default_factory=list)  # (product id, default price, is service)
    reasons: dict = field(default_factory=dict)  # ReasonKind -> [(close reason id, name)]

    def __post_init__(self) -> None:
        self.rnd = random.Random(self.seed)

    @cached_property
    def pools(self) -> Pools:
        return Pools(self.rnd)

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

"""Realistic Persian sample data (`python -m app demo`): fast enough for 200,000 identities.

Each step module adds one area (people, sales, activities ...) through a shared DemoContext. The
many rows (identities, opportunities, activities) go in batches through SQLAlchemy's bulk INSERT,
dated over the last year; the few admin lists and documents go through the services. Names and
addresses come from curated lists (names.py); one seed gives the same data every time.
"""

from __future__ import annotations

from app.services.core.database import Database
from app.services.demo import activities, documents, lists, people, sales
from app.services.demo.context import DemoContext, Progress

# In order: later steps use what earlier ones made (ctx.identity_ids, ctx.opportunities ...).
STEPS = (
    people.add_users,
    lists.add_teams,
    sales.add_catalog,
    lists.add_lists,
    people.add_identities,
    sales.add_opportunities,
    lists.set_targets,
    activities.add_activities,
    documents.add_company,
    documents.add_documents,
)


class DemoBuilder:
    def __init__(self, db: Database, seed: int = 1405, progress: Progress | None = None) -> None:
        self._db = db
        self._seed = seed
        self._progress = progress

    def run(self, identities: int = 500, opportunities: int = 150) -> dict[str, int]:
        """Adds sample data and returns how many rows of each kind it made. Writes (as the system)."""
        ctx = DemoContext(self._db, self._seed, self._progress, identities=identities, opportunities=opportunities)
        for step in STEPS:
            step(ctx)
        return ctx.counts

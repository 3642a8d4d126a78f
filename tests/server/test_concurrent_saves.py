"""Two processes save the same record against the office server: exactly one gets the conflict."""

from __future__ import annotations

import multiprocessing as mp

from app.models import Identity, IdentityKind
from app.services.core import migrations
from app.services.core.actor import SYSTEM
from app.services.core.database import Database
from app.services.core.errors import ConcurrentChange


def _save(url: str, record_id, text: str, loaded, go, results) -> None:
    """A form opens the record, waits until the other process has opened it too, then saves."""
    db = Database(url)
    with db.read(SYSTEM) as s:
        opened = s.get(Identity, record_id)
    loaded.wait()
    go.wait()
    opened.description = text
    try:
        with db.write(SYSTEM) as s:
            s.merge(opened)
        results.put(("saved", text))
    except ConcurrentChange as exc:
        results.put(("conflict", exc.message))
    finally:
        db.dispose()


def test_exactly_one_of_two_processes_gets_the_conflict(pg_database) -> None:
    db = Database(pg_database)
    migrations.upgrade(db)
    with db.write(SYSTEM) as s:
        person = Identity(kind=IdentityKind.PERSON, display_name="مهسا", name_key="مهسا")
        s.add(person)
    ctx = mp.get_context("spawn")  # Windows' only start method: one engine per process
    loaded, go, results = ctx.Barrier(3), ctx.Barrier(2), ctx.Queue()
    workers = [
        ctx.Process(target=_save, args=(pg_database, person.id, text, loaded, go, results))
        for text in ("نسخه اول", "نسخه دوم")
    ]
    for worker in workers:
        worker.start()
    loaded.wait(timeout=120)  # both have read version 1
    outcomes = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
    kinds = sorted(kind for kind, _ in outcomes)
    assert kinds == ["conflict", "saved"]
    saved = next(text for kind, text in outcomes if kind == "saved")
    with db.read(SYSTEM) as s:
        final = s.get(Identity, person.id)
        assert final.description == saved and final.version == 2
    db.dispose()

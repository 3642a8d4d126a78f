"""Every sync test runs against a real office server (PostgreSQL, reps on their own roles) and, for the
mechanics that do not depend on row security, an office kept in a SQLite file too."""

from __future__ import annotations

import pytest

from tests.sync.world import postgres_world, sqlite_world


@pytest.fixture(params=["postgres", "sqlite"])
def world(request, tmp_path):
    made = postgres_world if request.param == "postgres" else sqlite_world
    with made(tmp_path) as built:
        yield built


@pytest.fixture
def pg_world(tmp_path):
    with postgres_world(tmp_path) as built:
        yield built


@pytest.fixture
def office_link():
    """Connects a laptop to its office as its sync does: (hub database, the user there, the batches' origin)."""
    from app.services.sync import handshake, hub
    from tests.sync.world import REP_PASSWORD

    opened = []

    def connect(laptop):
        registration = laptop.registration
        hub_db = handshake.open_hub(registration.server, registration.login, REP_PASSWORD)
        opened.append(hub_db)
        greeting = handshake.hello(hub_db, registration.hub_id, registration.device_id)
        actor = handshake.actor_on(hub_db, registration.user_id)
        origin = hub.Origin(registration.device_id, registration.user_id, greeting["offset_ms"], greeting["now"])
        return hub_db, actor, origin

    yield connect
    for hub_db in opened:
        hub_db.dispose()

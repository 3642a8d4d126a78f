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

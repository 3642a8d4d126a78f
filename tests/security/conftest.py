"""Fixtures of the attack tests: an attacked office per test, with test-sized Argon2 hashes."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from app.services.admin import passwords
from tests.security.attack_office import attacked_office


@pytest.fixture(autouse=True)
def quick_hashes(monkeypatch) -> None:
    monkeypatch.setattr(passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def attacked():
    with attacked_office() as made:
        yield made

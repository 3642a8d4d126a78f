"""Access cases per area, collected by tests/services/test_access.py.

Each module here defines:
- CASES: {"<service attr>.<method>": case}, where case(world, actor) returns True when the actor
  reached rep_b's record (raising AccessDenied/NotFound counts as not reached). rep_a must never
  reach it; the admin and the all-documents clerk must, unless the method is listed below.
- NOT_RECORD_SCOPED: methods that hold no one's records (the same for every user).
- ADMIN_ONLY: methods only an administrator may use (the clerk is refused too).
- PERSONAL: methods that show each user only their own work (even the admin's).
- optionally extend(world): adds the area's records for rep_a and rep_b to world.records.
"""

from __future__ import annotations

import importlib
import pkgutil


def _modules():
    for info in pkgutil.iter_modules(__path__):
        yield importlib.import_module(f"{__name__}.{info.name}")


def collect() -> tuple[dict, set, set, set]:
    cases, free, admin_only, personal = {}, set(), set(), set()
    for module in _modules():
        overlap = set(cases) & set(module.CASES)
        assert not overlap, f"{module.__name__} repeats cases {overlap}"
        cases |= module.CASES
        free |= getattr(module, "NOT_RECORD_SCOPED", set())
        admin_only |= getattr(module, "ADMIN_ONLY", set())
        personal |= getattr(module, "PERSONAL", set())
    return cases, free, admin_only, personal


def extend(world):
    for module in _modules():
        if hasattr(module, "extend"):
            module.extend(world)
    return world

"""Every enumeration a user can meet has a Persian name for each of its values."""

from __future__ import annotations

import enum
import inspect

import pytest

from app.models import enums
from app.services.core.labels import enum_label

ENUMS = [
    cls
    for _, cls in inspect.getmembers(enums, inspect.isclass)
    if issubclass(cls, enum.Enum) and cls.__module__ == enums.__name__
]


def test_the_enum_module_is_not_empty() -> None:
    assert len(ENUMS) >= 20


@pytest.mark.parametrize("cls", ENUMS, ids=lambda cls: cls.__name__)
def test_every_value_has_a_persian_label(cls) -> None:
    missing = [value.name for value in cls if not any("\u0600" <= c <= "\u06ff" for c in enum_label(value))]
    assert missing == [], f"{cls.__name__} has no Persian label for {missing} (app/services/core/labels.py)"

"""Combo box look-ups by item data that work for any Python value (UUIDs, enums).

QComboBox.findData compares the stored wrappers, which fails for Python objects such as UUIDs;
these compare the values in Python.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox


def index_of(combo: QComboBox, value) -> int:
    return next((i for i in range(combo.count()) if combo.itemData(i) == value), -1)


def select(combo: QComboBox, value) -> None:
    """Selects the item holding `value`, else the first item."""
    combo.setCurrentIndex(max(index_of(combo, value), 0))

"""The opportunity form's pick lists: which tables feed them, their combos and their (id, label) items."""

from __future__ import annotations

import uuid

from PySide6.QtWidgets import QComboBox

from app.ui.common.combo import index_of

CHOICE_TABLES = frozenset(  # what the pick lists show
    {"opportunity_types", "pipelines", "stages", "users", "sales_teams", "sources", "campaigns", "media", "price_lists",
     "recurring_plans"}
)  # fmt: skip


def make_combo(name: str, items, empty: str | None = "—") -> QComboBox:
    combo = QComboBox(objectName=name)
    if empty is not None:
        combo.addItem(empty, None)
    for value, label in items:
        combo.addItem(label, value)
    return combo


def select_value(combo: QComboBox, value) -> None:
    index = index_of(combo, value)
    combo.setCurrentIndex(max(index, 0))


def choice_items(c) -> dict[str, list[tuple[uuid.UUID, str]]]:
    """Each pick list's (id, label) pairs, by the field its combo edits."""
    return {
        "type_id": [(i.id, i.name) for i in c.lists["types"]],
        "owner_id": [(u.id, u.name) for u in c.users],
        "team_id": [(t.id, t.name) for t in c.teams],
        "source_id": [(i.id, i.name) for i in c.lists["sources"]],
        "campaign_id": [(i.id, i.name) for i in c.lists["campaigns"]],
        "medium_id": [(i.id, i.name) for i in c.lists["media"]],
        "price_list_id": [(p.id, p.name) for p in c.price_lists],
    }

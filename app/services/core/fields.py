"""One declaration per field (after Tryton's `fields.*` and Orange's column descriptors).

An aggregate's field table (app/services/identities/fields.py, app/services/opportunities/fields.py)
gives each field once: its Persian label, the enum whose labels its values take, how a merge treats
it, and the list column that shows it. The history, the conflict dialog, the merges and the lists
read these tables instead of keeping their own copies.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass


class MergeRule(enum.StrEnum):
    CHOOSE = "choose"  # the user picks the surviving value (identity merge dialog)
    FILL = "fill"  # the survivor's value, filled from the merged record when empty
    SURVIVOR = "survivor"  # the survivor's value, always
    COMBINE = "combine"  # both records' rows are kept (phones, e-mails, lines ...)


@dataclass(frozen=True)
class FieldSpec:
    name: str
    """The model's attribute (and the form's / history's key)."""
    label: str
    """Persian, as forms, history and the conflict dialog name the field."""
    enum: type[enum.Enum] | None = None
    """Its values are shown with this enum's Persian labels (app/services/core/labels.py)."""
    merge: MergeRule = MergeRule.SURVIVOR
    list_key: str | None = None
    """The list row's attribute that shows it (e.g. owner_id is shown as owner_name); None: not a column."""
    list_label: str | None = None
    """The column's header when shorter than the label."""

    @property
    def header(self) -> str:
        return self.list_label or self.label


def labels(fields: Iterable[FieldSpec]) -> dict[str, str]:
    return {f.name: f.label for f in fields}


def merged_by(fields: Iterable[FieldSpec], rule: MergeRule) -> tuple[str, ...]:
    return tuple(f.name for f in fields if f.merge is rule)


def headers(fields: Iterable[FieldSpec]) -> dict[str, str]:
    """List key -> column header."""
    return {f.list_key: f.header for f in fields if f.list_key}

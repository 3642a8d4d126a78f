"""Access cases of the identity services (issue 4): records, lifecycle, merge, import, export, search."""

from __future__ import annotations

import tempfile
from pathlib import Path

from app.services.core.actor import SYSTEM
from app.services.identities.records import IdentityData
from app.services.identities.service import IdentityQuery
from app.services.identities.table import ImportTable


def extend(world) -> None:
    services, rep_b = world.services, world.rep_b
    favourite = services.saved_searches.save(rep_b, "سرنخ‌های من", {"conditions": [], "match_all": True})
    category = services.categories.save(world.admin, "دسته آزمایشی")
    world.records |= {"favourite_b": favourite.id, "category": category.id}


def _b(w):
    return w.records["identity_b"]


def _lead_b(w):
    """A second identity of rep_b's, a lead, made only by the cases that need it (other areas' tests
    count rep_b's identities)."""
    if "identity_b2" not in w.records:
        twin = w.services.identities.create(
            SYSTEM, IdentityData(last_name="همکار b", owner_id=w.rep_b.user_id), allow_duplicates=True
        )
        w.records["identity_b2"] = twin.id
    return w.records["identity_b2"]


def _undo_case(w, a) -> bool:
    merge_id = w.services.identity_merge.merge(w.admin, _b(w), _lead_b(w))
    w.services.identity_merge.undo(a, merge_id)
    return True


def _requalify(w, a) -> bool:
    w.services.identity_lifecycle.mark_unqualified(w.admin, _lead_b(w))
    return w.services.identity_lifecycle.requalify(a, _lead_b(w)) is not None


def _table_naming_b() -> ImportTable:
    return ImportTable(["نام خانوادگی"], [["مشتری b"]])


def _exported_b(w, a) -> bool:
    path = Path(tempfile.mkdtemp()) / "identities.csv"
    w.services.identity_export.export(a, IdentityQuery(), path)
    return "مشتری b" in path.read_text(encoding="utf-8-sig")


CASES = {
    "identities.get": lambda w, a: w.services.identities.get(a, _b(w)).id == _b(w),
    "identities.create": lambda w, a: (
        w.services.identities.create(a, IdentityData(last_name="تازه", owner_id=w.rep_b.user_id)) is not None
    ),
    "identities.update": lambda w, a: (
        w.services.identities.update(a, _b(w), IdentityData(last_name="مشتری b ویرایش")) is not None
    ),
    "identities.add_to_existing": lambda w, a: (
        w.services.identities.add_to_existing(a, _b(w), IdentityData(emails=["b@example.ir"])) is not None
    ),
    "identities.find_duplicates": lambda w, a: any(
        c.id == _b(w) for c in w.services.identities.find_duplicates(a, IdentityData(last_name="مشتری b"))
    ),
    "identities.duplicates_of": lambda w, a: isinstance(w.services.identities.duplicates_of(a, _b(w)), list),
    "identity_lifecycle.convert": lambda w, a: w.services.identity_lifecycle.convert(a, _lead_b(w)) is not None,
    "identity_lifecycle.mark_unqualified": lambda w, a: (
        w.services.identity_lifecycle.mark_unqualified(a, _lead_b(w)) is not None
    ),
    "identity_lifecycle.requalify": _requalify,
    "identity_merge.preview": lambda w, a: w.services.identity_merge.preview(a, _lead_b(w), _b(w)).merged_id == _b(w),
    "identity_merge.merge": lambda w, a: w.services.identity_merge.merge(a, _lead_b(w), _b(w)) is not None,
    "identity_merge.undo": _undo_case,
    "identity_merge.merges": lambda w, a: isinstance(w.services.identity_merge.merges(a, _b(w)), list),
    "identity_import.preview": lambda w, a: (
        w.services.identity_import.preview(a, _table_naming_b(), {0: "last_name"})[0].duplicate_of == "مشتری b"
    ),
    "identity_import.run": lambda w, a: (
        w.services.identity_import.run(a, _table_naming_b(), {0: "last_name"}, "merge").merged == 1
    ),
    "identity_export.export": _exported_b,
    "advanced_search.group_counts": lambda w, a: any(
        g.key == w.rep_b.user_id for g in w.services.advanced_search.group_counts(a, IdentityQuery(), "owner")
    ),
    "saved_searches.list": lambda w, a: any(
        r.id == w.records["favourite_b"] for r in w.services.saved_searches.list(a)
    ),
    "saved_searches.save": lambda w, a: (
        w.services.saved_searches.save(a, "سرنخ‌های من", {"conditions": []}).id == w.records["favourite_b"]
    ),
    "saved_searches.delete": lambda w, a: w.services.saved_searches.delete(a, w.records["favourite_b"]) is None,
    "categories.save": lambda w, a: w.services.categories.save(a, "دسته تازه") is not None,
    "categories.delete": lambda w, a: w.services.categories.delete(a, w.records["category"]) is None,
    "timeline.for_identity": lambda w, a: bool(w.services.timeline.for_identity(a, _b(w))),
}
NOT_RECORD_SCOPED = {
    "identities.owners",
    "identities.sources",
    "identity_import.read",
    "identity_import.guess_mapping",
    "categories.tree",
    "tags.tags",
}
ADMIN_ONLY = {"categories.save", "categories.delete"}
PERSONAL = {"saved_searches.list", "saved_searches.save", "saved_searches.delete"}

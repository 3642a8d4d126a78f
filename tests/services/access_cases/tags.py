"""Access cases of the tag management page: renaming, colouring, merging and removing tags change labels
on everyone's records, so they are the administrator's alone (even the all-documents clerk is refused)."""

from __future__ import annotations

from app.models import OpportunityTag, Tag
from app.persian import search_key
from app.services.core.actor import SYSTEM


def extend(world) -> None:
    r = world.records
    with world.services.db.write(SYSTEM) as s:
        for key, name in (("tag_b", "مشتری کلیدی"), ("tag_b2", "کلیدی")):
            tag = Tag(name=name, name_key=search_key(name))
            s.add(tag)
            s.flush()
            r[key] = tag.id
        s.add(OpportunityTag(opportunity_id=r["opportunity_b"], tag_id=r["tag_b2"]))


def _restore(w, a) -> bool:
    w.services.tag_admin.delete(w.admin, w.records["tag_b"])
    return w.services.tag_admin.restore(a, w.records["tag_b"]) is None


CASES = {
    "tag_admin.list_tags": lambda w, a: w.records["tag_b"] in {t.id for t in w.services.tag_admin.list_tags(a)},
    "tag_admin.rename": lambda w, a: w.services.tag_admin.rename(a, w.records["tag_b"], "مشتری ویژه") is None,
    "tag_admin.set_color": lambda w, a: w.services.tag_admin.set_color(a, w.records["tag_b"], "#aa3300") is None,
    "tag_admin.merge": lambda w, a: w.services.tag_admin.merge(a, w.records["tag_b2"], w.records["tag_b"]) == 1,
    "tag_admin.delete": lambda w, a: w.services.tag_admin.delete(a, w.records["tag_b"]) is None,
    "tag_admin.restore": _restore,
}
ADMIN_ONLY = set(CASES)

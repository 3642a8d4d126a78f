"""Access cases of messages and notes on records (and their read marks)."""

from __future__ import annotations

from app.models.message import MESSAGE


def extend(world) -> None:
    b = world.records
    row = world.services.messages.post(
        world.rep_b, MESSAGE, "identities", b["identity_b"], "پیام مشتری ب", [("نامه.txt", b"salam")]
    )
    b["message_b"], b["message_file_b"] = row.id, row.files[0].id
    b["message_b_version"] = row.version
    news = world.services.messages.post(world.admin, MESSAGE, "identities", b["identity_b"], "خبر تازه")
    b["news_b"] = news.id  # new to rep_b, who follows identity_b (activities.extend)


def _ids(rows) -> set:
    return {r.id for r in rows}


CASES = {
    "messages.post": lambda w, a: (
        w.services.messages.post(a, MESSAGE, "identities", w.records["identity_b"], "سلام").id is not None
    ),
    "messages.for_record": lambda w, a: (
        w.records["message_b"] in _ids(w.services.messages.for_record(a, "identities", w.records["identity_b"]))
    ),
    "messages.edit": lambda w, a: (
        w.services.messages.edit(a, w.records["message_b"], "ویرایش", w.records["message_b_version"]).body == "ویرایش"
    ),
    "messages.delete": lambda w, a: w.services.messages.delete(a, w.records["message_b"]) is None,
    "messages.file_content": lambda w, a: w.services.messages.file_content(a, w.records["message_file_b"]) == b"salam",
    "messages.export_file": lambda w, a: w.services.messages.export_file(a, w.records["message_file_b"]).exists(),
    "message_reads.mark_read": lambda w, a: (
        w.services.message_reads.mark_read(a, "identities", w.records["identity_b"]) is None
    ),
    "message_reads.unread_count": lambda w, a: w.services.message_reads.unread_count(a) == 1,
    "message_reads.unread": lambda w, a: w.records["news_b"] in _ids(w.services.message_reads.unread(a)),
}
# Only the author edits or deletes (not even the admin); news is each user's own.
PERSONAL = {"messages.edit", "messages.delete", "message_reads.unread_count", "message_reads.unread"}

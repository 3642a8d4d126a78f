"""Messages and notes on records (seed 004 «پیام‌ها»): a note for the record's followers, a message for
every user who may open the record, files, author-only edits, read marks and the cardboard section."""

from __future__ import annotations

import pytest

from app.models.message import MESSAGE, NOTE
from app.services.core.errors import AccessDenied, ConcurrentChange, ValidationFailed
from tests.services.activity_helpers import add_identity, add_opportunity, add_user


@pytest.fixture
def office(services, admin):
    owner = add_user(services, "owner")
    other = add_user(services, "other")
    identity = add_identity(services, owner, "شرکت بتا")
    opp = add_opportunity(services, owner, identity)
    return owner, other, identity, opp


def _bodies(services, actor, table, record_id) -> list[str]:
    return [m.body for m in services.messages.for_record(actor, table, record_id)]


def test_a_note_is_read_by_followers_only_and_a_message_by_everyone(services, admin, office) -> None:
    owner, other, identity, _ = office
    services.messages.post(owner, NOTE, "identities", identity.id, "مدیرعامل فقط صبح‌ها پاسخ می‌دهد.")
    services.messages.post(owner, MESSAGE, "identities", identity.id, "قرارداد امضا شد.")
    assert services.followers.is_following(owner, "identities", identity.id)  # the author follows
    # Newest first; the admin sees the record but does not follow it: the message, not the note.
    assert _bodies(services, owner, "identities", identity.id) == ["قرارداد امضا شد.", "مدیرعامل فقط صبح‌ها پاسخ می‌دهد."]
    assert _bodies(services, admin, "identities", identity.id) == ["قرارداد امضا شد."]
    with pytest.raises(AccessDenied):  # a rep who may not see the record reads neither
        services.messages.for_record(other, "identities", identity.id)
    services.followers.follow(admin, "identities", identity.id, other.user_id)
    assert len(_bodies(services, other, "identities", identity.id)) == 2


def test_empty_text_and_unknown_records_are_refused(services, office) -> None:
    owner, _, identity, _ = office
    with pytest.raises(ValidationFailed) as refused:
        services.messages.post(owner, NOTE, "identities", identity.id, "   ")
    assert "body" in refused.value.errors
    with pytest.raises(ValidationFailed):
        services.messages.post(owner, NOTE, "users", identity.id, "متن")


def test_files_travel_with_a_message_and_read_back_checked(services, admin, office) -> None:
    owner, other, identity, opp = office
    row = services.messages.post(
        owner, MESSAGE, "opportunities", opp.id, "پیشنهاد پیوست شد", [("پیشنهاد.pdf", b"%PDF")]
    )
    assert [f.filename for f in row.files] == ["پیشنهاد.pdf"]
    assert services.messages.file_content(admin, row.files[0].id) == b"%PDF"
    assert services.messages.export_file(owner, row.files[0].id).read_bytes() == b"%PDF"
    with pytest.raises(AccessDenied):
        services.messages.file_content(other, row.files[0].id)


def test_only_the_author_edits_or_deletes(services, admin, office) -> None:
    owner, other, identity, _ = office
    services.followers.follow(admin, "identities", identity.id, other.user_id)
    row = services.messages.post(owner, MESSAGE, "identities", identity.id, "جلسه شنبه است")
    with pytest.raises(AccessDenied):
        services.messages.edit(other, row.id, "جلسه یکشنبه است", row.version)
    with pytest.raises(AccessDenied):
        services.messages.delete(admin, row.id)
    edited = services.messages.edit(owner, row.id, "جلسه یکشنبه است", row.version)
    assert edited.body == "جلسه یکشنبه است" and edited.edited
    with pytest.raises(ConcurrentChange):
        services.messages.edit(owner, row.id, "دوباره", row.version)
    services.messages.delete(owner, row.id)
    assert _bodies(services, owner, "identities", identity.id) == []


def test_new_messages_on_followed_records_until_the_record_is_opened(services, admin, office) -> None:
    owner, other, identity, opp = office
    services.followers.follow(admin, "opportunities", opp.id, other.user_id)
    services.messages.post(owner, NOTE, "opportunities", opp.id, "رقیب قیمت پایین‌تری داده")
    services.messages.post(owner, MESSAGE, "identities", identity.id, "روی هویتی که دنبال نمی‌کند")
    assert services.message_reads.unread_count(other) == 1
    assert services.message_reads.unread_count(owner) == 0  # one's own writing is not news
    board = services.cardboard.load(other)
    section = board.extra["new_messages"]
    assert section.total == 1
    row = section.rows[0]
    assert (row.kind, row.id, row.title, row.subtitle) == (
        "opportunity",
        opp.id,
        "یادداشت: رقیب قیمت پایین‌تری داده",
        opp.title,
    )
    services.message_reads.mark_read(other, "opportunities", opp.id)
    assert services.message_reads.unread_count(other) == 0
    services.messages.post(owner, MESSAGE, "opportunities", opp.id, "پیش‌فاکتور فرستاده شد")
    assert [r.body for r in services.message_reads.unread(other)] == ["پیش‌فاکتور فرستاده شد"]


def test_opening_a_record_again_with_nothing_new_writes_nothing(services, admin, office) -> None:
    """A form reloads often; on a laptop each write would wait to be synced (the status bar's queue)."""
    from sqlalchemy import func, select

    from app.models import ChangeLogEntry

    owner, other, _, opp = office
    services.followers.follow(admin, "opportunities", opp.id, other.user_id)

    def journal() -> int:
        with services.db.read(other) as s:
            return s.scalar(select(func.count()).select_from(ChangeLogEntry))

    before = journal()
    services.message_reads.mark_read(other, "opportunities", opp.id)  # no messages yet: nothing to mark
    assert journal() == before
    services.messages.post(owner, MESSAGE, "opportunities", opp.id, "پیش‌فاکتور فرستاده شد")
    services.message_reads.mark_read(other, "opportunities", opp.id)
    marked = journal()
    services.message_reads.mark_read(other, "opportunities", opp.id)
    assert journal() == marked and services.message_reads.unread_count(other) == 0


def test_messages_and_readable_notes_appear_in_the_identitys_timeline(services, admin, office) -> None:
    owner, _, identity, opp = office
    services.messages.post(owner, NOTE, "opportunities", opp.id, "یادداشت فرصت")
    services.messages.post(owner, MESSAGE, "identities", identity.id, "پیام هویت")

    def titles(actor):
        return {i.title: (i.kind_label, i.record_kind) for i in services.timeline.for_identity(actor, identity.id)
                if i.kind == "message"}  # fmt: skip

    assert titles(owner) == {"یادداشت فرصت": ("یادداشت", "opportunity"), "پیام هویت": ("پیام", "identity")}
    assert titles(admin) == {"پیام هویت": ("پیام", "identity")}


def test_a_merge_moves_the_messages_and_read_marks_and_undo_puts_them_back(services, admin, office) -> None:
    owner, other, survivor, _ = office
    merged = add_identity(services, owner, "شرکت بتا (تکراری)")
    services.followers.follow(admin, "identities", merged.id, other.user_id)
    services.messages.post(owner, NOTE, "identities", merged.id, "یادداشت روی تکراری")
    services.messages.post(owner, MESSAGE, "identities", merged.id, "پیام روی تکراری")
    services.message_reads.mark_read(other, "identities", merged.id)

    merge_id = services.identity_merge.merge(admin, survivor.id, merged.id)
    assert _bodies(services, owner, "identities", survivor.id) == ["پیام روی تکراری", "یادداشت روی تکراری"]
    assert len(_bodies(services, other, "identities", survivor.id)) == 2  # their follow moved too
    assert services.message_reads.unread_count(other) == 0  # and their read mark
    titles = {i.title for i in services.timeline.for_identity(owner, survivor.id) if i.kind == "message"}
    assert titles == {"پیام روی تکراری", "یادداشت روی تکراری"}

    services.identity_merge.undo(admin, merge_id)
    assert _bodies(services, owner, "identities", survivor.id) == []
    assert len(_bodies(services, owner, "identities", merged.id)) == 2


def test_new_notes_on_a_document_are_named_by_its_number(services) -> None:
    from app.persian import to_persian_digits
    from tests.services.doc_helpers import issued_invoice
    from tests.services.doc_helpers import office as documents_office

    o = documents_office(services)
    invoice = issued_invoice(o)
    services.followers.follow(o.admin, "invoices", invoice.id, o.other.user_id)
    services.messages.post(o.rep, NOTE, "invoices", invoice.id, "مشتری نسخه کاغذی خواست")
    (row,) = services.cardboard.load(o.other).extra["new_messages"].rows
    assert (row.kind, row.id) == ("invoice", invoice.id)
    assert row.subtitle == f"صورتحساب {to_persian_digits(str(invoice.number))}"

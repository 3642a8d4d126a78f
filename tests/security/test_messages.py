"""Messages and notes on the office server, attacked from a rep's own role: a note is read only by its
author and the record's followers who may see the record, a message by everyone; nobody writes as
another author, changes another's message or removes rows; a note's files stay with the note."""

from __future__ import annotations

import uuid

import psycopg
import pytest

from app.models import IdentityKind
from app.models.message import MESSAGE, NOTE
from app.services.identities.records import IdentityData

INSERT = (
    "INSERT INTO messages (id, kind, record_table, record_id, identity_id, author_id, body, created_at, updated_at,"
    " version) VALUES (%s, %s, %s, %s, %s, %s, 'جعلی', now(), now(), 1)"
)


@pytest.fixture
def written(attacked):
    sara, owner = attacked.sara, attacked.office.owner
    identity = attacked.theirs["identity"]
    note = owner.messages.post(sara, NOTE, "identities", identity, "یادداشت محرمانه", [("قیمت.txt", b"secret")])
    message = owner.messages.post(sara, MESSAGE, "identities", identity, "جلسه فردا")
    return note, message


def _seen(conn, table: str, row_id) -> int:
    return conn.execute(f"SELECT count(*) FROM {table} WHERE id = %s", (row_id,)).fetchone()[0]


def test_a_non_follower_cannot_read_a_note_but_reads_a_message(attacked, written) -> None:
    note, message = written
    with attacked.raw() as conn:
        assert _seen(conn, "messages", note.id) == 0
        assert _seen(conn, "message_files", note.files[0].id) == 0
        blob = "SELECT count(*) FROM attachment_blobs WHERE content = 'secret'::bytea"
        assert conn.execute(blob).fetchone()[0] == 0
        assert _seen(conn, "messages", message.id) == 1


def test_a_follower_who_sees_the_record_reads_the_note(attacked, written) -> None:
    note, _ = written
    office = attacked.office
    office.as_boss.followers.follow(office.boss, "identities", attacked.theirs["identity"], attacked.maryam.user_id)
    with attacked.raw() as conn:
        assert _seen(conn, "messages", note.id) == 1
        assert _seen(conn, "message_files", note.files[0].id) == 1


def test_nobody_writes_as_another_author_or_on_a_record_they_cannot_see(attacked, written) -> None:
    mine, theirs = attacked.mine["identity"], attacked.theirs["identity"]
    with attacked.raw() as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # forged author on one's own record
            conn.execute(INSERT, (uuid.uuid4(), MESSAGE, "identities", mine, mine, attacked.sara.user_id))
    with attacked.raw() as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # as oneself on a colleague's record
            conn.execute(INSERT, (uuid.uuid4(), NOTE, "identities", theirs, theirs, attacked.maryam.user_id))
    with attacked.raw() as conn:
        conn.execute(INSERT, (uuid.uuid4(), MESSAGE, "identities", mine, mine, attacked.maryam.user_id))


def test_only_the_author_changes_a_message_and_no_role_deletes_one(attacked, written) -> None:
    _, message = written
    with attacked.raw() as conn:
        assert conn.execute("UPDATE messages SET body = 'تغییر' WHERE id = %s", (message.id,)).rowcount == 0
        assert conn.execute("UPDATE messages SET deleted_at = now() WHERE id = %s", (message.id,)).rowcount == 0
        assert conn.execute("DELETE FROM messages WHERE id = %s", (message.id,)).rowcount == 0
        mine = uuid.uuid4()
        own = attacked.mine["identity"]
        conn.execute(INSERT, (mine, MESSAGE, "identities", own, own, attacked.maryam.user_id))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # nor hands one's own to someone else
            conn.execute("UPDATE messages SET author_id = %s WHERE id = %s", (attacked.sara.user_id, mine))
    with attacked.raw("sara") as conn:
        assert conn.execute("UPDATE messages SET body = 'ویرایش' WHERE id = %s", (message.id,)).rowcount == 1


@pytest.mark.parametrize("change", ["body = 'تغییر'", "deleted_at = now()", "kind = 'note'"])
def test_a_message_on_ones_own_record_is_still_the_authors(attacked, change: str) -> None:
    office = attacked.office
    own = attacked.mine["identity"]
    boss = office.owner.messages.post(office.boss, MESSAGE, "identities", own, "پیام مدیر")
    with attacked.raw() as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(f"UPDATE messages SET {change} WHERE id = %s", (boss.id,))


def test_a_rep_may_move_a_colleagues_message_between_their_own_records(attacked) -> None:
    """What an identity merge does (the merge itself reads users' rows a rep's role may not, so it is an
    administrator's on the server): the message moves, still the colleague's, but not onto a record the
    rep may not see."""
    office, app, maryam = attacked.office, attacked.as_maryam, attacked.maryam
    own = attacked.mine["identity"]
    twin = app.identities.create(maryam, IdentityData(kind=IdentityKind.PERSON, last_name="مشتری مریم دوم")).id
    boss = office.owner.messages.post(office.boss, MESSAGE, "identities", twin, "پیام مدیر")
    move = "UPDATE messages SET record_id = %s, identity_id = %s WHERE id = %s"
    with attacked.raw() as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(move, (attacked.theirs["identity"], attacked.theirs["identity"], boss.id))
    with attacked.raw() as conn:
        assert conn.execute(move, (own, own, boss.id)).rowcount == 1
    assert [(m.id, m.author_id) for m in app.messages.for_record(maryam, "identities", own)] == [
        (boss.id, office.boss.user_id)
    ]


def test_the_app_on_a_reps_role_keeps_the_rule(attacked, written) -> None:
    note, message = written
    app, maryam, sara = attacked.as_maryam, attacked.maryam, attacked.sara
    own = attacked.mine["identity"]
    row = app.messages.post(maryam, NOTE, "identities", own, "یادداشت من", [("a.txt", b"a")])
    assert [m.id for m in app.messages.for_record(maryam, "identities", own)] == [row.id]
    assert app.messages.file_content(maryam, row.files[0].id) == b"a"
    assert app.messages.edit(maryam, row.id, "یادداشت ویرایش‌شده", row.version).body == "یادداشت ویرایش‌شده"
    app.messages.delete(maryam, row.id)
    assert app.messages.for_record(maryam, "identities", own) == []
    app.message_reads.mark_read(maryam, "identities", own)
    assert app.message_reads.unread_count(maryam) == 0
    attacked.office.owner.messages.post(sara, MESSAGE, "identities", attacked.theirs["identity"], "برای همه")
    assert app.message_reads.unread_count(maryam) == 0  # news only from followed records


def test_messages_written_outside_the_app_are_announced(attacked) -> None:
    """The statement triggers of live refresh (raw_ddl.notify_changes) cover the new tables."""
    rows = attacked.as_owner("SELECT tgname FROM pg_trigger WHERE tgname LIKE 'message%%_notify' ORDER BY tgname")
    assert [name for (name,) in rows] == ["message_files_notify", "messages_notify"]

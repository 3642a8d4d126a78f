"""Offline sync on the office server, attacked from a rep's own role (psql-style, raw SQL): another
device's secret, another user's device in the sync functions or the journal, the ledger and the registry
written by hand, other reps' rows read through the journal, and temporary tables standing in for the
server's own."""

from __future__ import annotations

import json
import uuid

import psycopg
import pytest

from app.models import IdentityTag, Message, RecentRecord, SyncConflict
from app.services.core.actor import SYSTEM
from app.services.sync.devices import Registration

RESULT = json.dumps({"applied": 1})


def _devices(attacked) -> tuple[Registration, Registration]:
    """maryam's laptop and sara's, registered by the administrator through the app on the boss's role."""
    boss, devices = attacked.office.boss, attacked.office.as_boss.devices
    return devices.register(boss, attacked.maryam.user_id, "لپ‌تاپ مریم"), devices.register(
        boss, attacked.sara.user_id, "لپ‌تاپ سارا"
    )


def _stored(attacked, device: Registration) -> tuple:
    return attacked.as_owner(
        "SELECT user_id, revoked_at, last_batch_no, last_pull_seq, last_seen_at, secret FROM sync_devices"
        " WHERE id = %s",
        (device.device_id,),
    )[0]


def test_a_rep_reads_her_own_device_and_never_another_ones_secret(attacked) -> None:
    mine, theirs = _devices(attacked)
    with attacked.raw() as conn:
        assert conn.execute("SELECT id, secret FROM sync_devices").fetchall() == [(mine.device_id, mine.secret)]
        assert conn.execute("SELECT secret FROM sync_devices WHERE id = %s", (theirs.device_id,)).fetchall() == []
        assert conn.execute("SELECT count(*) FROM sync_batches").fetchone() == (0,)


@pytest.mark.parametrize(
    "attack",
    [
        "INSERT INTO sync_devices (id, user_id, name, code, secret, registered_at, last_batch_no, last_pull_seq)"
        " VALUES (gen_random_uuid(), %(me)s, 'x', 'L9', repeat('0', 64), now(), 0, 0)",
        "UPDATE sync_devices SET revoked_at = NULL, last_batch_no = 100",
        "UPDATE sync_devices SET user_id = %(me)s WHERE id = %(theirs)s",
        "DELETE FROM sync_devices",
        "INSERT INTO sync_batches (device_id, batch_no, batch_id, result, applied_at)"
        " VALUES (%(mine)s, 1, gen_random_uuid(), '{}', now())",
        "UPDATE sync_batches SET result = '{}'",
        "DELETE FROM sync_batches",
        "TRUNCATE sync_batches",
    ],
)
def test_a_rep_cannot_write_the_registry_or_the_ledger_by_hand(attacked, attack: str) -> None:
    mine, theirs = _devices(attacked)
    params = {"me": attacked.maryam.user_id, "mine": mine.device_id, "theirs": theirs.device_id}
    before = attacked.as_owner("SELECT * FROM sync_devices ORDER BY code")
    with attacked.raw() as conn:
        try:
            assert conn.execute(attack, params).rowcount == 0  # row security: nothing matched
        except psycopg.errors.InsufficientPrivilege:
            pass
    assert attacked.as_owner("SELECT * FROM sync_devices ORDER BY code") == before
    assert attacked.as_owner("SELECT count(*) FROM sync_batches") == [(0,)]


def test_a_rep_cannot_use_another_users_device_in_the_sync_functions(attacked) -> None:
    _mine, theirs = _devices(attacked)
    attacked.as_owner("SELECT peyvand_sync_record(%s, 1, %s, %s)", (theirs.device_id, uuid.uuid4(), RESULT))
    (batch,) = attacked.as_owner("SELECT batch_id FROM sync_batches")
    before = _stored(attacked, theirs)
    with attacked.raw() as conn:
        hello = conn.execute("SELECT peyvand_sync_hello(%s)", (theirs.device_id,)).fetchone()[0]
        assert hello["device"] is None
        for call, args in [
            ("SELECT peyvand_sync_seen(%s, %s)", (theirs.device_id, batch[0])),
            ("SELECT peyvand_sync_record(%s, 2, %s, %s)", (theirs.device_id, uuid.uuid4(), RESULT)),
            ("SELECT peyvand_sync_pulled(%s, 99)", (theirs.device_id,)),
        ]:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(call, args)
    assert _stored(attacked, theirs) == before
    assert attacked.as_owner("SELECT count(*) FROM sync_batches") == [(1,)]


def test_a_rep_syncs_her_own_device_in_order_until_it_is_revoked(attacked) -> None:
    mine, theirs = _devices(attacked)
    attacked.as_owner("SELECT peyvand_sync_record(%s, 1, %s, %s)", (theirs.device_id, uuid.uuid4(), RESULT))
    first = uuid.uuid4()
    with attacked.raw() as conn:
        hello = conn.execute("SELECT peyvand_sync_hello(%s)", (mine.device_id,)).fetchone()[0]
        assert hello["hub_id"] == mine.hub_id and hello["schema"] and hello["seq"] > 0 and hello["now"]
        assert hello["device"] == {
            "code": mine.device_code,
            "name": "لپ‌تاپ مریم",
            "user_id": str(attacked.maryam.user_id),
            "revoked": False,
            "last_batch_no": 0,
            "last_pull_seq": 0,
        }
        conn.execute("SELECT peyvand_sync_record(%s, 1, %s, %s)", (mine.device_id, first, RESULT))
        assert conn.execute("SELECT peyvand_sync_seen(%s, %s)", (mine.device_id, first)).fetchone()[0] == {"applied": 1}
        assert conn.execute("SELECT peyvand_sync_seen(%s, %s)", (mine.device_id, uuid.uuid4())).fetchone() == (None,)
        for out_of_order in (1, 3):
            with pytest.raises(psycopg.Error) as refused:
                conn.execute(
                    "SELECT peyvand_sync_record(%s, %s, %s, %s)", (mine.device_id, out_of_order, uuid.uuid4(), RESULT)
                )
            assert refused.value.sqlstate == "PVSYN"
        conn.execute("SELECT peyvand_sync_pulled(%s, 40)", (mine.device_id,))
        conn.execute("SELECT peyvand_sync_pulled(%s, 30)", (mine.device_id,))  # never backwards
        assert conn.execute("SELECT batch_id FROM sync_batches").fetchall() == [(first,)]  # her own ledger only
    _user, revoked_at, last_batch_no, last_pull_seq, last_seen_at, _secret = _stored(attacked, mine)
    assert (revoked_at, last_batch_no, last_pull_seq) == (None, 1, 40) and last_seen_at is not None
    attacked.office.as_boss.devices.revoke(attacked.office.boss, mine.device_id)
    with attacked.raw() as conn:
        assert conn.execute("SELECT peyvand_sync_hello(%s)", (mine.device_id,)).fetchone()[0]["device"]["revoked"]
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="revoked"):
            conn.execute("SELECT peyvand_sync_record(%s, 2, %s, %s)", (mine.device_id, uuid.uuid4(), RESULT))


def test_a_rep_cannot_journal_as_another_users_device(attacked) -> None:
    mine, theirs = _devices(attacked)
    entries = json.dumps([{"t": "tags", "r": str(attacked.theirs["tag"]), "o": "update", "f": {}}])
    with attacked.raw() as conn:
        for forged in (theirs.device_id.hex, str(theirs.device_id), str(theirs.device_id).upper()):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute("SELECT peyvand_journal(%s, %s::jsonb)", (forged, entries))
        seq = conn.execute(
            "SELECT peyvand_journal(%s, %s::jsonb, '2026-11-20 08:30+00')", (mine.device_id.hex, entries)
        ).fetchone()[0]
    ((device, user, edited_at),) = attacked.as_owner(
        "SELECT device_id, user_id, to_char(edited_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') FROM change_log"
        " WHERE seq = %s",
        (seq,),
    )
    assert (device, user, edited_at) == (mine.device_id.hex, attacked.maryam.user_id, "2026-11-20 08:30")
    # An administrator's role applies any device's batch (the office's side of a sync file).
    with attacked.office.as_boss.db.engine.connect() as conn:
        conn.exec_driver_sql("SELECT peyvand_journal(%s, %s::jsonb)", (theirs.device_id.hex, entries))


def _link_added_and_removed(attacked, identity) -> None:
    with attacked.office.owner.db.write(SYSTEM) as s:
        link = IdentityTag(identity_id=identity, tag_id=attacked.theirs["tag"])
        s.add(link)
    with attacked.office.owner.db.write(SYSTEM) as s:
        s.delete(s.get(IdentityTag, link.id))


def test_the_journal_shows_a_rep_only_the_entries_of_rows_she_may_see(attacked) -> None:
    mine, theirs = _devices(attacked)
    with attacked.office.owner.db.write(SYSTEM) as s:
        conflict = SyncConflict(user_id=attacked.sara.user_id, table_name="identities", row_id="x", kind="rejected")
        s.add(conflict)
    for identity in (attacked.mine["identity"], attacked.theirs["identity"]):
        _link_added_and_removed(attacked, identity)
    forged = [  # entries no row has, keys that are no keys: read past, never fatal to anyone's pull
        {"t": "identities", "r": "not-an-id", "o": "update", "f": {}},
        {"t": "identity_phones", "r": "1", "o": "delete", "f": [1]},
        {"t": "identity_tags", "r": "1", "o": "delete", "f": {"identity_id": "1"}},
        {"t": "nope", "r": "1", "o": "x", "f": {}},
    ]
    with attacked.raw() as conn:
        conn.execute("SELECT peyvand_journal('x', %s::jsonb)", (json.dumps(forged),))
    everything = attacked.as_owner("SELECT table_name, row_id, op FROM change_log")
    with attacked.raw() as conn:
        assert conn.execute("SHOW jit").fetchone() == ("off",)  # the policy's big plan is not compiled
        seen = set(conn.execute("SELECT table_name, row_id, op FROM change_log").fetchall())
    hers = {str(attacked.mine[k]) for k in ("identity", "invoice")}
    others = {str(attacked.theirs[k]) for k in ("identity", "opportunity", "activity")} | {str(conflict.id)}
    assert hers <= {row for _t, row, _op in seen}
    assert others.isdisjoint(row for _t, row, _op in seen)
    assert others <= {row for _t, row, _op in everything}
    assert str(attacked.theirs["tag"]) in {row for _t, row, _op in seen}  # labels are everyone's
    devices = {str(mine.device_id), str(theirs.device_id)}
    assert devices <= {row for _t, row, _op in everything} and devices.isdisjoint(row for _t, row, _op in seen)
    assert not {t for t, _row, _op in seen} & {"audit_log", "sync_devices", "sync_batches", "number_series"}
    deleted_links = {row for t, row, op in seen if t == "identity_tags" and op == "delete"}
    assert len(deleted_links) == 1  # her customer's removed tag, not sara's
    with attacked.raw("sara") as conn:
        assert str(conflict.id) in {row for (row,) in conn.execute("SELECT row_id FROM change_log")}
        assert conn.execute("SELECT count(*) FROM sync_conflicts").fetchone() == (1,)
    with attacked.raw() as conn:
        assert conn.execute("SELECT count(*) FROM sync_conflicts").fetchone() == (0,)
    with attacked.office.as_boss.db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM change_log").scalar() == len(everything)


def test_temporary_tables_do_not_stand_in_for_the_registry_or_the_records(attacked) -> None:
    _mine, theirs = _devices(attacked)
    attacked.grant_temp_back()
    with attacked.raw() as conn:
        conn.execute("CREATE TEMP TABLE sync_devices AS SELECT * FROM public.sync_devices WITH NO DATA")
        conn.execute(
            "INSERT INTO pg_temp.sync_devices (id, user_id, name, code, secret, registered_at, last_batch_no,"
            " last_pull_seq) VALUES (%s, %s, 'x', 'L2', repeat('0', 64), now(), 0, 0)",
            (theirs.device_id, attacked.maryam.user_id),
        )
        conn.execute("CREATE TEMP TABLE settings (key text, value json)")
        conn.execute("""INSERT INTO pg_temp.settings VALUES ('device_id', '"forged"')""")
        conn.execute("CREATE TEMP TABLE identities (id uuid)")
        conn.execute("INSERT INTO pg_temp.identities VALUES (%s)", (attacked.theirs["identity"],))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT peyvand_sync_pulled(%s, 5)", (theirs.device_id,))
        hello = conn.execute("SELECT peyvand_sync_hello(%s)", (theirs.device_id,)).fetchone()[0]
        assert hello["device"] is None and hello["hub_id"] == theirs.hub_id
        seen = conn.execute(
            "SELECT row_id FROM public.change_log WHERE row_id = %s", (str(attacked.theirs["identity"]),)
        )
        assert seen.fetchall() == []


def test_a_user_who_sees_every_record_still_reads_only_her_own_notes_and_marks_in_the_journal(attacked) -> None:
    """Seeing every record is not reading a colleague's private note or what they opened lately."""
    attacked.as_owner("UPDATE users SET access_level = 'all' WHERE id = %s", (attacked.sara.user_id,))
    mine = attacked.mine["identity"]
    with attacked.office.owner.db.write(SYSTEM) as s:
        note = Message(
            kind="note", record_table="identities", record_id=mine, author_id=attacked.maryam.user_id, body="!"
        )
        opened = RecentRecord(user_id=attacked.maryam.user_id, record_table="identities", record_id=mine)
        s.add_all([note, opened])
    with attacked.raw("sara") as conn:
        seen = {row for (row,) in conn.execute("SELECT row_id FROM change_log")}
    assert str(mine) in seen and str(attacked.mine["invoice"]) in seen
    assert {str(note.id), str(opened.id)}.isdisjoint(seen)

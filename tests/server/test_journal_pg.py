"""The change journal on PostgreSQL: gapless and in commit order under eight writing processes, and out of
reach of a user's own role (only the one journal function writes it, stamping the login's user)."""

from __future__ import annotations

import multiprocessing as mp
import random
import time
import uuid

import psycopg
import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from app.models import AccessLevel, ChangeLogEntry, Identity, IdentityKind, SyncDevice, Tag, User, new_id
from app.services.core import journal, migrations
from app.services.core.actor import SYSTEM, Actor
from app.services.core.database import Database
from app.services.server import security as server_security

PROCESSES = 8
PER_PROCESS = 15
ROLLBACK_SHARE = 0.3


class AfterNumbering(Exception):
    """Raised once the transaction took its journal number: everything rolls back."""


def _write(url: str, seed: int, go, results) -> None:
    """Writes one tag per transaction; after taking its number it waits a little (the others queue on
    the clock's row) and rolls back about a third of the transactions."""
    rnd = random.Random(seed)
    take_number = journal.append

    def append_then_maybe_fail(session, conn, rows):
        seq = take_number(session, conn, rows)
        time.sleep(rnd.random() * 0.004)
        if rnd.random() < ROLLBACK_SHARE:
            raise AfterNumbering()
        return seq

    journal.append = append_then_maybe_fail
    db = Database(url)
    done, undone, errors = 0, 0, []
    go.wait()
    for n in range(PER_PROCESS):
        try:
            with db.write(SYSTEM) as s:
                s.add(Tag(name=f"t{seed}-{n}", name_key=f"t{seed}-{n}"))
            done += 1
        except AfterNumbering:
            undone += 1
        except Exception as exc:  # anything else fails the test, with its message
            errors.append(repr(exc))
    db.dispose()
    results.put((done, undone, errors))


def test_eight_writers_with_rollbacks_leave_a_gapless_commit_ordered_journal(pg_database) -> None:
    db = Database(pg_database)
    migrations.upgrade(db)
    with db.write(SYSTEM) as s:  # the journal is written once a device reads it
        owner = User(login="laptop_owner", display_name="owner", access_level=AccessLevel.OWN_DOCUMENTS)
        s.add(owner)
        s.flush()
        s.add(SyncDevice(id=new_id(), user_id=owner.id, name="لپ‌تاپ", code="L1", secret="0" * 64))
    with db.read(SYSTEM) as s:
        start = s.scalar(select(text("seq")).select_from(text("change_clock")))
    ctx = mp.get_context("spawn")
    go, results = ctx.Barrier(PROCESSES + 1), ctx.Queue()
    workers = [ctx.Process(target=_write, args=(pg_database, 200 + i, go, results)) for i in range(PROCESSES)]
    for worker in workers:
        worker.start()
    go.wait(timeout=180)
    # A reader meanwhile: whatever it sees is always 1..max, never a hole a later commit fills (a
    # puller holding cursor = max must never miss a row).
    snapshots = []
    with db.engine.connect() as conn:
        while len(snapshots) < 400 and any(w.is_alive() for w in workers):
            with conn.begin():
                snapshots.append(
                    conn.execute(text("SELECT count(DISTINCT seq), coalesce(max(seq), 0) FROM change_log")).one()
                )
    outcomes = [results.get(timeout=300) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)

    assert [e for _, _, errors in outcomes for e in errors] == []
    committed = sum(done for done, _, _ in outcomes)
    assert committed and sum(undone for _, undone, _ in outcomes), "the rollbacks should hit some and spare some"
    with db.read(SYSTEM) as s:
        seqs = sorted(set(s.scalars(select(ChangeLogEntry.seq).where(ChangeLogEntry.seq > start))))
        tags = s.scalar(select(text("count(*)")).select_from(text("tags")))
    db.dispose()
    assert seqs == list(range(start + 1, start + committed + 1))  # no gap, no duplicate
    assert tags == committed
    assert all(count == top for count, top in snapshots)


REP = f"rep_j_{uuid.uuid4().hex[:8]}"  # roles belong to the whole server: one of this run's own


@pytest.fixture
def office(pg_database):
    db = Database(pg_database)
    migrations.upgrade(db)
    with db.engine.begin() as conn:
        server_security.install_row_security(conn)
    with db.write(SYSTEM) as s:
        rep = User(login=REP, display_name="rep", access_level=AccessLevel.OWN_DOCUMENTS)
        s.add(rep)
        s.flush()
        actor = Actor(rep.id, rep.login, rep.display_name, rep.access_level)
    with db.engine.begin() as conn:
        server_security.set_user_role(conn, REP, "secret")
    yield db, actor
    with db.engine.begin() as conn:
        conn.exec_driver_sql(f"DROP OWNED BY pv_{REP}")
        conn.exec_driver_sql(f"DROP ROLE pv_{REP}")
    db.dispose()


def _rep_url(db: Database, driver: str) -> str:
    url = make_url(db.url).set(drivername=driver, username=f"pv_{REP}", password="secret")
    return url.render_as_string(hide_password=False)


@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO change_log (seq, ordinal, table_name, row_id, op, fields, device_id, at)"
        " VALUES (999, 1, 'identities', 'x', 'delete', '{}', 'd', now())",
        "UPDATE change_log SET op = 'delete'",
        "DELETE FROM change_log",
        "UPDATE change_clock SET seq = seq + 10",
        "INSERT INTO change_clock (id, seq) VALUES (2, 0)",
        "DELETE FROM change_clock",
        "TRUNCATE change_log",
    ],
)
def test_a_rep_role_cannot_write_the_journal_or_its_clock(office, statement) -> None:
    db, _rep = office
    with psycopg.connect(_rep_url(db, "postgresql"), autocommit=True) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(statement)


def test_the_app_as_a_rep_journals_through_the_function_stamped_with_the_login(office) -> None:
    db, rep = office
    with db.write(SYSTEM) as s:  # the journal is written once a device reads it
        s.add(SyncDevice(id=new_id(), user_id=rep.user_id, name="لپ‌تاپ", code="L1", secret="0" * 64))
    as_rep = Database(_rep_url(db, "postgresql+psycopg"))
    with as_rep.write(rep) as s:
        identity = Identity(kind=IdentityKind.PERSON, display_name="مشتری", name_key="مشتری", owner_id=rep.user_id)
        s.add(identity)
    as_rep.dispose()
    with db.read(SYSTEM) as s:
        (row,) = s.scalars(select(ChangeLogEntry).where(ChangeLogEntry.row_id == str(identity.id)))
    assert row.op == "insert" and row.user_id == rep.user_id and row.fields["display_name"] == "مشتری"
    # The function takes no user: whatever a rep's own client sends is stamped with its login.
    with psycopg.connect(_rep_url(db, "postgresql"), autocommit=True) as conn:
        seq = conn.execute(
            "SELECT peyvand_journal('dev', '[{\"t\": \"tags\", \"r\": \"x\", \"o\": \"update\", \"f\": {}}]')"
        ).fetchone()[0]
    with db.read(SYSTEM) as s:
        (forged,) = s.scalars(select(ChangeLogEntry).where(ChangeLogEntry.seq == seq))
    assert forged.user_id == rep.user_id and seq == row.seq + 1

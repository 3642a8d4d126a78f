"""sync.md §4 cases 4-6: a laptop's sync killed (SIGKILL) before the office's COMMIT, after it but before
the laptop's acknowledgement, and in the middle of a pull: the next sync applies each batch exactly once
and leaves rows and cursor consistent. Case 7: the laptop's app killed while it saves edits."""

from __future__ import annotations

import json
import random
import sqlite3
import subprocess
import sys
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing

import pytest
from sqlalchemy import func, select

from app.models import ChangeLogEntry, Identity, SyncOutbox
from app.services.sync import state
from tests.sync.crash_child import ROOT, crash
from tests.sync.faults import customer_and_laptop, ledger
from tests.sync.test_first_sync import person
from tests.sync.world import edit, read, sqlite_world

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")


def _url(laptop) -> str:
    return laptop.db.url.render_as_string(hide_password=False)


def _applied(world, laptop, row_id) -> int:
    """How many office transactions wrote this laptop's changes of the row."""
    log = ChangeLogEntry.__table__
    with world.office.db.engine.connect() as conn:
        stmt = select(func.count(func.distinct(log.c.seq))).where(
            log.c.row_id == str(row_id), log.c.device_id == laptop.registration.device_id.hex
        )
        return conn.execute(stmt).scalar_one()


def edit_website(services, actor, identity_id, website: str) -> None:
    edit(services, actor, Identity, identity_id, website=website)


def _outbox(laptop) -> int:
    with laptop.db.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(SyncOutbox)).scalar_one()


def test_4_killed_before_the_office_commit_nothing_is_applied(world):
    maryam, customer, laptop = customer_and_laptop(world)
    laptop.services.identities.create(maryam, person("سارا", "احمدی", "09131112233"))
    edit_website(laptop, maryam, customer, "laptop.example.ir")
    crash(_url(laptop), "office_commit")
    assert read(world.office, Identity, customer, "website") is None
    assert ledger(world, laptop) == []
    assert _outbox(laptop) == 2

    report = laptop.sync()
    assert report.pushed == 2
    assert read(world.office, Identity, customer, "website") == "laptop.example.ir"
    assert ledger(world, laptop) == [1, 2]
    assert (_applied(world, laptop, customer), _outbox(laptop)) == (1, 0)


def test_5_killed_after_the_office_commit_the_stored_answer_comes_back(world):
    maryam, customer, laptop = customer_and_laptop(world)
    edit_website(laptop, maryam, customer, "laptop.example.ir")
    crash(_url(laptop), "acknowledge")
    assert read(world.office, Identity, customer, "website") == "laptop.example.ir"
    assert (ledger(world, laptop), _outbox(laptop)) == ([1], 1)  # committed there, not forgotten here

    edit_website(world.at_office("maryam"), maryam, customer, "office.example.ir")
    report = laptop.sync()
    assert report.pushed == 1  # the office's stored answer: not applied again over the later office edit
    assert (ledger(world, laptop), _applied(world, laptop, customer), _outbox(laptop)) == ([1], 1, 0)
    for services in (world.office, laptop.services):
        assert read(services, Identity, customer, "website") == "office.example.ir"


def test_6_killed_in_the_middle_of_a_pull_rows_and_cursor_stay_together(world):
    maryam, customer, laptop = customer_and_laptop(world)
    edit_website(world.at_office("maryam"), maryam, customer, "office.example.ir")
    cursor = state.load(laptop.db).pull_cursor
    crash(_url(laptop), "pull")
    assert state.load(laptop.db).pull_cursor == cursor
    assert read(laptop.services, Identity, customer, "website") is None

    report = laptop.sync()
    assert report.pulled >= 1
    assert read(laptop.services, Identity, customer, "website") == "office.example.ir"
    assert state.load(laptop.db).pull_cursor > cursor
    assert laptop.sync().pulled == 0  # converged: nothing more to read


WRITER = textwrap.dedent(
    """
    import sys
    from app.models import Identity, IdentityPhone
    from app.models.enums import IdentityKind
    from app.services.core.actor import SYSTEM
    from app.services.core.database import Database

    db = Database(sys.argv[1], create=False)
    n = 0
    while True:
        n += 1
        name = f"{sys.argv[2]}-{n}"
        with db.write(SYSTEM) as s:
            person = Identity(kind=IdentityKind.PERSON, display_name=name, name_key=name)
            person.phones.append(IdentityPhone(number=name, number_key=name))
            s.add(person)
        print(n, flush=True)  # only once the commit has returned
    """
)


def _killed_writer(url: str, prefix: str, delay: float) -> int:
    """A writer on the laptop file killed `delay` seconds after its first commit; the last write it reported."""
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, url, prefix], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        first = writer.stdout.readline()
        assert first, f"the writer failed to start:\n{writer.stderr.read()}"
        time.sleep(delay)
        writer.kill()
        rest, _ = writer.communicate(timeout=30)
    finally:
        if writer.poll() is None:
            writer.kill()
            writer.communicate()
    lines = [first, *(line for line in rest.splitlines(keepends=True) if line.endswith("\n"))]
    return int(lines[-1])


def test_7_a_power_cut_during_edits_leaves_every_transaction_queued(tmp_path):
    with sqlite_world(tmp_path) as world:
        world.rep("maryam")
        laptop = world.laptop("maryam")
        url, path = _url(laptop), laptop.db.sqlite_path
        laptop.db.dispose()
    rng = random.Random()
    seed = rng.randrange(1_000_000)
    rng.seed(seed)
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = {f"run{i}": pool.submit(_killed_writer, url, f"run{i}", rng.uniform(0, 0.2)) for i in range(8)}
        reported = {prefix: run.result() for prefix, run in runs.items()}

    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)], f"seed {seed}"
        names = {r[0] for r in conn.execute("SELECT display_name FROM identities")}
        phones = {r[0] for r in conn.execute("SELECT number FROM identity_phones")}
        logged = [r[0] for r in conn.execute("SELECT DISTINCT seq FROM change_log ORDER BY seq")]
        queued = conn.execute("SELECT seq, hlc FROM sync_outbox ORDER BY seq").fetchall()
        last_hlc = conn.execute("SELECT value FROM sync_state WHERE key = 'hlc'").fetchone()[0]
    assert names == phones, f"seed {seed}: a transaction was half written"
    for prefix, last in reported.items():
        assert {f"{prefix}-{n}" for n in range(1, last + 1)} <= names, f"seed {seed}: a reported write is missing"
    assert len(names) == len(logged)  # one journal transaction per write, each of them …
    assert [seq for seq, _ in queued] == logged, f"seed {seed}"  # … with its outbox row
    hlcs = [hlc for _, hlc in queued]
    assert hlcs == sorted(set(hlcs)) and json.loads(last_hlc) == hlcs[-1]  # one clock, never back

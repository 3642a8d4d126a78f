"""A writer killed at random moments (power cut, Task Manager) loses nothing it reported as saved.

A child process writes in a loop through `Database.write` (an identity and its phone in one
transaction) and prints each counter only after the commit returned. The test kills it without
warning (SIGKILL; TerminateProcess on Windows) at random moments, then checks that the file passes
integrity_check, every reported write is there, and no transaction is half there.
"""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from pathlib import Path

import pytest

from tests.conftest import sqlite_url

pytestmark = pytest.mark.sqlite_only  # a writer of the SQLite file is killed

ROOT = Path(__file__).resolve().parent.parent
KILLS = 20
WRITERS_AT_ONCE = 3
MAX_DELAY_S = 0.2  # after the first commit; long enough for checkpoints to happen on the way

WRITER = textwrap.dedent(
    """
    import sys
    from app.models import Identity, IdentityPhone
    from app.models.enums import IdentityKind
    from app.services.core.actor import SYSTEM
    from app.services.core.database import Database

    db = Database(sys.argv[1], create=False)
    prefix = sys.argv[2]
    n = 0
    while True:
        n += 1
        name = f"{prefix}-{n}"
        with db.write(SYSTEM) as s:
            person = Identity(kind=IdentityKind.PERSON, display_name=name, name_key=name)
            person.phones.append(IdentityPhone(number=name, number_key=name))
            s.add(person)
        print(n, flush=True)  # only once the commit has returned
    """
)


def kill_at_random(url: str, prefix: str, delay: float) -> int:
    """Start a writer, let it commit, kill it `delay` seconds later; the last counter it reported."""
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, url, prefix],
        cwd=ROOT,
        env=dict(os.environ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        first = writer.stdout.readline()  # blocks until the writer is inside its loop
        if not first:
            raise AssertionError(f"the writer failed to start:\n{writer.stderr.read()}")
        time.sleep(delay)
        writer.kill()
        # Read through the same buffer as readline(): communicate() reads the pipe itself and lost the
        # counters readline() had read ahead («1\n2\n» at once on a loaded machine).
        rest = writer.stdout.read()
        writer.wait(timeout=30)
    finally:
        if writer.poll() is None:
            writer.kill()
            writer.communicate()
    # A line cut short by the kill has no newline yet: it was not reported.
    lines = [first, *(line for line in rest.splitlines(keepends=True) if line.endswith("\n"))]
    return int(lines[-1])


def test_killed_writer_loses_nothing_it_reported(db) -> None:
    path = db.sqlite_path
    db.dispose()
    seed = random.randrange(1_000_000)
    rng = random.Random(seed)
    delays = {f"run{i}": rng.uniform(0, MAX_DELAY_S) for i in range(KILLS)}
    # A few writers at once: their start-up (imports) overlaps, and they contend for the write lock
    # as two app instances on one file would.
    with ThreadPoolExecutor(max_workers=WRITERS_AT_ONCE) as pool:
        futures = {
            prefix: pool.submit(kill_at_random, sqlite_url(path), prefix, delay) for prefix, delay in delays.items()
        }
        reported = {prefix: future.result() for prefix, future in futures.items()}

    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)], f"seed {seed}"
        names = {row[0] for row in conn.execute("SELECT display_name FROM identities")}
        phones = {row[0] for row in conn.execute("SELECT number FROM identity_phones")}
    assert names == phones, f"seed {seed}: a transaction was half written"
    for prefix, last in reported.items():
        expected = {f"{prefix}-{n}" for n in range(1, last + 1)}
        assert expected <= names, f"seed {seed}: reported writes of {prefix} are missing"
        # At most one more: committed, then killed before its counter was printed.
        assert len({name for name in names if name.startswith(f"{prefix}-")}) <= last + 1, f"seed {seed}"
    assert sum(reported.values()) >= KILLS

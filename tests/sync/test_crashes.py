"""sync.md §4 cases 4-6: a laptop's sync killed (SIGKILL) before the office's COMMIT, after it but before
the laptop's acknowledgement, and in the middle of a pull. The next sync applies each batch exactly once
and leaves rows and cursor consistent."""

from __future__ import annotations

import sys

import pytest
from sqlalchemy import func, select

from app.models import ChangeLogEntry, Identity, SyncBatch, SyncOutbox
from app.services.sync import state
from tests.sync.crash_child import crash
from tests.sync.test_first_sync import person
from tests.sync.world import edit, read

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")


def _setup(world):
    maryam = world.rep("maryam")
    customer = world.at_office("maryam").identities.create(maryam, person("علی", "رضایی", "09121234567")).id
    return maryam, customer, world.laptop("maryam")


def _url(laptop) -> str:
    return laptop.db.url.render_as_string(hide_password=False)


def _ledger(world, laptop) -> list[int]:
    with world.office.db.engine.connect() as conn:
        stmt = select(SyncBatch.batch_no).where(SyncBatch.device_id == laptop.registration.device_id)
        return sorted(conn.execute(stmt).scalars())


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
    maryam, customer, laptop = _setup(world)
    laptop.services.identities.create(maryam, person("سارا", "احمدی", "09131112233"))
    edit_website(laptop, maryam, customer, "laptop.example.ir")
    crash(_url(laptop), "office_commit")
    assert read(world.office, Identity, customer, "website") is None
    assert _ledger(world, laptop) == []
    assert _outbox(laptop) == 2

    report = laptop.sync()
    assert report.pushed == 2
    assert read(world.office, Identity, customer, "website") == "laptop.example.ir"
    assert _ledger(world, laptop) == [1, 2]
    assert (_applied(world, laptop, customer), _outbox(laptop)) == (1, 0)


def test_5_killed_after_the_office_commit_the_stored_answer_comes_back(world):
    maryam, customer, laptop = _setup(world)
    edit_website(laptop, maryam, customer, "laptop.example.ir")
    crash(_url(laptop), "acknowledge")
    assert read(world.office, Identity, customer, "website") == "laptop.example.ir"
    assert (_ledger(world, laptop), _outbox(laptop)) == ([1], 1)  # committed there, not forgotten here

    edit_website(world.at_office("maryam"), maryam, customer, "office.example.ir")
    report = laptop.sync()
    assert report.pushed == 1  # the office's stored answer: not applied again over the later office edit
    assert (_ledger(world, laptop), _applied(world, laptop, customer), _outbox(laptop)) == ([1], 1, 0)
    for services in (world.office, laptop.services):
        assert read(services, Identity, customer, "website") == "office.example.ir"


def test_6_killed_in_the_middle_of_a_pull_rows_and_cursor_stay_together(world):
    maryam, customer, laptop = _setup(world)
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

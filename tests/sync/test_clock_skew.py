"""sync.md §4 case 11: a laptop whose clock is wrong. Its edits are ordered by their time as the office
reads it (the offset measured at each sync), an edit time far in the office's future goes to a person,
and the laptop's hybrid clock never runs back."""

from __future__ import annotations

import datetime as dt
import time
import types

import pytest

from app.models import Identity
from app.services.sync import clock, handshake
from tests.sync.test_first_sync import person
from tests.sync.world import conflicts, edit, read

HOUR = 3600.0


def _laptop_clock(monkeypatch, skew_s: float) -> None:
    """The laptop's edits read a clock `skew_s` seconds off."""
    real = time.time
    monkeypatch.setattr(clock, "time", types.SimpleNamespace(time=lambda: real() + skew_s))


def _sync_clock(monkeypatch, skew_s: float) -> None:
    """The handshake compares the office's time with a clock `skew_s` seconds off."""

    class Skewed(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return dt.datetime.now(tz) + dt.timedelta(seconds=skew_s)

    monkeypatch.setattr(handshake, "dt", types.SimpleNamespace(datetime=Skewed, UTC=dt.UTC))


def _setup(world):
    maryam = world.rep("maryam")
    customer = world.at_office("maryam").identities.create(maryam, person("علی", "رضایی", "09121234567")).id
    return maryam, customer, world.laptop("maryam")


def _after_a_moment() -> None:
    time.sleep(0.05)  # the next edit is later by the true clock


def test_11_a_laptop_two_hours_behind_still_wins_with_its_later_edit(world, monkeypatch):
    maryam, customer, laptop = _setup(world)
    _laptop_clock(monkeypatch, -2 * HOUR)
    _sync_clock(monkeypatch, -2 * HOUR)
    edit(world.office, world.admin, Identity, customer, website="office.example.ir")
    _after_a_moment()
    edit(laptop.services, maryam, Identity, customer, website="laptop.example.ir")  # later, though it reads earlier
    laptop.sync()
    assert read(world.office, Identity, customer, "website") == "laptop.example.ir"
    (row,) = conflicts(world.office)
    assert row[3:5] == ("auto", "device")


def test_11_a_laptop_two_hours_ahead_loses_with_its_earlier_edit(world, monkeypatch):
    maryam, customer, laptop = _setup(world)
    _laptop_clock(monkeypatch, 2 * HOUR)
    _sync_clock(monkeypatch, 2 * HOUR)
    edit(laptop.services, maryam, Identity, customer, website="laptop.example.ir")  # earlier, though it reads later
    _after_a_moment()
    edit(world.office, world.admin, Identity, customer, website="office.example.ir")
    laptop.sync()
    assert read(world.office, Identity, customer, "website") == "office.example.ir"
    assert read(laptop.services, Identity, customer, "website") == "office.example.ir"
    (row,) = conflicts(world.office)
    assert row[3:5] == ("auto", "server")


def test_11_an_edit_a_year_ahead_is_not_believed(world, monkeypatch):
    maryam, customer, laptop = _setup(world)
    edit(world.office, world.admin, Identity, customer, website="office.example.ir")
    _laptop_clock(monkeypatch, 366 * 24 * HOUR)  # set a year ahead while offline, put right before the sync
    edit(laptop.services, maryam, Identity, customer, website="laptop.example.ir")
    monkeypatch.undo()
    laptop.sync()
    assert read(world.office, Identity, customer, "website") == "office.example.ir"
    (row,) = conflicts(world.office)
    assert row == ("identities", "website", "update_update", "open", None, "office.example.ir", "laptop.example.ir")


@pytest.mark.parametrize("jumps", [[0, -5_000, -3_600_000, 10, 20], [100, 100, 100, 99]])
def test_11_the_hybrid_clock_never_runs_back(jumps):
    start = 1_780_000_000_000
    readings, last = [], None
    for step in jumps:
        last = clock.tick(last, start + step)
        readings.append(last)
    assert readings == sorted(set(readings))  # strictly later each time, as text and as time
    assert clock.tick(readings[-1], start + 10**6) == f"{start + 10**6:013d}:0000"  # the clock catches up


def test_11_the_office_reads_an_edit_time_through_the_offset():
    reading = clock.tick(None, 1_780_000_000_000)
    assert clock.edit_time(reading, 7_200_000) == dt.datetime.fromtimestamp(1_780_007_200, dt.UTC)
    office_now = clock.edit_time(reading, 0)
    assert clock.believable(office_now + clock.CLAMP, office_now)
    assert not clock.believable(office_now + clock.CLAMP + dt.timedelta(seconds=1), office_now)

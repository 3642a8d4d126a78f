"""Reminders: the next due time, what is ready, acknowledging and snoozing, missed ones."""

from __future__ import annotations

import datetime as dt

import pytest

from app.services.activities.reminders import MISSED_WINDOW
from app.services.activities.service import ActivityData, Postpone
from app.services.core.errors import NotFound
from tests.services.activity_helpers import NOW, TEHRAN, add_identity, add_user, at


@pytest.fixture
def identity(services, admin):
    return add_identity(services, admin)


def _plan(services, admin, identity, due, summary="تماس"):
    return services.activities.plan(admin, ActivityData(identity.id, summary, due))


def test_next_time_is_the_earliest_pending_reminder(services, admin, identity) -> None:
    assert services.reminders.next_time(admin, NOW) is None
    _plan(services, admin, identity, at(22, 15))
    _plan(services, admin, identity, at(22, 11))
    assert services.reminders.next_time(admin, NOW) == at(22, 11)
    assert services.reminders.due(admin, NOW) == []


def test_due_reminders_are_raised_once(services, admin, identity) -> None:
    call = _plan(services, admin, identity, at(22, 9, 58))
    due = services.reminders.due(admin, NOW)
    assert [r.id for r in due] == [call.id] and due[0].identity_name == identity.display_name
    version = services.activities.get(admin, call.id).version
    services.reminders.acknowledge(admin, [call.id], NOW)
    assert services.reminders.due(admin, NOW + dt.timedelta(minutes=5)) == []
    assert services.activities.get(admin, call.id).version == version  # bookkeeping, not an edit


def test_snooze_brings_it_back_later(services, admin, identity) -> None:
    call = _plan(services, admin, identity, at(22, 9, 58))
    services.reminders.acknowledge(admin, [call.id], NOW)
    until = services.reminders.snooze(admin, call.id, 10, NOW)
    assert until == NOW + dt.timedelta(minutes=10)
    assert services.reminders.next_time(admin, NOW) == until
    assert services.reminders.due(admin, NOW + dt.timedelta(minutes=9)) == []
    assert [r.id for r in services.reminders.due(admin, until)] == [call.id]


def test_postponing_rearms_the_reminder(services, admin, identity) -> None:
    call = _plan(services, admin, identity, at(22, 9, 58))
    services.reminders.acknowledge(admin, [call.id], NOW)
    services.activities.postpone(admin, call.id, Postpone.TOMORROW, now=NOW, tz=TEHRAN)
    assert services.reminders.next_time(admin, NOW) == at(23, 9, 58)


def test_old_overdue_activities_are_not_reminded_done_ones_neither(services, admin, identity) -> None:
    _plan(services, admin, identity, NOW - MISSED_WINDOW - dt.timedelta(minutes=1))
    done = _plan(services, admin, identity, at(22, 9))
    services.activities.mark_done(admin, done.id, None)
    recent = _plan(services, admin, identity, NOW - dt.timedelta(hours=5))
    assert [r.id for r in services.reminders.due(admin, NOW)] == [recent.id]


def test_only_the_assignee_is_reminded(services, admin, identity) -> None:
    call = _plan(services, admin, identity, at(22, 9))
    rep = add_user(services, "rep")
    assert services.reminders.due(rep, NOW) == []
    with pytest.raises(NotFound):
        services.reminders.snooze(rep, call.id, 10, NOW)

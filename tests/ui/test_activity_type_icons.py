"""Activity-type icons: chosen by Persian names, and the chosen icon is the one lists show."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import datetime as dt

import pytest

from app.models import ActivityKind, utcnow
from app.services.activities.activity_types import ICONS, ActivityTypeData, ensure_builtin_types
from app.services.activities.service import ActivityData
from app.ui.activities.activity_types_dialog import ActivityTypesDialog
from app.ui.activities.cardboard_dock import CardboardPanel
from app.ui.activities.record_activities import RecordActivities
from app.ui.common.activity_icons import type_icon
from tests.services.activity_helpers import add_identity


@pytest.fixture
def starred(services, admin):
    """A «پیگیری ویژه» type with the star icon and one activity of it, due in an hour."""
    ensure_builtin_types(services.db)
    kind = services.activity_types.save(admin, ActivityTypeData("پیگیری ویژه", ActivityKind.CALL, icon="star"), None)
    identity = add_identity(services, admin, "شرکت آلفا")
    data = ActivityData(identity.id, "تماس ویژه", utcnow() + dt.timedelta(hours=1), ActivityKind.CALL, type_id=kind.id)
    return identity, services.activities.plan(admin, data)


def test_icons_are_offered_by_persian_names(qtbot, services, admin):
    dialog = ActivityTypesDialog(services, admin)
    qtbot.addWidget(dialog)
    names = [dialog.icon.itemText(i) for i in range(dialog.icon.count())]
    assert len(names) == len(ICONS)
    assert "ستاره" in names and "تلفن" in names
    assert not any(name.isascii() for name in names)
    dialog.icon.setCurrentIndex(names.index("ستاره"))
    assert dialog.value().icon == "star"


def test_record_activities_show_the_types_icon(qtbot, services, admin, starred):
    identity, activity = starred
    panel = RecordActivities(services, admin)
    qtbot.addWidget(panel)
    panel.set_record(identity_id=identity.id)
    panel.show()
    qtbot.waitUntil(lambda: panel.tree.topLevelItem(0) is not None and panel.tree.topLevelItem(0).childCount() == 1)
    item = panel.tree.topLevelItem(0).child(0)
    assert item.icon(0).cacheKey() == type_icon("star").cacheKey()
    assert item.icon(0).cacheKey() != type_icon("phone").cacheKey()


def test_the_cardboard_shows_the_types_icon(qtbot, services, admin, starred):
    _identity, activity = starred
    panel = CardboardPanel(services, admin)
    qtbot.addWidget(panel)
    panel.show()
    panel.refresh()
    [item] = [i for i in panel.items_of("today") + panel.items_of("next_7_days") if i.text(0).startswith("تماس ویژه")]
    assert item.icon(0).cacheKey() == type_icon("star").cacheKey()

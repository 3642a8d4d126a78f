"""The calendar as a planner uses it: drag an activity to another day, show the completed ones, read a
long title on hover."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from app.services.activities.service import ActivityData
from app.ui.activities.calendar_view import CalendarView
from tests.services.activity_helpers import add_identity
from tests.ui.activity_ui import persian_widget

DUE = dt.datetime(2026, 11, 24, 10, 30).astimezone()
LONG_TITLE = "تماس پیگیری پیش‌فاکتور ارسال‌شده برای تجهیز کامل سالن همایش طبقه دوم ساختمان مرکزی"


@pytest.fixture
def view(qtbot, services, admin, call):
    widget = persian_widget(CalendarView(services, admin))
    qtbot.addWidget(widget)
    widget.resize(1100, 760)
    widget.show()
    widget.anchor = DUE.date()
    widget.refresh()
    return widget


@pytest.fixture
def call(services, admin):
    identity = add_identity(services, admin, "شرکت آلفا")
    return services.activities.plan(admin, ActivityData(identity.id, LONG_TITLE, DUE))


def _drag(view: CalendarView, from_day: dt.date, to_day: dt.date) -> None:
    """What a drag and drop delivers: the dragged row's data entering, then dropped on, the other day."""
    source = view.cell_for(from_day).items
    data = source.mimeData([source.item(0)])
    target = view.cell_for(to_day).items.viewport()
    copy, left, no_keys = Qt.DropAction.CopyAction, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    QApplication.sendEvent(target, QDragEnterEvent(QPoint(5, 5), copy, data, left, no_keys))
    QApplication.sendEvent(target, QDropEvent(QPointF(5, 5), copy, data, left, no_keys))


def test_dragging_an_activity_to_another_day_reschedules_it(qtbot, view, services, admin, call) -> None:
    later = DUE.date() + dt.timedelta(days=2)
    _drag(view, DUE.date(), later)
    qtbot.waitUntil(lambda: view.cell_for(later).activity_ids() == [call.id], timeout=3000)
    moved = services.activities.get(admin, call.id).due_at.astimezone()
    assert moved.date() == later and (moved.hour, moved.minute) == (10, 30)  # same time of day
    assert view.cell_for(DUE.date()).activity_ids() == []


def test_completed_activities_show_when_asked_and_stay_put(view, services, admin, call) -> None:
    services.activities.mark_done(admin, call.id, "قرار جلسه گذاشته شد")
    view.refresh()
    assert call.id not in view.cell_for(DUE.date()).activity_ids()
    view.done_box.setChecked(True)
    cell = view.cell_for(DUE.date())
    assert call.id in cell.activity_ids()
    item = cell.items.item(cell.activity_ids().index(call.id))
    assert item.text().startswith("✓") and not item.flags() & Qt.ItemFlag.ItemIsDragEnabled


def test_an_entry_shows_its_whole_title_on_hover(view, call) -> None:
    item = view.cell_for(DUE.date()).items.item(0)
    assert item.toolTip().splitlines()[0] == LONG_TITLE

"""An activity opened in a tab: details, actions, following, and its files (attach, open, save-as)."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog

from app.models import ActivityKind, ActivityState, utcnow
from app.services.activities.service import ActivityData
from app.ui.activities.activity_form import ActivityForm
from app.ui.record_tabs import RecordTabs
from tests.conftest import TEST_OUTPUT
from tests.services.activity_helpers import add_identity, add_opportunity
from tests.ui.activity_ui import persian_widget


@pytest.fixture
def meeting(services, admin):
    identity = add_identity(services, admin, "شرکت آلفا")
    guest = add_identity(services, admin, "مهندس کریمی")
    opp = add_opportunity(services, admin, identity, "فروش ۵۰ دستگاه پرینتر")
    return services.activities.plan(
        admin,
        ActivityData(
            None,
            "جلسه نمایش محصول",
            utcnow() + dt.timedelta(days=1),
            ActivityKind.MEETING,
            opportunity_id=opp.id,
            place="دفتر مشتری",
            attendee_identity_ids=(guest.id,),
        ),
    )


@pytest.fixture
def form(qtbot, services, admin, meeting):
    tabs = persian_widget(RecordTabs())
    qtbot.addWidget(tabs)
    tabs.attach(services, admin)
    tabs.resize(800, 600)
    tabs.show()
    yield tabs.open_record("activity", meeting.id)


def test_form_shows_the_meeting(form, meeting) -> None:
    assert isinstance(form, ActivityForm)
    assert form.title() == "فعالیت: جلسه نمایش محصول"
    text = {key: label.text().lstrip("\u200f") for key, label in form.labels.items()}
    assert text["place"] == "دفتر مشتری" and text["attendees"] == "مهندس کریمی"
    assert text["opportunity"] == "فروش ۵۰ دستگاه پرینتر" and text["type"] == "جلسه"
    assert form.badge.text() == "برنامه‌ریزی‌شده" and form.done_button.isEnabled()
    form.grab().save(str(TEST_OUTPUT / "activity_form.png"))


def test_follow_toggle(form, services, admin, meeting) -> None:
    form.follow_button.click()
    assert services.followers.is_following(admin, "activities", meeting.id)
    assert form.follow_button.text() == "دنبال می‌کنید"
    form.follow_button.click()
    assert not services.followers.is_following(admin, "activities", meeting.id)


def test_cancel_updates_the_form(form, services, admin, meeting, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    form.cancel_button.click()
    assert services.activities.get(admin, meeting.id).state is ActivityState.CANCELLED
    assert form.badge.text() == "لغوشده" and not form.done_button.isEnabled()


def test_files_round_trip_through_the_widget(form, services, admin, tmp_path, monkeypatch) -> None:
    widget = form.attachments
    source = tmp_path / "صورتجلسه.txt"
    source.write_text("صورتجلسه نمایش محصول\n", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(source)], ""))
    widget.add_button.click()
    assert widget.tree.topLevelItemCount() == 1 and widget.tree.topLevelItem(0).text(0) == "صورتجلسه.txt"
    widget.tree.setCurrentItem(widget.tree.topLevelItem(0))
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(QUrl(url).toLocalFile()) or True)
    widget.open_button.click()
    assert opened and open(opened[0], "rb").read() == source.read_bytes()
    target = tmp_path / "copy.txt"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    widget.save_button.click()
    assert hashlib.sha256(target.read_bytes()).hexdigest() == hashlib.sha256(source.read_bytes()).hexdigest()

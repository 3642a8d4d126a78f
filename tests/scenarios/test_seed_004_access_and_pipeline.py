"""Seed 004, «ماژول CRM» (Odoo's CRM as an office uses it), as a sales team lives it through the windows
they click. The office: an administrator, a team leader, two own-documents reps in the team (رضا، the
rep; مینا، the mate) and a rep outside it. The administrator has set up the activity type «ارسال
پیش‌فاکتور», whose next activity, a call three days after it is done, is started at once (the seed's
«شروع فعالیت بعدی»).

1. The rep records two opportunities on his customer from the opportunity form.
2. Access levels: the rep's list shows his own only and a colleague's opportunity opens as «بدون دسترسی»;
   the leader sees the team's under «تیم من» and only his own under «فرصت‌های من»; the administrator
   sees everyone's under «همه».
3. The pipeline: the rep drags a card from «جدید» to the next stage on the board.
4. Chained activities: from the cardboard he plans «ارسال پیش‌فاکتور» for it, marks it done with a
   result, and the next call is planned by itself, three days on.
5. Won, lost, restored: the first opportunity is won; the second is lost with a reason, then restored.
6. A follower: the leader adds مینا as a follower of the restored opportunity; she now sees it.
7. Merge: two identities of the same caller are merged from the identity list's «تکراری‌ها», and the
   merge is undone from the survivor's «تاریخچه».
"""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from app.models import ActivityKind, OpportunityStatus
from app.models.enums import DelayFrom, DelayUnit, NextActivityMode
from app.services.activities.activity_types import ActivityTypeData
from app.services.identities.records import IdentityData, PhoneData
from app.services.opportunities.queries import OpportunityQuery
from app.ui.activities.activity_actions import DoneDialog
from app.ui.activities.activity_dialog import ActivityDialog
from app.ui.activities.cardboard_dock import CardboardPanel
from app.ui.identities.duplicates_dialog import DuplicatesDialog
from app.ui.identities.identity_dock import identity_panel
from app.ui.identities.identity_form import IdentityForm
from app.ui.identities.merge_dialog import MergeDialog
from app.ui.opportunities.close_dialogs import LostDialog, RestoreDialog, WonDialog
from app.ui.opportunities.opportunity_dock import OpportunityDock
from app.ui.opportunities.opportunity_form import OpportunityForm
from app.ui.qt_setup import configure_application
from app.ui.record_tabs import RecordTabs
from tests.services.sales_helpers import build, identity
from tests.ui.activity_ui import when_dialog
from tests.ui.persian_typing import type_text


@pytest.fixture(autouse=True)
def yes(monkeypatch):
    """Every «… شود؟» the team is asked is answered yes."""
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)


@pytest.fixture
def office(services):
    sales = build(services)
    call = services.activity_types.builtin(sales.admin, ActivityKind.CALL)
    chained = ActivityTypeData(
        "ارسال پیش‌فاکتور",
        ActivityKind.TASK,
        icon="mail",
        next_mode=NextActivityMode.AUTO,
        next_type_id=call.id,
        next_delay=3,
        next_delay_unit=DelayUnit.DAYS,
        next_from=DelayFrom.COMPLETION,
    )
    services.activity_types.save(sales.admin, chained)
    sales.new(actor=sales.mate, identity_id=identity(services, sales.mate, "شرکت بتا"), title="فرصت مینا")
    sales.new(actor=sales.other, identity_id=identity(services, sales.other, "شرکت گاما"), title="فرصت بیرونی")
    return sales


def _show(qtbot, widget, width: int = 1200, height: int = 900):
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    return widget


def _tabs(qtbot, office, actor) -> RecordTabs:
    configure_application(QApplication.instance())
    tabs = RecordTabs()
    tabs.attach(office.services, actor)
    return _show(qtbot, tabs)


def _list_titles(dock: OpportunityDock) -> set[str]:
    dock.show_view("list")
    dock.refresh()
    titles = {dock.model.row_at(dock.model.index(r, 0)).title for r in range(dock.model.rowCount())}
    assert dock.model.total() == len(titles)
    return titles


def _choose(combo, label: str) -> None:
    index = combo.findText(label)
    assert index >= 0, label
    combo.setCurrentIndex(index)


def _drop_on(view, mime) -> None:
    """Enter, move and drop on a board column as Qt delivers a drag (each event starts ignored)."""
    args = (Qt.DropAction.MoveAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    for event in (QDragEnterEvent(QPoint(20, 20), *args), QDragMoveEvent(QPoint(20, 20), *args)):
        event.ignore()
        QApplication.sendEvent(view.viewport(), event)
    drop = QDropEvent(QPointF(20, 20), *args)
    drop.ignore()
    QApplication.sendEvent(view.viewport(), drop)


def _new_opportunity(tabs: RecordTabs, office, title: str) -> OpportunityForm:
    form = tabs.open_record("opportunity", None)
    assert isinstance(form, OpportunityForm)
    form.set_identity(office.customer, "شرکت آلفا")
    type_text(form.title_edit, title)
    assert form.save(), {k: r.error.text() for k, r in form.rows.items() if r.error.text()}
    return form


def test_a_sales_team_through_access_levels_the_pipeline_and_a_merge(qtbot, office) -> None:
    services, rep, leader, admin = office.services, office.rep, office.leader, office.admin

    # 1. the rep's two opportunities
    rep_tabs = _tabs(qtbot, office, rep)
    printer = _new_opportunity(rep_tabs, office, "پرینتر برای بانک").detail.id
    cable = _new_opportunity(rep_tabs, office, "کابل شبکه").detail.id

    # 2. access levels
    rep_dock = _show(qtbot, OpportunityDock(services, rep))
    assert _list_titles(rep_dock) == {"پرینتر برای بانک", "کابل شبکه"}
    assert [rep_dock.filters.scope.itemText(i) for i in range(rep_dock.filters.scope.count())] == [
        "همه",
        "فرصت‌های من",
    ]  # a rep leads no team
    mate_opportunity = services.opportunities.search(office.mate, OpportunityQuery())[0].id
    refused = rep_tabs.open_record("opportunity", mate_opportunity)
    assert rep_tabs.tabText(rep_tabs.indexOf(refused)) == "بدون دسترسی"

    leader_dock = _show(qtbot, OpportunityDock(services, leader))
    _choose(leader_dock.filters.scope, "تیم من")
    assert _list_titles(leader_dock) == {"پرینتر برای بانک", "کابل شبکه", "فرصت مینا"}
    _choose(leader_dock.filters.scope, "فرصت‌های من")
    assert _list_titles(leader_dock) == set()
    admin_dock = _show(qtbot, OpportunityDock(services, admin))
    assert _list_titles(admin_dock) == {"پرینتر برای بانک", "کابل شبکه", "فرصت مینا", "فرصت بیرونی"}

    # 3. the pipeline: a card dragged to the next stage
    rep_dock.show_view("board")
    new, qualified = rep_dock.board.columns[0], rep_dock.board.columns[1]
    row = next(i for i in range(new.model.count()) if new.model.card_at(i).id == printer)
    _drop_on(qualified.view, new.model.mimeData([new.model.index(row)]))
    assert qualified.model.row_of(printer) >= 0 and new.model.row_of(printer) < 0
    assert services.opportunity_records.get(rep, printer).stage_name == office.stages[1].name

    # 4. chained activities, from the cardboard
    cardboard = _show(qtbot, CardboardPanel(services, rep), 520, 700)
    cardboard.refresh()
    assert {i.text(0) for i in cardboard.items_of("no_plan")} == {"پرینتر برای بانک", "کابل شبکه"}
    assert cardboard.select("opportunity", printer)

    def plan(dialog: ActivityDialog) -> None:
        _choose(dialog.type_box, "ارسال پیش‌فاکتور")
        dialog.date.set_date_value(dt.date.today())
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()

    failures = when_dialog(ActivityDialog, plan)
    cardboard.plan_button.click()
    assert not failures, failures
    cardboard.refresh()
    [task] = cardboard.items_of("today")
    assert task.text(0) == "ارسال پیش‌فاکتور — پرینتر برای بانک"
    cardboard.tree.setCurrentItem(task)

    def done(dialog: DoneDialog) -> None:
        type_text(dialog.result_edit, "پیش‌فاکتور با ایمیل رفت")
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()

    failures = when_dialog(DoneDialog, done)
    cardboard.done_button.click()
    assert not failures, failures
    cardboard.refresh()
    assert cardboard.items_of("today") == []
    [call] = cardboard.items_of("next_7_days")  # the next activity, planned by itself
    assert call.text(0).endswith("— پرینتر برای بانک")
    next_call = services.activities.get(rep, call.data(0, Qt.ItemDataRole.UserRole)[1])
    assert next_call.kind is ActivityKind.CALL and next_call.due_at.date() == dt.date.today() + dt.timedelta(days=3)

    # 5. won; lost with a reason, then restored
    won_form = rep_tabs.open_record("opportunity", printer)
    failures = when_dialog(WonDialog, lambda dialog: dialog.accept())
    won_form.won_button.click()
    assert not failures, failures
    assert won_form.detail.status is OpportunityStatus.WON and "برنده" in won_form.result.text()

    lost_form = rep_tabs.open_record("opportunity", cable)

    def lose(dialog: LostDialog) -> None:
        dialog.reason.setCurrentIndex(1)
        type_text(dialog.note, "قیمت رقیب پایین‌تر بود")
        dialog.accept()

    failures = when_dialog(LostDialog, lose)
    lost_form.lost_button.click()
    assert not failures, failures
    assert lost_form.detail.status is OpportunityStatus.LOST and lost_form.restore_button.isVisibleTo(lost_form)
    on_board = lambda: {c.id for col in rep_dock.board.columns for c in col.model.cards}  # noqa: E731
    qtbot.waitUntil(lambda: cable not in on_board(), timeout=3000)  # lost ones leave the board
    failures = when_dialog(RestoreDialog, lambda dialog: dialog.accept())  # back to its first stage
    lost_form.restore_button.click()
    assert not failures, failures
    assert lost_form.detail.status is OpportunityStatus.OPEN and not lost_form.restore_button.isVisibleTo(lost_form)
    qtbot.waitUntil(lambda: cable in on_board(), timeout=3000)  # restored, back on the board

    # 6. the leader adds مینا as a follower of the restored opportunity
    assert cable not in {r.id for r in services.opportunities.search(office.mate, OpportunityQuery())}
    leader_tabs = _tabs(qtbot, office, leader)
    page = leader_tabs.open_record("opportunity", cable)
    followers = page.activities.followers
    page.tabs.setCurrentWidget(followers)
    _choose(followers.picker, "rep two")
    qtbot.mouseClick(followers.add_button, Qt.MouseButton.LeftButton)
    assert followers.names() == ["rep two"]
    assert cable in {r.id for r in services.opportunities.search(office.mate, OpportunityQuery())}

    # 7. two records of one caller merged from the identity list, then the merge undone
    first = services.identities.create(rep, IdentityData(last_name="کاظمی", phones=[PhoneData("09121234567")]))
    second = services.identities.create(
        rep, IdentityData(last_name="کاظمی تهران", phones=[PhoneData("09121234567")]), allow_duplicates=True
    )
    people = _show(qtbot, identity_panel(services, rep), 800, 600)
    people.refresh()
    row = next(r for r in range(people.model.rowCount()) if people.model.row_at(r).id == first.id)
    people.table.setCurrentIndex(people.model.index(row, 0))

    failures = when_dialog(DuplicatesDialog, lambda dialog: dialog.merge_button.click())
    failures += when_dialog(MergeDialog, lambda dialog: dialog.accept())
    people.duplicates_action.trigger()
    assert not failures, failures
    assert services.identities.get(admin, second.id).merged_into_id == first.id
    listed = lambda: {people.model.row_at(r).id for r in range(people.model.rowCount())}  # noqa: E731
    qtbot.waitUntil(lambda: second.id not in listed(), timeout=3000)  # the list follows the merge

    survivor = rep_tabs.open_record("identity", first.id)
    assert isinstance(survivor, IdentityForm)
    survivor.tabs.setCurrentWidget(survivor.history)
    survivor.history.merges.setCurrentRow(0)
    survivor.history.undo_button.click()
    assert services.identities.get(rep, second.id).merged_into_id is None
    qtbot.waitUntil(lambda: second.id in listed(), timeout=3000)

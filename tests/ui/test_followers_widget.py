"""«دنبال‌کنندگان» on the identity and opportunity forms (issue 15, seed 004): a team leader adds a
colleague from the picker and removes her; a colleague who can no longer see the record is refused
with the reason, in Persian, under the picker."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.models import SalesTeam
from app.services.core.actor import SYSTEM
from app.ui.identities.identity_form import IdentityForm
from app.ui.opportunities.opportunity_form import OpportunityForm
from app.ui.qt_setup import configure_application
from app.ui.record_tabs import RecordTabs


def _tabs_as(qtbot, sales, actor) -> RecordTabs:
    configure_application(QApplication.instance())
    tabs = RecordTabs()
    tabs.resize(1200, 900)
    qtbot.addWidget(tabs)
    tabs.attach(sales.services, actor)
    tabs.show()
    return tabs


def _followers_tab(page):
    assert isinstance(page, IdentityForm | OpportunityForm)
    widget = page.activities.followers
    page.tabs.setCurrentWidget(widget)
    assert page.tabs.tabText(page.tabs.currentIndex()) == "دنبال‌کنندگان"
    return widget


def _choices(widget) -> list[str]:
    return [widget.picker.itemText(i) for i in range(widget.picker.count())]


def test_a_leader_adds_and_removes_a_team_member_on_an_identity(qtbot, sales) -> None:
    tabs = _tabs_as(qtbot, sales, sales.leader)
    widget = _followers_tab(tabs.open_record("identity", sales.customer))
    assert widget.empty.isVisible() and widget.names() == []
    assert {"rep one", "rep two"} <= set(_choices(widget)) and "rep three" not in _choices(widget)
    widget.picker.setCurrentIndex(widget.picker.findText("rep two"))
    qtbot.mouseClick(widget.add_button, Qt.MouseButton.LeftButton)
    assert widget.names() == ["rep two"] and not widget.empty.isVisible()
    assert "rep two" not in _choices(widget)
    assert sales.services.identities.get(sales.mate, sales.customer).display_name == "شرکت آلفا"

    widget.list.setCurrentRow(0)
    qtbot.mouseClick(widget.remove_button, Qt.MouseButton.LeftButton)
    assert widget.names() == [] and widget.empty.isVisible() and "rep two" in _choices(widget)
    assert sales.services.followers.followers(sales.admin, "identities", sales.customer) == []


def test_a_colleague_who_no_longer_sees_the_opportunity_is_refused_with_the_reason(qtbot, sales) -> None:
    opp = sales.new(title="فرصت مشترک")
    tabs = _tabs_as(qtbot, sales, sales.rep)
    widget = _followers_tab(tabs.open_record("opportunity", opp))
    assert "leader" in _choices(widget) and "rep two" not in _choices(widget)  # the mate does not see it
    with sales.services.db.write(SYSTEM) as s:  # meanwhile the leader hands the team over
        s.query(SalesTeam).update({SalesTeam.leader_id: None})
    widget.picker.setCurrentIndex(widget.picker.findText("leader"))
    qtbot.mouseClick(widget.add_button, Qt.MouseButton.LeftButton)
    assert widget.error.isVisible()
    assert widget.error.text().startswith("«leader» این فرصت را نمی‌بیند")
    assert widget.names() == [] and "leader" not in _choices(widget)

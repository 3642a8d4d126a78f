"""«تیم من» as a team leader picks it on the cardboard, the opportunity list and board and the identity
list (issue 15, seed 004): each section's and list's count equals the rows it shows."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from app.persian import format_number
from app.ui.activities.cardboard_dock import CardboardPanel
from app.ui.identities.identity_dock import identity_panel
from app.ui.opportunities.opportunity_dock import OpportunityDock
from tests.services.test_team_scope import team_office
from tests.ui.activity_ui import persian_widget


@pytest.fixture
def office(services):
    return team_office(services)


def _show(qtbot, widget):
    widget = persian_widget(widget)
    qtbot.addWidget(widget)
    widget.resize(700, 700)
    widget.show()
    return widget


def _choose(combo, label: str) -> None:
    assert label in [combo.itemText(i) for i in range(combo.count())]
    combo.setCurrentIndex(combo.findText(label))


def test_the_leaders_cardboard_shows_the_team_with_true_counts(qtbot, office) -> None:
    panel = _show(qtbot, CardboardPanel(office.services, office.leader))
    panel.refresh()
    assert panel.scope.isVisible() and panel.scope.currentText() == "من"
    assert [i.text(1) for i in panel.items_of("overdue")] == ["شرکت دلتا"]
    _choose(panel.scope, "تیم من")
    assert sorted(i.text(1) for i in panel.items_of("overdue")) == sorted(["شرکت بتا", "شرکت دلتا"])
    for top in range(panel.topLevelItemCount()):
        head = panel.topLevelItem(top)
        key = head.data(0, 256)[1]
        assert head.text(0).endswith(f"({format_number(len(panel.items_of(key)))})"), head.text(0)
    assert [i.text(0) for i in panel.items_of("no_plan")] == ["فرصت آلفا"]


def test_a_plain_rep_has_no_scope_to_choose_on_the_cardboard(qtbot, office) -> None:
    panel = _show(qtbot, CardboardPanel(office.services, office.rep))
    assert not panel.scope.isVisible()


def test_the_leaders_opportunity_list_and_board_in_my_team(qtbot, office) -> None:
    dock = _show(qtbot, OpportunityDock(office.services, office.leader))
    _choose(dock.filters.scope, "تیم من")
    qtbot.waitUntil(lambda: dock.model.total() == 3, timeout=3000)
    titles = {dock.model.row_at(dock.model.index(r, 0)).title for r in range(dock.model.rowCount())}
    assert titles == {"فرصت آلفا", "فرصت شرکت بتا", "فرصت شرکت دلتا"}
    assert dock.footer.text() == "۳ مورد"
    dock.board_button.click()
    assert sum(c.model.count() for c in dock.board.columns) == 3 and dock.footer.text() == "۳ مورد"
    _choose(dock.filters.scope, "فرصت‌های من")
    assert sum(c.model.count() for c in dock.board.columns) == 1


def test_the_leaders_identity_list_in_my_team(qtbot, office, tmp_path) -> None:
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    panel = _show(qtbot, identity_panel(office.services, office.leader, settings))
    assert [panel.scope.itemText(i) for i in range(panel.scope.count())] == ["همه", "هویت‌های من", "تیم من"]
    _choose(panel.scope, "هویت‌های من")
    qtbot.waitUntil(lambda: panel.model.total() == 1, timeout=3000)
    _choose(panel.scope, "تیم من")
    qtbot.waitUntil(lambda: panel.model.total() == 3, timeout=3000)
    names = {panel.model.row_at(i).display_name for i in range(panel.model.rowCount())}
    assert names == {"شرکت آلفا", "شرکت بتا", "شرکت دلتا"} and panel.footer.text() == "۳ مورد"

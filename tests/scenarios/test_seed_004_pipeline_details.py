"""Seed 004, «ماژول CRM»: the pipeline's details as an office clicks them. The office: an administrator,
the leader of «تیم فروش تهران» with two reps in it (رضا، the rep; مینا، the mate) and a rep outside it.

1. Several teams (seed: «مخاطب چندین تیم»): the administrator ticks «تیم فروش تهران» among the outside
   rep's other teams in the user dialog; the leader's board under «تیم من» now shows that rep's deal.
2. Tags («تگ‌ها»): on the tags page the administrator colours «عمده» green; the rep's card shows it green.
3. Priority («با انتخاب ستاره‌ها می‌توان اولویت‌هایی به فرصت داد»): the rep clicks three stars on a card
   and filters the board to «★★★».
4. Folded stages: the administrator folds «واجد شرایط» for everyone; the rep unfolds it for himself by
   clicking its strip, and it stays folded for مینا.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QPushButton

from app.services.admin.teams import TeamService
from app.ui.admin.tags_dialog import TagsDialog
from app.ui.admin.users_dialog import UserDialog
from app.ui.opportunities.admin_dialogs import PipelinesDialog
from app.ui.opportunities.opportunity_dock import OpportunityDock
from app.ui.opportunities.star_click import stars_rect
from tests.services.sales_helpers import build, identity


def _dock(qtbot, office, actor) -> OpportunityDock:
    dock = OpportunityDock(office.services, actor)
    qtbot.addWidget(dock)
    dock.resize(1300, 700)
    dock.show()
    dock.show_view("board")
    return dock


def _cards(dock) -> dict:
    return {col.model.card_at(r).title: col.model.card_at(r) for col in dock.board.columns
            for r in range(col.model.count())}  # fmt: skip


def _choose(combo, text: str) -> None:
    combo.setCurrentIndex(combo.findText(text))


def _click(qtbot, dialog, text: str) -> None:
    button = next(b for b in dialog.findChildren(QPushButton) if b.text() == text)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_pipeline_details_of_seed_004(qtbot, services) -> None:
    office = build(services)
    outside = office.new(office.other, title="قرارداد بیرونی", identity_id=identity(services, office.other, "شرکت بتا"))
    office.new(title="پرینتر عمده", tags=("عمده",), stage_id=office.stage("واجد شرایط").id)
    office.new(title="کابل", amount=5_000_000)

    # 1. Several teams: the outside rep joins the leader's team as another team of his.
    leader_dock = _dock(qtbot, office, office.leader)
    _choose(leader_dock.filters.scope, "تیم من")
    qtbot.waitUntil(lambda: set(_cards(leader_dock)) == {"پرینتر عمده", "کابل"})
    teams = TeamService(services.db).list_teams(office.admin)
    user = UserDialog(services.users, office.admin, teams, services.users.get_by_login(office.admin, "rep_three"))
    qtbot.addWidget(user)
    user.other_teams.item(0).setCheckState(Qt.CheckState.Checked)  # «تیم فروش تهران», the only team
    user.accept()
    assert user.result() == 1
    leader_dock.refresh()  # the leader looks again
    qtbot.waitUntil(lambda: set(_cards(leader_dock)) == {"پرینتر عمده", "کابل", "قرارداد بیرونی"})
    assert _cards(leader_dock)["قرارداد بیرونی"].id == outside

    # 2. Tags: «عمده» turns green on the tags page and on the rep's card.
    tags = TagsDialog(services, office.admin)
    qtbot.addWidget(tags)
    tags.table.setCurrentCell(0, 0)
    _choose(tags.color, "سبز")
    _click(qtbot, tags, "ثبت رنگ")
    rep_dock = _dock(qtbot, office, office.rep)
    assert _cards(rep_dock)["پرینتر عمده"].tag_colors == ("#2e7d32",)

    # 3. Priority: three stars clicked on «کابل», then the board filtered to «★★★».
    first = rep_dock.board.columns[0]
    area = stars_rect(first.view, first.view.visualRect(first.model.index(0)))
    qtbot.mouseClick(first.view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(area.left() + 2, area.center().y()))
    _choose(rep_dock.filters.priority, "★★★")
    qtbot.waitUntil(lambda: set(_cards(rep_dock)) == {"کابل"})

    # 4. Folded stages: folded for everyone by the administrator, unfolded by the rep for himself.
    pipelines = PipelinesDialog(services, office.admin)
    qtbot.addWidget(pipelines)
    pipelines.stages.setCurrentCell(1, 0)
    _click(qtbot, pipelines, "جمع‌شده / باز روی بورد")
    rep_board = _dock(qtbot, office, office.rep).board
    qualified = rep_board.columns[1]
    assert qualified.folded and qualified.folded_strip.text.startswith("واجد شرایط (۱)")
    qtbot.mouseClick(qualified.folded_strip, Qt.MouseButton.LeftButton)
    assert not qualified.folded
    assert not _dock(qtbot, office, office.rep).board.columns[1].folded
    assert _dock(qtbot, office, office.mate).board.columns[1].folded

"""Saved reports shared with the team (issue 17), through the dock's buttons: the owner saves with
«اشتراک با تیم»; a teammate sees it marked read-only, opens it, and cannot remove it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from app.ui.qt_setup import configure_application
from app.ui.reports.favourites import SHARE
from app.ui.reports.reports_panel import ReportsPanel
from tests.services.test_reports import world  # noqa: F401  (the fixture)
from tests.ui.persian_typing import type_text
from tests.ui.test_reports_ui import choose, settle


def _panel(qtbot, world, actor) -> ReportsPanel:  # noqa: F811
    configure_application(QApplication.instance())
    panel = ReportsPanel(world.services, actor)
    qtbot.addWidget(panel)
    panel.show()
    settle(qtbot, panel)
    return panel


def _save(qtbot, panel: ReportsPanel, name: str, shared: bool) -> None:
    bar = panel.favourites
    qtbot.mouseClick(bar.save_button, Qt.MouseButton.LeftButton)
    dialog = bar.dialog
    assert dialog.shared.text() == SHARE and not dialog.shared.isChecked()
    type_text(dialog.name, name)
    if shared:
        box = dialog.shared  # its box is on the right, right to left
        qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(box.width() - 10, box.height() // 2))
        assert box.isChecked()
    qtbot.mouseClick(
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )


@pytest.fixture
def shown_errors(monkeypatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr("app.ui.ops.show_error", lambda _parent, message: shown.append(message))
    monkeypatch.setattr("app.ui.reports.favourites.show_error", lambda _parent, message: shown.append(message))
    return shown


def test_a_favourite_shared_with_the_team_is_read_only_for_a_teammate(qtbot, world, shown_errors) -> None:  # noqa: F811
    mine = _panel(qtbot, world, world.rep)
    choose(qtbot, mine, "funnel")
    _save(qtbot, mine, "قیف تیم", shared=True)
    _save(qtbot, mine, "یادداشت خودم", shared=False)
    qtbot.waitUntil(lambda: mine.favourites.saved.count() == 2, timeout=5_000)
    names = [mine.favourites.saved.itemText(i) for i in range(2)]
    assert names == ["قیف تیم (مشترک با تیم)", "یادداشت خودم"]

    mate = _panel(qtbot, world, world.mate)
    qtbot.waitUntil(lambda: mate.favourites.saved.count() == 1, timeout=5_000)
    assert mate.favourites.saved.itemText(0) == "قیف تیم — از rep one (فقط خواندنی)"
    mate.favourites.saved.setCurrentIndex(0)
    mate.favourites.saved.activated.emit(0)
    settle(qtbot, mate)
    assert mate.chooser.currentData() == "funnel"
    qtbot.mouseClick(mate.favourites.delete_button, Qt.MouseButton.LeftButton)
    assert shown_errors and "فقط خود او" in shown_errors[-1]
    assert [r.name for r in world.services.saved_searches.list(world.rep, "reports")] == ["قیف تیم", "یادداشت خودم"]

    assert world.services.saved_searches.list(world.other, "reports") == []  # no team: none of it

    mine.favourites.saved.setCurrentIndex(0)
    qtbot.mouseClick(mine.favourites.delete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: mine.favourites.saved.count() == 1, timeout=5_000)
    assert world.services.saved_searches.list(world.mate, "reports") == []

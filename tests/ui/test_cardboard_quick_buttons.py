"""The cardboard's «+ فرصت» and «+ پیش‌فاکتور» work from the first moment of a fresh main window: they
were disabled («به‌زودی») until some record form had been opened and so registered."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.ui.activities.cardboard_dock import CardboardPanel
from app.ui.common.record_form import FORMS
from app.ui.main_window import MainWindow
from app.ui.qt_setup import configure_application
from tests.ui.activity_ui import persian_widget
from tests.ui.board_clicks import settled


@pytest.fixture
def window(qtbot, services, admin, tmp_path):
    configure_application(QApplication.instance())
    win = MainWindow(QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    win.attach(services, admin)
    return win


@pytest.mark.parametrize(("button", "form"), [("new_opportunity", "OpportunityForm"), ("new_quote", "QuoteForm")])
def test_a_quick_button_opens_its_new_form(qtbot, window, button, form) -> None:
    clicked = getattr(window.cardboard_panel, button)
    assert clicked.isEnabled() and clicked.toolTip() != "به‌زودی"
    QTest.mouseClick(clicked, Qt.MouseButton.LeftButton)
    assert type(window.tabs.currentWidget()).__name__ == form
    settled(qtbot, window)  # the window closes after the test: not in the middle of a refresh


@pytest.fixture
def no_form_registered_yet():
    """The state of a fresh process: no record form module imported, so none registered."""
    saved = dict(FORMS)
    FORMS.clear()
    yield
    FORMS.update(saved)


def test_the_buttons_do_not_wait_for_a_form_to_be_registered(qtbot, services, admin, no_form_registered_yet) -> None:
    panel = persian_widget(CardboardPanel(services, admin))
    qtbot.addWidget(panel)
    panel.show()
    panel.refresh()
    asked = []
    panel.sig_open_record.connect(lambda kind, record_id: asked.append((kind, record_id)))
    for button in (panel.new_opportunity, panel.new_quote):
        assert button.isEnabled() and button.toolTip() != "به‌زودی"
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    assert asked == [("opportunity", None), ("quote", None)]

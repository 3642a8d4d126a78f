"""The main window fits a 1366×768 laptop with its three docks shown and any record open."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, QSize
from PySide6.QtWidgets import QApplication, QScrollArea
from sqlalchemy import select

from app.models.activity import Activity
from app.models.documents import Invoice, Quote, Receipt, SalesReturn
from app.models.identity import Identity
from app.models.opportunity import Opportunity
from app.ui.app import take_screenshot
from app.ui.common.record_form import FORMS
from app.ui.main_window import MainWindow
from app.ui.qt_setup import configure_application
from tests.conftest import TEST_OUTPUT

LAPTOP = QSize(1366, 768)
MODELS = {
    "identity": Identity,
    "opportunity": Opportunity,
    "activity": Activity,
    "quote": Quote,
    "invoice": Invoice,
    "return": SalesReturn,
    "receipt": Receipt,
}
# Forms that open only from a record (a new activity asks in a dialog, a return comes from an invoice).
NO_EMPTY_FORM = {"activity", "return"}


@pytest.fixture
def window(qtbot, demo_services, demo_admin, tmp_path) -> MainWindow:
    configure_application(QApplication.instance())
    win = MainWindow(QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    win.show()
    win.attach(demo_services, demo_admin)
    return win


def _fits(window: MainWindow) -> bool:
    QApplication.processEvents()
    hint, minimum = window.minimumSizeHint(), window.minimumSize()
    return all(s.width() <= LAPTOP.width() and s.height() <= LAPTOP.height() for s in (hint, minimum))


def _openings(services, actor) -> list[tuple[str, object]]:
    with services.db.read(actor) as session:
        ids = {kind: session.scalar(select(model.id).limit(1)) for kind, model in MODELS.items()}
    openings = [(kind, ids[kind]) for kind in FORMS if ids.get(kind) is not None]
    return openings + [(kind, None) for kind in FORMS if kind not in NO_EMPTY_FORM]


def test_every_form_kind_fits_a_laptop_with_all_docks(window, demo_services, demo_admin) -> None:
    assert all(dock.isVisible() for dock in window.docks)
    assert {"identity", "opportunity", "activity", "quote", "invoice", "return", "receipt"} <= set(FORMS)
    too_big = []
    for kind, record_id in _openings(demo_services, demo_admin):
        form = window.tabs.open_record(kind, record_id)
        if not _fits(window):
            too_big.append((kind, record_id is not None, window.minimumSizeHint().toTuple()))
        form.set_dirty(False)
        window.tabs.close_tab(window.tabs.indexOf(form))
    assert too_big == []


def test_a_wide_form_scrolls_inside_its_tab(window, demo_services, demo_admin) -> None:
    form = window.tabs.open_record("identity", _openings(demo_services, demo_admin)[0][1])
    page = window.tabs.page_of(form)
    assert isinstance(page, QScrollArea) and page.widget() is form
    assert window.tabs.currentWidget() is form and window.tabs.indexOf(form) == window.tabs.currentIndex()


def test_screenshot_at_laptop_size_with_a_record_open(window, demo_services, demo_admin) -> None:
    window.resize(LAPTOP)
    window.tabs.open_record("opportunity", _openings(demo_services, demo_admin)[1][1])
    QApplication.processEvents()
    assert window.size() == LAPTOP
    path = TEST_OUTPUT / "window_1366x768_opportunity.png"
    take_screenshot(window, path)
    assert path.stat().st_size > 10_000

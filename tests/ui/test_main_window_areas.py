"""The main window is built from the list of areas (app/ui/areas.py): an area declared there brings
its dock, its record forms and its menus without any edit of the window."""

from __future__ import annotations

import sys

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QLabel

from app.ui import areas
from app.ui.common.record_form import FORMS, RecordForm
from app.ui.main_window import MainWindow
from app.ui.qt_setup import configure_application

SAMPLE_AREA = """
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel

from app.ui.areas import Area, Dock

installed = []


def install(window, services, actor):
    installed.append((window, actor))
    window.view_menu.addAction(QAction("گزارش نمونه", window))


AREA = Area(
    name="sample",
    docks=(Dock("sample", "نمونه", "sampleDock", Qt.DockWidgetArea.LeftDockWidgetArea, lambda *_: QLabel("داده")),),
    forms=("sample_area_forms",),
    install=install,
)
"""
SAMPLE_FORMS = "from app.ui.common.record_form import RecordForm, register_form\nregister_form('sample', RecordForm)\n"


def test_an_area_in_the_list_brings_its_dock_forms_and_menus(qtbot, monkeypatch, services, admin, tmp_path) -> None:
    configure_application(QApplication.instance())
    (tmp_path / "sample_area.py").write_text(SAMPLE_AREA, encoding="utf-8")
    (tmp_path / "sample_area_forms.py").write_text(SAMPLE_FORMS, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(areas, "AREAS", (*areas.AREAS, "sample_area"))
    for name in ("sample_area", "sample_area_forms"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    monkeypatch.delitem(FORMS, "sample", raising=False)

    window = MainWindow(QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    assert window.sample_dock.windowTitle() == "نمونه" and window.sample_dock in window.docks
    assert isinstance(window.sample_dock.widget(), QLabel) and "sample" not in FORMS  # nothing live yet

    window.attach(services, admin)
    assert window.sample_dock.widget().widget() is window.sample_panel and window.sample_panel.text() == "داده"
    assert FORMS["sample"] is RecordForm
    assert sys.modules["sample_area"].installed == [(window, admin)]
    assert "گزارش نمونه" in [action.text() for action in window.view_menu.actions()]
    FORMS.pop("sample")  # not monkeypatch.delitem: its undo would put the sample form back for later tests

"""Record tabs: one per record, re-opening switches, unsaved tabs are marked and ask before closing."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel, QMessageBox, QVBoxLayout

from app.ui.common.record_form import FORMS, RecordForm, register_form
from app.ui.record_tabs import DIRTY_MARK, RecordTabs


class NoteForm(RecordForm):
    saved = 0

    def __init__(self, services, actor, record_id, parent=None) -> None:
        super().__init__(parent)
        self.record_id = record_id
        QVBoxLayout(self).addWidget(QLabel(f"یادداشت {record_id}"))

    def title(self) -> str:
        return f"یادداشت {self.record_id}"

    def save(self) -> bool:
        NoteForm.saved += 1
        return super().save()


@pytest.fixture
def tabs(qtbot, services, admin):
    register_form("note", NoteForm)
    widget = RecordTabs()
    qtbot.addWidget(widget)
    widget.attach(services, admin)
    yield widget
    FORMS.pop("note")


def test_opening_an_open_record_switches_to_its_tab(qtbot, tabs) -> None:
    with qtbot.waitSignal(tabs.sig_record_opened) as opened:
        first = tabs.open_record("note", 1)
    assert opened.args == ["note", 1]
    tabs.open_record("note", 2)
    assert tabs.count() == 2 and tabs.currentIndex() == 1
    assert tabs.open_record("note", 1) is first
    assert tabs.count() == 2 and tabs.currentWidget() is first


def test_unsaved_tab_shows_a_dot_and_asks_before_closing(tabs, monkeypatch) -> None:
    form = tabs.open_record("note", 3)
    form.set_dirty()
    assert tabs.tabText(0).startswith(DIRTY_MARK)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Cancel)
    assert tabs.close_tab(0) is False and tabs.count() == 1
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Save)
    before = NoteForm.saved
    assert tabs.close_tab(0) is True and tabs.count() == 0
    assert NoteForm.saved == before + 1


def test_a_clean_tab_closes_without_asking(tabs, monkeypatch) -> None:
    tabs.open_record("note", 4)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: pytest.fail("should not ask"))
    assert tabs.close_all() is True and tabs.count() == 0

"""The conflict dialog: who and when, a field-by-field comparison, reload or keep mine."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QLabel, QPushButton

from app.services.core.errors import ConcurrentChange
from app.ui.common.conflict_dialog import ConflictChoice, ConflictDialog


def _dialog(qtbot) -> ConflictDialog:
    conflict = ConcurrentChange("رضا کریمی", dt.datetime(2026, 11, 22, 10, 30, tzinfo=dt.UTC), {"title": "قدیم"})
    dialog = ConflictDialog(conflict, {"title": "فروش ۵۰ دستگاه"}, {"title": "فروش ۴۰ دستگاه"}, {"title": "عنوان"})
    qtbot.addWidget(dialog)
    return dialog


def test_it_names_who_and_when_and_compares_the_fields(qtbot) -> None:
    dialog = _dialog(qtbot)
    assert [dialog.table.item(0, c).text() for c in range(3)] == ["عنوان", "فروش ۵۰ دستگاه", "فروش ۴۰ دستگاه"]
    intro = dialog.findChildren(QLabel)[0].text()
    assert "رضا کریمی" in intro and "۱۴۰۵/۰۹/۰۱" in intro


@pytest.mark.parametrize(
    ("text", "choice"), [("بارگذاری مجدد", ConflictChoice.RELOAD), ("حفظ مقادیر من", ConflictChoice.KEEP_MINE)]
)
def test_each_button_records_the_choice(qtbot, text, choice) -> None:
    dialog = _dialog(qtbot)
    next(b for b in dialog.findChildren(QPushButton) if b.text() == text).click()
    assert dialog.choice is choice and dialog.result() == 1

"""Bad input in the fields (issue 13): the money field never turns a typo into another amount («12.5» is
refused, not 125), and a line's description stops at its column's length instead of being cut on save."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLineEdit

from app.persian import MAX_RIALS, ValidationError
from app.ui.common.money_edit import MoneyEdit
from app.ui.documents.document_lines import DESC, UNIT, DocumentLinesEditor
from tests.services.doc_helpers import office
from tests.ui.persian_typing import type_text


@pytest.fixture
def edit(qtbot) -> MoneyEdit:
    widget = MoneyEdit()
    qtbot.addWidget(widget)
    return widget


@pytest.mark.parametrize("typed", ["12.5", "۱۲٫۵", "12/5", "12a"])
def test_a_decimal_or_letter_is_refused_beneath_the_field(edit, typed) -> None:
    seen = []
    edit.sig_value_changed.connect(seen.append)
    type_text(edit.edit, typed)
    assert edit.edit.text() != "۱۲۵"
    with pytest.raises(ValidationError):
        edit.value()
    assert edit.words.text() and "#c62828" in edit.words.styleSheet()
    assert seen[-1] is None


def test_an_amount_beyond_the_maximum_is_refused_beneath_the_field(edit) -> None:
    type_text(edit.edit, str(MAX_RIALS + 1))
    with pytest.raises(ValidationError):
        edit.value()
    assert "سقف مجاز" in edit.words.text()
    edit.edit.clear()
    type_text(edit.edit, str(MAX_RIALS))
    assert edit.value() == MAX_RIALS and "#757575" in edit.words.styleSheet()


def test_grouping_as_typed_still_works(edit) -> None:
    type_text(edit.edit, "-1,250000")
    assert edit.edit.text() == "-۱٬۲۵۰٬۰۰۰" and edit.value() == -1_250_000


@pytest.mark.parametrize(("column", "length"), [(DESC, 300), (UNIT, 30)])
def test_line_description_and_unit_stop_at_the_column_length(qtbot, services, column, length) -> None:
    o = office(services)
    lines = DocumentLinesEditor(services, o.rep)
    qtbot.addWidget(lines)
    lines.show()
    lines.add_line(None)
    lines.table.setCurrentCell(0, column)
    lines.table.editItem(lines.table.item(0, column))
    editor = lines.table.viewport().findChild(QLineEdit)
    editor.selectAll()
    type_text(editor, "ک" * (length + 20))
    assert len(editor.text()) == length
    lines.table.commitData(editor)
    assert lines.table.item(0, column).text() == "ک" * length

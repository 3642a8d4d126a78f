"""Persian everywhere: multi-line text aligned right, quantities, digits while editing, icons."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import datetime
from decimal import Decimal

import pytest
from PySide6.QtCore import QLocale, Qt, QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QPlainTextEdit

from app.persian import format_date
from app.ui.common import file_dialog
from app.ui.common.numbers import QuantitySpinBox, quantity_text
from app.ui.qt_setup import configure_application
from tests.ui.persian_typing import type_text


@pytest.fixture
def configured(qtbot):
    """configure_application changes process-wide state; put back what other tests rely on."""
    app = QApplication.instance()
    direction, font, style_sheet, locale = app.layoutDirection(), app.font(), app.styleSheet(), QLocale()
    configure_application(app)
    yield app
    app.setLayoutDirection(direction)
    app.setFont(font)
    app.setStyleSheet(style_sheet)
    QLocale.setDefault(locale)


def test_multi_line_persian_text_starts_at_the_right_edge(qtbot, configured):
    edit = QPlainTextEdit()
    qtbot.addWidget(edit)
    edit.resize(400, 120)
    edit.setPlainText("نتیجه تماس\nمشتری پیش‌فاکتور خواست")
    edit.show()
    qtbot.waitExposed(edit)
    edit.setPlainText("نتیجه تماس\nمشتری پیش‌فاکتور خواست")  # loaded again after showing
    cursor = edit.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    cursor.movePosition(QTextCursor.MoveOperation.StartOfLine)
    edit.setTextCursor(cursor)
    assert edit.cursorRect().x() > edit.viewport().width() * 3 // 4  # a right-to-left line starts right


@pytest.mark.parametrize(
    ("value", "shown"),
    [("1.000", "۱"), ("2.50", "۲٫۵"), ("0.125", "۰٫۱۲۵"), ("1500", "۱٬۵۰۰"), ("1500.5", "۱٬۵۰۰٫۵")],
)
def test_quantities_read_as_they_are(value, shown):
    assert quantity_text(Decimal(value)) == shown


def test_the_quantity_field_shows_one_not_one_thousand(qtbot, configured):
    box = QuantitySpinBox(minimum=0.001, maximum=10**9, value=1)
    qtbot.addWidget(box)
    assert box.text() == "۱"
    box.lineEdit().selectAll()
    type_text(box, "2.5")
    assert box.value() == 2.5
    box.lineEdit().selectAll()
    type_text(box, "۳٫۷۵")
    assert box.value() == 3.75
    box.interpretText()
    assert box.text() == "۳٫۷۵"


def test_the_product_grid_quantity_starts_at_one(qtbot, configured, services, admin):
    from app.ui.opportunities.opportunity_lines import LinesEditor

    editor = LinesEditor(services, admin)
    qtbot.addWidget(editor)
    assert editor.quantity.text() == "۱"


def test_a_number_cell_shows_persian_digits_while_typed_in_latin(qtbot, configured, services, admin):
    from app.ui.documents.document_lines import PRICE, DocumentLinesEditor

    editor = DocumentLinesEditor(services, admin)
    qtbot.addWidget(editor)
    editor.add_line(None)
    editor.show()
    qtbot.waitExposed(editor)
    table = editor.table
    table.setCurrentCell(0, PRICE)
    table.editItem(table.item(0, PRICE))
    cell = table.findChild(QLineEdit)
    cell.selectAll()
    type_text(cell, "12500")
    assert cell.text() == "۱۲۵۰۰"
    qtbot.keyClick(cell, Qt.Key.Key_Return)  # the delegate commits on the next turn of the event loop
    qtbot.waitUntil(lambda: table.item(0, PRICE).text() == "۱۲۵۰۰")
    assert editor.drafts()[0].unit_price == 12500


def test_qt_file_dialog_speaks_persian_with_jalali_dates(qtbot, configured, tmp_path):
    (tmp_path / "فهرست.xlsx").write_bytes(b"x" * 1536)
    seen = {}

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QFileDialog):
            QTimer.singleShot(20, look)
            return
        try:
            model = dialog.proxyModel()
            seen["labels"] = [dialog.labelText(label) for label in file_dialog.LABELS]
            qtbot.waitUntil(lambda: model.rowCount(model.mapFromSource(model.sourceModel().index(str(tmp_path)))) == 1)
            row = model.index(0, 0, model.mapFromSource(model.sourceModel().index(str(tmp_path))))
            seen["row"] = [model.index(row.row(), column, row.parent()).data() for column in range(4)]
        finally:
            dialog.reject()  # a failure must not leave the test waiting on the dialog

    QTimer.singleShot(0, look)
    # The offscreen platform has no native dialog: this is Qt's own, as on a Linux desktop without one.
    QFileDialog.getOpenFileName(None, "انتخاب فایل", str(tmp_path))
    assert "row" in seen, "the dialog's list could not be read"
    assert seen["labels"] == ["پوشه:", "نام پرونده:", "نوع پرونده:"]
    name, size, kind, modified = seen["row"]
    assert (name, size, kind) == ("فهرست.xlsx", "۱٫۵ کیلوبایت", "پرونده xlsx")
    assert modified.startswith(format_date(datetime.date.today()))


def test_a_result_dialog_is_wide_enough_for_its_title(qtbot, configured):
    from app.ui.opportunities.close_dialogs import RestoreDialog

    dialog = RestoreDialog("فروش ۵۰ دستگاه", [], lambda _value: None)
    qtbot.addWidget(dialog)
    dialog.show()
    title = dialog.fontMetrics().horizontalAdvance("بازگرداندن فرصت")
    assert dialog.width() >= title + 120  # room for the window icon and buttons beside the title


def test_the_favourites_combo_fits_a_favourites_name(qtbot, configured, services, admin):
    from app.ui.identities.advanced_search_form import AdvancedSearchForm

    form = AdvancedSearchForm(services, admin)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    form.favourites.addItem("تهران و حومه", None)  # saved after the form was first shown
    form.favourites.setCurrentIndex(1)
    needed = form.favourites.fontMetrics().horizontalAdvance("تهران و حومه")
    # In a narrow window the combo shrinks to its minimum, which must still hold the name and the arrow.
    assert form.favourites.minimumSizeHint().width() >= needed + 20


def test_a_price_list_cell_shows_persian_digits_while_typed_in_latin(qtbot, configured, demo_services, demo_admin):
    from app.ui.catalog.price_lists_panel import PriceListsPanel

    panel = PriceListsPanel(demo_services, demo_admin)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitExposed(panel)
    table = panel.table
    assert table.rowCount() > 0
    table.setCurrentCell(0, 3)
    table.editItem(table.item(0, 3))
    cell = table.findChild(QLineEdit)
    cell.selectAll()
    type_text(cell, "4500000")
    assert cell.text() == "۴۵۰۰۰۰۰"

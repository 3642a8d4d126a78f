"""Import warnings reach the user (issue 13): a cell whose unsafe characters were stripped is listed
after the refused rows in the wizard's result table."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from app.ui.identities.import_wizard import ImportWizard


def test_the_wizard_lists_stripped_cells_as_warnings(qtbot, services, admin, tmp_path) -> None:
    source = tmp_path / "list.csv"
    source.write_text("نام خانوادگی,موبایل\nکریمی\x00,09121234567\nبد,0912\n", "utf-8")
    wizard = ImportWizard(services, admin)
    qtbot.addWidget(wizard)
    assert wizard.open_file(source)
    task = wizard.start_import()
    with qtbot.waitSignal(task.sig_finished, timeout=10000):
        pass
    QApplication.processEvents()
    assert wizard.result.created == 1 and wizard.errors_table.rowCount() == 2
    assert wizard.errors_table.item(0, 0).text() == "۳"  # the refused row first
    assert wizard.errors_table.item(1, 0).text() == "۲" and wizard.errors_table.item(1, 1).text().startswith("هشدار")

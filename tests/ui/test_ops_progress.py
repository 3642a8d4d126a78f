"""An operation with progress: a long batch shows how far it got in a progress dialog, and its cancel
stops the call inside its transaction, so nothing is written and nothing is shown as an error."""

from __future__ import annotations

import time

from PySide6.QtWidgets import QDialogButtonBox, QLabel, QWidget

from app.models import OpportunityStatus
from app.services.opportunities.data import LossData
from app.ui import ops
from app.ui.tasks import ProgressDialog


def test_cancel_in_the_progress_dialog_rolls_the_batch_back(qtbot, sales, monkeypatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(ops, "show_error", lambda _parent, message: shown.append(message))
    ids = [sales.new(title=f"فروش {n}") for n in range(3)]
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()

    def slow(done: int, total: int) -> None:  # each record takes a while, until the user cancels
        for _ in range(500):
            ops.report_progress(done, total)
            time.sleep(0.01)

    loss = LossData(sales.reason("loss_reasons"))
    operation = ops.op(parent, lambda: sales.services.opportunity_batch.lose(sales.rep, ids, loss, slow))
    task = operation.progress("بستن به‌عنوان باخته").run_in_background()
    qtbot.waitUntil(lambda: any(d.isVisible() for d in parent.findChildren(ProgressDialog)), timeout=5000)
    dialog = next(d for d in parent.findChildren(ProgressDialog) if d.isVisible())
    assert dialog.windowTitle() == "بستن به‌عنوان باخته"
    qtbot.waitUntil(lambda: any(label.text() == "۱ از ۳" for label in dialog.findChildren(QLabel)))
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Cancel).click()
    qtbot.waitUntil(lambda: not task.is_running(), timeout=5000)
    assert operation.succeeded is False and shown == []
    statuses = {sales.services.opportunity_records.get(sales.rep, i).status for i in ids}
    assert statuses == {OpportunityStatus.OPEN}  # the first was closed in the transaction, then rolled back

"""Seed 004, «احتمال خودکار»: the probability of winning shown for each opportunity automatically,
learned from the fields the administrator added and the deals created from a chosen date on.

A. The administrator opens «احتمال خودکار», ticks «منبع» and «برچسب», sets the start date and saves.
B. The office's history: deals from the exhibition («نمایشگاه») were won more often than cold calls;
   older deals, created before the start date, were all won from cold calls and are not learned from.
C. The rep opens a new opportunity, picks the source «نمایشگاه» and the tag «فوری», saves: beside the
   manual probability (the stage's 10%) the automatic one reads 74% with the factors that raised it.
D. The rep wins another exhibition deal from its form: the open form's figure follows at once.
E. The administrator presses «بازآموزی» and reads what the model learned.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from sqlalchemy import update

from app.models import Opportunity
from app.services.core.actor import SYSTEM
from app.services.opportunities.data import LossData, WinData
from app.ui.opportunities.auto_probability_dialog import AutoProbabilityDialog
from app.ui.opportunities.close_dialogs import WonDialog
from app.ui.opportunities.opportunity_form import OpportunityForm
from tests.ui.persian_typing import type_text


def _history(sales, source, won: int, lost: int, tags=()) -> list:
    moves, ids = sales.services.pipeline_moves, []
    for i in range(won + lost):
        opp = sales.new(source_id=source, tags=tags)
        if i < won:
            moves.win(sales.rep, opp, WinData())
        else:
            moves.lose(sales.rep, opp, LossData(sales.reason("loss_reasons")))
        ids.append(opp)
    return ids


def test_admin_chooses_fields_history_teaches_and_a_new_opportunity_shows_its_automatic_probability(
    qtbot, sales, tabs
) -> None:
    services = sales.services
    fair = services.sales_lists.save_item(sales.admin, "sources", "نمایشگاه")
    cold = services.sales_lists.save_item(sales.admin, "sources", "تماس سرد")

    # A. The administrator's page.
    page = AutoProbabilityDialog(services, sales.admin)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.fields["source"].isChecked())  # the default choice has arrived
    for key, box in page.fields.items():
        box.setChecked(key in ("source", "tags"))
    start = dt.date.today() - dt.timedelta(days=30)
    page.start.set_date_value(start)
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert services.auto_probability.config(sales.rep).fields == ("source", "tags")

    # B. The history; the old deals are dated before the start.
    old = _history(sales, cold, won=5, lost=0)
    with services.db.write(SYSTEM) as s:
        before = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
        s.execute(update(Opportunity).where(Opportunity.id.in_(old)).values(created_at=before))
    _history(sales, fair, won=4, lost=0, tags=("فوری",))
    _history(sales, fair, won=2, lost=2)
    _history(sales, cold, won=2, lost=6)
    pending = sales.new(title="پروژه نمایشگاهی دوم", source_id=fair)

    # C. A new opportunity: base 9/18 = 50%; «نمایشگاه» 11/18, «فوری» 9/14 add up in log-odds to 74%.
    form = tabs.open_record("opportunity", None)
    assert isinstance(form, OpportunityForm)
    form.set_identity(sales.customer, "شرکت آلفا")
    type_text(form.title_edit, "سامانه صوتی همایش")
    form.source.setCurrentIndex(form.source.findText("نمایشگاه"))
    type_text(form.tags, "فوری")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: form.auto_probability.figure.text() == "احتمال خودکار: ۷۴٪")
    assert form.probability.value() == 10 and form.probability_auto.isChecked()
    assert form.auto_probability.factors.text() == (
        "برچسب: فوری +۱۴٪ · منبع: نمایشگاه +۱۱٪ · از ۱۶ فرصت بسته‌شده؛ پایه ۵۰٪"
    )

    # D. Another exhibition deal won from its own form: 17 closes, 9 won; base 10/19, «نمایشگاه»
    # (7 + 10 × 10/19) / 19, «فوری» (4 + 10 × 10/19) / 14: 76%.
    other = tabs.open_record("opportunity", pending)

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, WonDialog)
        dialog.accept()

    QTimer.singleShot(0, answer)
    qtbot.mouseClick(other.won_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "از ۱۷ فرصت" in form.auto_probability.factors.text())
    assert form.auto_probability.figure.text() == "احتمال خودکار: ۷۶٪"

    # E. «بازآموزی».
    qtbot.mouseClick(page.retrain_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.summary.text().startswith("از ۱۷ فرصت"))
    assert page.summary.text().splitlines()[0] == "از ۱۷ فرصت بسته‌شده (۹ برنده) آموخت؛ احتمال پایه ۵۳٪."
    assert "منبع: نمایشگاه" in page.summary.text()

"""Closing from the opportunity form: the lost (and won) dialog's date is a Jalali date edit that goes no
further than today; the reason, the competitor and the note chosen there are shown, read-only, on the
closed opportunity's form, and restoring clears them."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from app.models import Opportunity, OpportunityStatus, utcnow
from app.persian import format_date
from app.ui.opportunities.close_dialogs import LostDialog, RestoreDialog, WonDialog
from app.ui.opportunities.opportunity_form import OpportunityForm
from tests.services.sales_helpers import build
from tests.ui.activity_ui import when_dialog
from tests.ui.persian_typing import type_text


@pytest.fixture
def sales(services):
    return build(services)


def _opened_weeks_ago(sales, **values):
    opp_id = sales.new(**values)
    with sales.services.db.write(sales.admin) as s:
        s.get(Opportunity, opp_id).created_at = utcnow() - dt.timedelta(days=21)
    return opp_id


def _form(qtbot, sales, opp_id) -> OpportunityForm:
    form = OpportunityForm(sales.services, sales.rep, opp_id)
    qtbot.addWidget(form)
    form.show()
    return form


def _type_date(edit, day: dt.date) -> None:
    """Types the date as a rep does («۱۴۰۵/۰۹/۰۷»); reading the field takes the typed text (as OK does)."""
    edit.setFocus()
    edit.selectAll()
    type_text(edit, format_date(day))


def _ok(dialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def test_lost_on_a_chosen_day_with_reason_and_competitor_shown_on_the_form_then_restored(qtbot, sales) -> None:
    today = dt.date.today()  # at the test's run, not at import: a run may cross midnight
    rival = sales.services.sales_lists.save_item(sales.admin, "competitors", "شرکت رقیب")
    form = _form(qtbot, sales, _opened_weeks_ago(sales, title="فروش ۵۰ دستگاه"))
    lost_on = today - dt.timedelta(days=4)

    def lose(dialog: LostDialog) -> None:
        assert dialog.closed_on.date_value() == today and dialog.closed_on.maximumDate().toPython() == today
        _type_date(dialog.closed_on, today + dt.timedelta(days=3))  # a day to come cannot be chosen
        assert dialog.closed_on.date_value() <= today
        _type_date(dialog.closed_on, lost_on)
        assert dialog.closed_on.date_value() == lost_on
        dialog.reason.setCurrentIndex(dialog.reason.findText("قیمت بالا"))
        dialog.competitor.setCurrentIndex(dialog.competitor.findText("شرکت رقیب"))
        type_text(dialog.note, "ارزان‌تر دادند")
        _ok(dialog)

    failures = when_dialog(LostDialog, lose)
    form.lost_button.click()
    assert not failures, failures
    detail = form.detail
    assert detail.status is OpportunityStatus.LOST and detail.closed_on == lost_on and detail.lost_to_id == rival
    shown = form.result.text()
    assert f"بازنده در {format_date(lost_on)}" in shown
    assert "دلیل: قیمت بالا" in shown and "رقیب برنده: شرکت رقیب" in shown and "یادداشت: ارزان‌تر دادند" in shown
    assert not form.result.textInteractionFlags() & Qt.TextInteractionFlag.TextEditable

    def reopen(dialog: RestoreDialog) -> None:
        _ok(dialog)

    failures = when_dialog(RestoreDialog, reopen)
    form.restore_button.click()
    assert not failures, failures
    assert form.detail.status is OpportunityStatus.OPEN and form.detail.lost_to_id is None
    assert form.result.text() == "—"


def test_won_on_a_chosen_day(qtbot, sales) -> None:
    today = dt.date.today()
    form = _form(qtbot, sales, _opened_weeks_ago(sales, amount=5_000_000))
    won_on = today - dt.timedelta(days=2)

    def win(dialog: WonDialog) -> None:
        assert dialog.closed_on.maximumDate().toPython() == today
        _type_date(dialog.closed_on, won_on)
        _ok(dialog)

    failures = when_dialog(WonDialog, win)
    form.won_button.click()
    assert not failures, failures
    assert form.detail.status is OpportunityStatus.WON and form.detail.closed_on == won_on
    assert f"برنده در {format_date(won_on)}" in form.result.text()

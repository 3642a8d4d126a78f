"""Saving a form after someone else saved the record: a comparison, then reload or keep my changes.

The dialog's exec() is replaced by a function that reads the real table and clicks a real button, so
the form's whole path (service conflict, fresh load, comparison, retry) runs as it does for a user.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QPushButton

from app.services.identities.records import IdentityData, PhoneData
from app.ui import events
from app.ui.common.conflict_dialog import ConflictDialog
from app.ui.identities.identity_form import IdentityForm
from app.ui.opportunities.opportunity_form import OpportunityForm
from tests.services.sales_helpers import build
from tests.ui.persian_typing import type_text

RELOAD, KEEP, CANCEL = "بارگذاری مجدد", "حفظ مقادیر من", None


@pytest.fixture(autouse=True)
def fresh_change_bus(monkeypatch):
    monkeypatch.setattr(events, "_bus", None)


@pytest.fixture
def answer(monkeypatch):
    """Answers the conflict dialog with the named button; keeps what each dialog showed."""
    shown: list[dict] = []

    def install(button: str | None) -> list[dict]:
        def fake_exec(dialog: ConflictDialog) -> int:
            table = dialog.table
            rows = {
                table.item(r, 0).text(): (table.item(r, 1).text(), table.item(r, 2).text())
                for r in range(table.rowCount())
            }
            shown.append({"rows": rows, "intro": dialog.findChildren(QLabel)[0].text()})
            if button == CANCEL:
                dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Cancel).click()
            else:
                next(b for b in dialog.findChildren(QPushButton) if b.text() == button).click()
            return dialog.result()

        monkeypatch.setattr(ConflictDialog, "exec", fake_exec)
        return shown

    return install


def _identity(services, admin):
    return services.identities.create(
        admin, IdentityData(first_name="مریم", last_name="احمدی", phones=[PhoneData("09121234567")])
    )


def test_identity_keep_mine_saves_my_field_over_their_other_changes(qtbot, services, admin, answer) -> None:
    shown = answer(KEEP)
    saved = _identity(services, admin)
    form = IdentityForm(services, admin, saved.id)
    qtbot.addWidget(form)
    # Someone else saves the same identity after the form opened: a new last name and description.
    theirs = replace(saved.to_data(), last_name="احمدی‌نژاد", description="تماس گرفت")
    services.identities.update(admin, saved.id, theirs, saved.version)
    form.details.first_name.clear()
    type_text(form.details.first_name, "مریم‌السادات")

    assert form.save() is True
    result = services.identities.get(admin, saved.id)
    assert (result.first_name, result.last_name, result.description) == ("مریم‌السادات", "احمدی‌نژاد", "تماس گرفت")
    assert shown[0]["rows"] == {"نام": ("مریم‌السادات", "مریم")}
    assert "تغییر کرده" in shown[0]["intro"] and "۱۴۰" in shown[0]["intro"]
    assert form.details.last_name.text() == "احمدی‌نژاد" and not form.is_dirty()


def test_identity_reload_takes_theirs_and_cancel_keeps_what_was_typed(qtbot, services, admin, answer) -> None:
    saved = _identity(services, admin)
    form = IdentityForm(services, admin, saved.id)
    qtbot.addWidget(form)
    services.identities.update(admin, saved.id, replace(saved.to_data(), first_name="مهسا"), saved.version)
    form.details.first_name.clear()
    type_text(form.details.first_name, "مریم‌السادات")

    answer(CANCEL)
    assert form.save() is False
    assert form.details.first_name.text() == "مریم‌السادات" and form.is_dirty()  # nothing typed is lost
    shown = answer(RELOAD)
    assert form.save() is False
    assert services.identities.get(admin, saved.id).first_name == "مهسا"
    assert form.details.first_name.text() == "مهسا" and not form.is_dirty()
    assert shown[-1]["rows"] == {"نام": ("مریم‌السادات", "مهسا")}


def test_opportunity_conflict_names_who_changed_it_and_keeps_my_title(qtbot, services, answer) -> None:
    sales = build(services)
    shown = answer(KEEP)
    opened_id = sales.new(title="فروش پرینتر")
    form = OpportunityForm(sales.services, sales.rep, opened_id)
    qtbot.addWidget(form)
    # The team leader raises the amount meanwhile.
    leader_view = services.opportunity_records.get(sales.leader, opened_id)
    services.opportunity_records.update(
        sales.leader, opened_id, replace(leader_view.to_data(), amount=90_000_000), leader_view.version
    )
    form.title_edit.clear()
    type_text(form.title_edit, "فروش ۵۰ پرینتر")

    assert form.save() is True
    result = services.opportunity_records.get(sales.rep, opened_id)
    assert (result.title, result.amount) == ("فروش ۵۰ پرینتر", 90_000_000)
    assert shown[0]["rows"] == {"عنوان": ("فروش ۵۰ پرینتر", "فروش پرینتر")}
    assert "«leader»" in shown[0]["intro"]
    assert form.detail.version == result.version and not form.is_dirty()


def test_activity_dialog_keep_mine_and_kind_names_in_persian(qtbot, services, admin, answer) -> None:
    from app.models import utcnow
    from app.services.activities.activity_types import ensure_builtin_types
    from app.services.activities.service import ActivityData
    from app.ui.activities.activity_dialog import ActivityDialog
    from tests.services.activity_helpers import add_identity, add_user

    ensure_builtin_types(services.db)
    sara = add_user(services, "sara")
    identity = add_identity(services, admin, "شرکت آلفا")
    planned = services.activities.plan(admin, ActivityData(identity.id, "تماس پیگیری", utcnow()))
    dialog = ActivityDialog(services, admin, None, activity_id=planned.id)
    qtbot.addWidget(dialog)
    # Sara's manager reassigns the call meanwhile; here the summary is edited.
    services.activities.update(admin, planned.id, replace(planned.to_data(), assignee_id=sara.user_id), planned.version)
    dialog.summary.clear()
    type_text(dialog.summary, "تماس پیگیری قرارداد")
    shown = answer(KEEP)

    dialog.accept()
    saved = services.activities.get(admin, planned.id)
    assert (saved.summary, saved.assignee_id) == ("تماس پیگیری قرارداد", sara.user_id)
    assert shown[0]["rows"] == {"خلاصه": ("تماس پیگیری قرارداد", "تماس پیگیری")}
    assert dialog.result() == 1 and dialog.detail.version == saved.version


def test_compared_values_read_in_persian() -> None:
    import datetime as dt

    from app.models import ActivityKind
    from app.ui.common.conflicts import value_text

    assert value_text(ActivityKind.MEETING) == "جلسه"
    assert value_text(dt.datetime(2026, 11, 22, 10, 30, tzinfo=dt.UTC)).startswith("۱۴۰۵/۰۹/۰۱")
    assert value_text(120_000_000) == "۱۲۰٬۰۰۰٬۰۰۰" and value_text(None) == value_text([]) == "—"
    assert value_text(["۰۹۱۲", PhoneData("09121234567")]) == "۰۹۱۲، 09121234567 موبایل"

"""Seed 004, «تخصیص براساس قانون» and the analysis column, as the story runs in an office:

A. The administrator sets a rule for the Tehran team: leads from the source «نمایشگاه» go round robin
   to ali, sara and reza, at most two open leads each. ali already carries two.
B. Three leads arrive: one typed at the front desk (no owner chosen), two in the fair's import file.
   They go sara, reza, sara: ali is skipped at his cap every time, the turn moves on regardless.
C. A lead from another source stays with whoever entered it.
D. The log («گزارش تخصیص») says for each who got it, who entered it, how, and why.
E. sara makes an opportunity of her lead three days after it arrived; its form's «تحلیل» reads the
   assignment date and «۳ روز تا تخصیص»; won twelve days later her list reads ۳ and ۱۲ in the columns
   «روزها تا تخصیص» and «روزها تا بستن».
"""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from app.models import Identity, Opportunity, OpportunityStatus
from app.persian.jalali import format_date
from app.services.admin.assignment_rules import RuleData
from app.services.core.actor import SYSTEM
from app.services.identities.table import ImportTable
from app.services.opportunities.data import OpportunityData
from app.services.opportunities.queries import OpportunityQuery
from app.ui.opportunities.opportunity_dock import COLUMNS, OpportunityDock
from app.ui.opportunities.opportunity_form import OpportunityForm
from app.ui.qt_setup import configure_application
from app.ui.record_tabs import RecordTabs
from tests.services import assignment_helpers

FAIR_FILE = [["رحیمی", "۰۹۱۲۱۱۱۲۲۳۳", "نمایشگاه"], ["زمانی", "۰۹۱۲۴۴۴۵۵۶۶", "نمایشگاه"]]


@pytest.fixture
def office(services):
    return assignment_helpers.build(services)


def _owner(office, last_name: str) -> str:
    with office.services.db.read(SYSTEM) as s:
        owner = s.scalar(select(Identity.owner_id).where(Identity.last_name == last_name))
    return {a.user_id: a.login for a in (office.ali, office.sara, office.reza, office.desk, office.admin)}[owner]


def test_rule_three_leads_round_robin_cap_log_and_days(qtbot, office, services) -> None:
    # A. the rule; ali's two open leads of his own
    rule = RuleData(
        "نمایشگاه تهران", source_id=office.fair, cap=2, cap_period="open",
        member_ids=(office.ali.user_id, office.sara.user_id, office.reza.user_id),
    )  # fmt: skip
    services.assignment_rules.save_rule(office.admin, office.team_id, None, rule)
    office.lead("قدیمی یک", actor=office.ali)
    office.lead("قدیمی دو", actor=office.ali)

    # B. one lead at the desk, two in the fair's file
    office.lead("احمدی", source_id=office.fair)
    table = ImportTable(["نام خانوادگی", "موبایل", "منبع"], FAIR_FILE)
    result = services.identity_import.run(office.desk, table, {0: "last_name", 1: "mobile", 2: "source"}, "create")
    assert result.created == 2 and result.errors == []
    assert [_owner(office, n) for n in ("احمدی", "رحیمی", "زمانی")] == ["sara", "reza", "sara"]

    # C. another source: not the rule's
    office.lead("سعیدی")
    assert _owner(office, "سعیدی") == "desk"

    # D. the log explains
    log = list(reversed(services.assignment_rules.log(office.admin)))
    assert [(r.user_name, r.assigned_by, r.via) for r in log] == [
        ("sara", "desk", "create"), ("reza", "desk", "import"), ("sara", "desk", "import"),
    ]  # fmt: skip
    head = "قانون «نمایشگاه تهران» تیم «تیم تهران» (شرط: منبع: نمایشگاه) — نوبت گردشی:"
    assert [r.reason for r in log] == [
        f"{head} sara، نفر ۲ از ۳؛ سقف ۲ باز در دست، با این یکی ۱؛ به سقف رسیده: ali",
        f"{head} reza، نفر ۳ از ۳؛ سقف ۲ باز در دست، با این یکی ۱",
        f"{head} sara، نفر ۲ از ۳؛ سقف ۲ باز در دست، با این یکی ۲؛ به سقف رسیده: ali",
    ]
    loads = {m.name: m.load for m in services.assignment_rules.rules(office.admin, office.team_id)[0].members}
    assert loads == {"ali": 2, "sara": 2, "reza": 1}

    # E. sara's opportunity three days after the lead came; won twelve days after it was made
    with services.db.read(SYSTEM) as s:
        lead = s.scalar(select(Identity.id).where(Identity.last_name == "احمدی"))
    opp_id = services.opportunity_records.create(office.sara, OpportunityData(lead, "خرید غرفه"))
    now = dt.datetime.now(dt.UTC)
    with services.db.write(SYSTEM) as s:
        s.get(Identity, lead).created_at = now - dt.timedelta(days=15)
        opp = s.get(Opportunity, opp_id)
        opp.created_at = opp.assigned_at = now - dt.timedelta(days=12)
    configure_application(QApplication.instance())
    tabs = RecordTabs()
    qtbot.addWidget(tabs)
    tabs.attach(services, office.sara)
    form = tabs.open_record("opportunity", opp_id)
    assert isinstance(form, OpportunityForm)
    qtbot.waitUntil(lambda: form.analysis.text() != "—")
    assigned_on = format_date((now - dt.timedelta(days=12)).astimezone().date())
    assert form.analysis.text() == f"تخصیص در {assigned_on} · ۳ روز تا تخصیص"
    with services.db.write(SYSTEM) as s:
        s.get(Opportunity, opp_id).status, s.get(Opportunity, opp_id).closed_on = OpportunityStatus.WON, now.date()
    (row,) = services.opportunities.search(office.sara, OpportunityQuery(status=None))
    assert (row.days_to_assign, row.days_to_close) == (3, 12)
    dock = OpportunityDock(services, office.sara)  # the list's «روزها تا تخصیص» and «روزها تا بستن»
    qtbot.addWidget(dock)
    dock.show()
    dock.filters.status.setCurrentIndex(dock.filters.status.findData("any"))
    qtbot.waitUntil(lambda: dock.model.total() == 1)
    keys = [c.key for c in COLUMNS]
    cells = [dock.model.index(0, keys.index(k)).data() for k in ("days_to_assign", "days_to_close")]
    headers = [
        dock.model.headerData(keys.index(k), Qt.Orientation.Horizontal) for k in ("days_to_assign", "days_to_close")
    ]
    assert (headers, cells) == (["روزها تا تخصیص", "روزها تا بستن"], ["۳", "۱۲"])

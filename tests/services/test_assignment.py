"""Lead assignment by rule (seed 004): round robin, conditions, caps, switches, creators and the log."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.models import AssignmentLogEntry, AssignmentRule, Tag
from app.services.core.actor import SYSTEM
from app.services.core.errors import AccessDenied, ValidationFailed
from app.services.opportunities.data import OpportunityData
from tests.services import assignment_helpers


@pytest.fixture
def office(services):
    return assignment_helpers.build(services)


def _owners(office, details) -> list[str]:
    names = {a.user_id: a.login for a in (office.ali, office.sara, office.reza, office.desk)}
    return [names[d.owner_id] for d in details]


def test_three_leads_go_round_robin_and_the_log_says_why(office) -> None:
    office.rule()
    leads = [office.lead(name) for name in ("احمدی", "بهرامی", "توکلی", "جعفری")]
    assert _owners(office, leads) == ["ali", "sara", "reza", "ali"]
    log = office.services.assignment_rules.log(office.admin)
    assert [row.user_name for row in log] == ["ali", "reza", "sara", "ali"]  # newest first
    assert log[-1].reason == "قانون «سرنخ‌های تهران» تیم «تیم تهران» (شرط: همه) — نوبت گردشی: ali، نفر ۱ از ۳"
    assert {row.assigned_by for row in log} == {"desk"} and {row.via for row in log} == {"create"}
    history = office.services.history.record_history(office.admin, "identities", leads[1].id)
    assert [(h.action_label, h.changes[0].new) for h in history if h.action == "assign"] == [
        ("تخصیص", "قانون «سرنخ‌های تهران» تیم «تیم تهران» (شرط: همه) — نوبت گردشی: sara، نفر ۲ از ۳")
    ]


def test_a_member_at_the_cap_is_skipped_and_the_reason_names_them(office) -> None:
    office.rule(cap=1)
    office.lead("قبلی", actor=office.ali)  # ali's own open lead: at the cap of one
    leads = [office.lead(name) for name in ("احمدی", "بهرامی", "توکلی")]
    assert _owners(office, leads[:2]) == ["sara", "reza"]
    assert _owners(office, leads[2:]) == ["desk"]  # everyone at the cap: it stays with its creator
    reasons = [row.reason for row in office.services.assignment_rules.log(office.admin)]
    assert len(reasons) == 2
    assert reasons[-1].endswith("نفر ۲ از ۳؛ سقف ۱ باز در دست، با این یکی ۱؛ به سقف رسیده: ali")
    loads = {m.name: m.load for m in office.services.assignment_rules.rules(office.admin, office.team_id)[0].members}
    assert loads == {"ali": 1, "sara": 1, "reza": 1}


def test_a_monthly_cap_counts_this_months_assignments(office) -> None:
    office.rule(cap=2, cap_period="month", member_ids=(office.ali.user_id, office.sara.user_id))
    leads = [office.lead(f"مشتری {n}") for n in range(5)]
    assert _owners(office, leads) == ["ali", "sara", "ali", "sara", "desk"]


def test_conditions_source_city_and_tag(office) -> None:
    office.rule(name="نمایشگاه", source_id=office.fair, member_ids=(office.sara.user_id,))
    office.rule(name="اصفهان", city="اصفهان", member_ids=(office.reza.user_id,))
    office.rule(name="ویژه", tag_id=None, member_ids=(office.ali.user_id,), cap=0, is_active=False)
    fair = office.lead("نمایشگاهی", source_id=office.fair, city="اصفهان")  # the first rule in order wins
    isfahan = office.lead("اصفهانی", city="اصفهان")
    other = office.lead("شیرازی", city="شیراز")
    assert _owners(office, [fair, isfahan, other]) == ["sara", "reza", "desk"]


def test_a_tag_rule_routes_tagged_leads_only(office, services) -> None:
    tagged = office.lead("برچسب‌دار", tags=["ویژه"])  # makes the tag; no rule yet
    with services.db.read(SYSTEM) as s:
        tag_id = s.scalar(select(Tag.id).where(Tag.name == "ویژه"))
    office.rule(tag_id=tag_id, member_ids=(office.reza.user_id,))
    assert _owners(office, [tagged, office.lead("دوم", tags=["ویژه"]), office.lead("سوم")]) == ["desk", "reza", "desk"]


def test_switches_team_off_member_off(office) -> None:
    rules = office.services.assignment_rules
    office.rule()
    rules.set_accepts_leads(office.admin, office.team_id, False, user_id=office.ali.user_id)
    assert _owners(office, [office.lead("یک"), office.lead("دو"), office.lead("سه")]) == ["sara", "reza", "sara"]
    rules.set_accepts_leads(office.admin, office.team_id, False)
    assert _owners(office, [office.lead("چهار")]) == ["desk"]


def test_own_documents_creators_and_chosen_owners_are_not_routed(office) -> None:
    office.rule()
    assert _owners(office, [office.lead("خودم", actor=office.ali)]) == ["ali"]  # a rep's lead stays theirs
    assert _owners(office, [office.lead("انتخابی", owner_id=office.desk.user_id)]) == ["desk"]
    rule = office.services.assignment_rules.rules(office.admin, office.team_id)[0]
    data = rule.data.__class__(**{**rule.data.__dict__, "creator_ids": (office.desk.user_id,)})
    office.services.assignment_rules.save_rule(office.admin, office.team_id, rule.id, data)
    assert _owners(office, [office.lead("میز", owner_id=office.desk.user_id)]) == ["ali"]  # the desk is routed


def test_rules_are_validated_and_for_admins_only(office) -> None:
    with pytest.raises(ValidationFailed) as refused:
        office.rule(name=" ", member_ids=(office.desk.user_id,), creator_ids=(office.ali.user_id,), cap=-1)
    assert refused.value.errors == {
        "name": "نام قانون را وارد کنید.",
        "cap": "سقف نمی‌تواند منفی باشد.",
        "member_ids": "اعضای قانون باید از اعضای همین تیم باشند.",
        "creator_ids": "کاربر با دسترسی «فقط اسناد خود» نمی‌تواند سرنخ را به همکار بسپارد.",
    }
    with pytest.raises(AccessDenied):
        office.services.assignment_rules.rules(office.desk, office.team_id)


def test_rules_keep_their_order_and_move(office) -> None:
    first = office.rule(name="اول", member_ids=(office.ali.user_id,))
    office.rule(name="دوم", member_ids=(office.sara.user_id,))
    office.services.assignment_rules.move_rule(office.admin, first.id, +1)
    rules = office.services.assignment_rules.rules(office.admin, office.team_id)
    assert [r.data.name for r in rules] == ["دوم", "اول"]
    assert _owners(office, [office.lead("نفر")]) == ["sara"]
    office.services.assignment_rules.delete_rule(office.admin, rules[0].id)
    assert _owners(office, [office.lead("بعدی")]) == ["ali"]


def test_opportunities_without_an_owner_are_routed_with_their_team_and_days(office, services) -> None:
    office.rule(record_kind="opportunities", city="مشهد", member_ids=(office.reza.user_id, office.sara.user_id))
    customer = office.lead("مشهدی", city="مشهد").id  # no identity rule: stays the desk's
    ids = services.opportunity_records.create_many(
        office.desk, [OpportunityData(identity_id=customer, title=t) for t in ("یک", "دو", "سه")]
    )
    details = [services.opportunity_records.get(office.admin, i) for i in ids]
    assert _owners(office, details) == ["reza", "sara", "reza"]
    assert {d.team_id for d in details} == {office.team_id}
    with services.db.read(SYSTEM) as s:
        turn = s.scalar(select(AssignmentRule.next_turn))
        logged = s.scalars(select(AssignmentLogEntry.record_id).order_by(AssignmentLogEntry.at)).all()
    assert turn == 1 and sorted(logged) == sorted(ids)


def test_two_creators_at_once_take_consecutive_turns(office, services, monkeypatch) -> None:
    """Each reads the rule's turn only after the other's transaction has moved it (FOR UPDATE on
    PostgreSQL, BEGIN IMMEDIATE on SQLite); a slow pick widens the window a lost update needs."""
    import threading
    import time

    from app.services.admin import assignment
    from app.services.core.actor import Actor
    from tests.services.sales_helpers import user

    office.rule()
    with services.db.write(SYSTEM) as s:
        desk2 = user(s, "desk_two", office.desk.access_level)
    real_turn = assignment._turn

    def slow_turn(*args):
        time.sleep(0.05)
        return real_turn(*args)

    monkeypatch.setattr(assignment, "_turn", slow_turn)
    made: list = []

    def worker(actor: Actor, prefix: str) -> None:
        for n in range(3):
            made.append(office.lead(f"{prefix} {n}", actor=actor))

    threads = [threading.Thread(target=worker, args=(a, p)) for a, p in ((office.desk, "الف"), (desk2, "ب"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(_owners(office, made)) == ["ali", "ali", "reza", "reza", "sara", "sara"]
    # In the order the turns were taken: never the same turn twice (a lost update gives ali, ali, sara …).
    taken = [row.user_name for row in reversed(office.services.assignment_rules.log(office.admin))]
    assert taken == ["ali", "sara", "reza", "ali", "sara", "reza"]


def test_days_to_assign_and_to_close_on_the_form_and_in_the_list(office, services) -> None:
    import datetime as dt

    from app.models import Identity, Opportunity, OpportunityStatus
    from app.services.opportunities.queries import OpportunityQuery

    office.rule(record_kind="opportunities", member_ids=(office.sara.user_id,))
    customer = office.lead("قدیمی").id
    (opp_id,) = services.opportunity_records.create_many(office.desk, [OpportunityData(customer, "تمدید")])
    now = dt.datetime.now(dt.UTC)
    with services.db.write(SYSTEM) as s:  # the lead came 20 days ago; the opportunity 12 days ago
        s.get(Identity, customer).created_at = now - dt.timedelta(days=20)
        opp = s.get(Opportunity, opp_id)
        opp.created_at, opp.assigned_at = now - dt.timedelta(days=12), now - dt.timedelta(days=12)
        opp.status, opp.closed_on = OpportunityStatus.WON, now.date()
    detail = services.opportunity_records.get(office.admin, opp_id)
    assert (detail.days_to_assign, detail.days_to_close) == (8, 12)
    (row,) = services.opportunities.search(office.admin, OpportunityQuery(status=None))
    assert (row.days_to_assign, row.days_to_close) == (8, 12)


def test_handing_an_opportunity_to_another_rep_moves_its_assignment_date(office, services) -> None:
    import datetime as dt
    from dataclasses import replace

    from app.models import Identity, Opportunity

    customer = office.lead("مشتری").id
    (opp_id,) = services.opportunity_records.create_many(office.desk, [OpportunityData(customer, "فروش")])
    now = dt.datetime.now(dt.UTC)
    with services.db.write(SYSTEM) as s:  # the lead came ten days ago, the desk took the deal on day two
        s.get(Identity, customer).created_at = now - dt.timedelta(days=10)
        s.get(Opportunity, opp_id).assigned_at = now - dt.timedelta(days=8)
    before = services.opportunity_records.get(office.admin, opp_id)
    assert before.days_to_assign == 2
    data = replace(before.to_data(), owner_id=office.reza.user_id)
    after = services.opportunity_records.update(office.admin, opp_id, data, before.version)
    assert after.owner_id == office.reza.user_id and after.days_to_assign == 10
    again = services.opportunity_records.update(office.admin, opp_id, replace(data, title="فروش بزرگ"), after.version)
    assert again.assigned_at == after.assigned_at  # the same owner: the date stays

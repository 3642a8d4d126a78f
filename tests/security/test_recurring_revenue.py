"""Recurring revenue attacked from a rep's own role the way psql would (issue 19): the recurring plans are
the administrator's (a rep reads them, but cannot add, change or delete one), a colleague's opportunity's
recurring amount is neither readable nor writable, and the similar-opportunities count counts only what the
rep may see."""

from __future__ import annotations

import psycopg
import pytest

from app.services.opportunities.data import OpportunityData


def _plans(attacked) -> dict[str, object]:
    return {p.name: p.id for p in attacked.office.owner.recurring_plans.plans(attacked.sara)}


def test_a_rep_reads_the_plans_and_cannot_change_them(attacked) -> None:
    monthly = _plans(attacked)["ماهانه"]  # the app adds the default plans on first use
    seen = {p.name for p in attacked.as_maryam.recurring_plans.plans(attacked.maryam)}
    assert seen == {"ماهانه", "فصلی", "سالانه"}
    with attacked.raw() as conn:
        assert conn.execute("UPDATE recurring_plans SET months = 100 WHERE id = %s", (monthly,)).rowcount == 0
        assert conn.execute("DELETE FROM recurring_plans WHERE id = %s", (monthly,)).rowcount == 0
    with attacked.raw() as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(
            "INSERT INTO recurring_plans (id, name, months, position, is_active, created_at, updated_at, version)"
            " VALUES (gen_random_uuid(), 'جعلی', 1, 9, true, now(), now(), 1)"
        )
    assert attacked.as_owner("SELECT months FROM recurring_plans WHERE id = %s", (monthly,)) == [(1,)]


def test_a_colleagues_recurring_amount_is_out_of_reach(attacked) -> None:
    sara, owner = attacked.sara, attacked.office.owner
    plan = _plans(attacked)["فصلی"]
    data = OpportunityData(identity_id=attacked.theirs["identity"], title="قرارداد سارا", recurring_amount=9_000_000,
                           recurring_plan_id=plan)  # fmt: skip
    theirs = owner.opportunity_records.create(sara, data)
    with attacked.raw() as conn:
        assert conn.execute("SELECT recurring_amount FROM opportunities WHERE id = %s", (theirs,)).fetchall() == []
        update = "UPDATE opportunities SET recurring_amount = 1 WHERE id = %s"
        assert conn.execute(update, (theirs,)).rowcount == 0
    assert attacked.as_owner("SELECT recurring_amount FROM opportunities WHERE id = %s", (theirs,)) == [(9_000_000,)]
    # sara's two opportunities share her customer: she counts one beside each, maryam reaches neither.
    assert owner.similar_opportunities.count(sara, attacked.theirs["identity"], theirs) == 1
    assert attacked.as_maryam.similar_opportunities.count(attacked.maryam, attacked.theirs["identity"]) == 0

"""Tags and competitors are rows of their own: changing them writes history under the record, moves its
version, and reaches Changes and the change journal like any other write."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select

from app.models import AuditEntry, ChangeLogEntry, Competitor
from app.services.core.actor import SYSTEM
from app.services.core.changes import Op, collecting
from app.services.core.errors import ConcurrentChange
from app.services.identities.records import IdentityData
from tests.services.sales_helpers import Sales, build


@pytest.fixture
def sales(services) -> Sales:
    return build(services)


def _link_history(services, parent_id, table: str) -> list[tuple[str, dict]]:
    with services.db.read(SYSTEM) as s:
        entries = s.scalars(
            select(AuditEntry)
            .where(AuditEntry.parent_id == parent_id, AuditEntry.record_table == table)
            .order_by(AuditEntry.at)
        )
        return [(e.action, e.changes) for e in entries]


def test_changing_an_opportunitys_tags_and_competitors_is_history_version_and_journal(sales, journaling) -> None:
    records = sales.services.opportunity_records
    opp_id = sales.new(tags=["فوری"])
    before = records.get(sales.rep, opp_id)
    with sales.services.db.write(SYSTEM) as s:
        rival = Competitor(name="رقیب")
        s.add(rival)
    competitor = rival.id
    data = replace(before.to_data(), tags=["مهم"], competitor_ids=[competitor])
    with collecting() as builder:
        after = records.update(sales.rep, opp_id, data, before.version)
    changes = builder.build()
    assert list(after.tags) == ["مهم"] and after.version == before.version + 1
    assert sorted(changes.rows["opportunity_tags"].values()) == [Op.DELETE, Op.INSERT]
    assert list(changes.rows["opportunity_competitors"].values()) == [Op.INSERT]
    assert changes.rows["opportunities"] == {opp_id: Op.UPDATE}
    history = _link_history(sales.services, opp_id, "opportunity_tags")
    assert [action for action, _ in history] == ["create", "create", "delete"]
    # a create's entry holds its values alone (compact)
    assert _link_history(sales.services, opp_id, "opportunity_competitors")[0][1]["competitor_id"] == str(competitor)
    with sales.services.db.read(SYSTEM) as s:
        journal = s.scalars(select(ChangeLogEntry).where(ChangeLogEntry.table_name == "opportunity_competitors")).all()
    assert [(e.op, e.fields["opportunity_id"]) for e in journal] == [("insert", str(opp_id))]
    shown = sales.services.history.record_history(sales.rep, "opportunities", opp_id)
    (rival_row,) = [row for row in shown if row.record_table == "opportunity_competitors"]
    assert (rival_row.record_kind, rival_row.changes[0].label) == ("رقیب", "رقیب")
    with pytest.raises(ConcurrentChange):  # a form loaded before the tags changed is stale
        records.update(sales.rep, opp_id, replace(data, tags=["دیگر"]), before.version)


def test_an_identitys_tags_are_rows_with_history_under_it(services, admin) -> None:
    detail = services.identities.create(admin, IdentityData(last_name="کریمی", tags=["مهم", "vip"]))
    updated = services.identities.update(
        admin, detail.id, IdentityData(last_name="کریمی", tags=["vip"]), detail.version
    )
    assert updated.tags == ["vip"] and updated.version == detail.version + 1
    actions = [action for action, _ in _link_history(services, detail.id, "identity_tags")]
    assert sorted(actions) == ["create", "create", "delete"]

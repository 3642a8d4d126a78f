"""The journal's read policy as generated from the models (the attacks on it run in
tests/security/test_sync_attacks.py): a link row keyed "a|b" is seen with its guarded side."""

from __future__ import annotations

import pytest
from sqlalchemy import Column, ForeignKey, Integer, MetaData, Table

from app.models import Identity, Tag
from app.services.server import sync_sql

RULES = ["USING (peyvand_sees_all())"]  # guarded: not every user reads every row


def test_a_composite_link_row_is_visible_with_its_guarded_side() -> None:
    link = Table(
        "identity_links",
        MetaData(),
        Column("identity_id", ForeignKey(Identity.__table__.c.id), primary_key=True),
        Column("tag_id", ForeignKey(Tag.__table__.c.id), primary_key=True),
    )
    rule = sync_sql._row_check(link, RULES)
    assert rule.startswith(
        "EXISTS (SELECT 1 FROM identities p WHERE p.id = (CASE WHEN split_part(change_log.row_id, '|', 1)"
    )
    assert "tags" not in rule  # labels are everyone's: they open nothing


def test_a_key_the_policy_cannot_read_safely_is_refused_when_generating() -> None:
    odd = Table("odd", MetaData(), Column("n", Integer, primary_key=True))
    with pytest.raises(ValueError, match="odd.n"):
        sync_sql._row_check(odd, RULES)

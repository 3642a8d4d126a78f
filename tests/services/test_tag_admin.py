"""The tag management page's service (seed 004 «تگ‌ها»): rename, colour, merge, remove and restore."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.models import ChangeLogEntry, OpportunityTag
from app.services.core.errors import AccessDenied, ValidationFailed
from tests.services.sales_helpers import Sales, build


@pytest.fixture
def sales(services) -> Sales:
    return build(services)


def _tag(sales: Sales, name: str):
    return next(t for t in sales.services.tag_admin.list_tags(sales.admin) if t.name == name)


def _board_tags(sales: Sales) -> dict[str, tuple]:
    board = sales.services.board.load(sales.rep)
    return {c.title: tuple(zip(c.tags, c.tag_colors, strict=True)) for col in board.columns for c in col.cards}


def test_tags_are_listed_with_their_use(sales) -> None:
    sales.new(title="الف", tags=("عمده", "تهران"))
    sales.new(title="ب", tags=("عمده",))
    rows = {t.name: (t.identities, t.opportunities) for t in sales.services.tag_admin.list_tags(sales.admin)}
    assert rows == {"تهران": (0, 1), "عمده": (0, 2)}


def test_rename_and_colour_show_on_the_board(sales) -> None:
    sales.new(title="الف", tags=("عمده",))
    tags = sales.services.tag_admin
    tags.rename(sales.admin, _tag(sales, "عمده").id, "  خرید   عمده ")
    tags.set_color(sales.admin, _tag(sales, "خرید عمده").id, "#AA3300")
    assert _board_tags(sales) == {"الف": (("خرید عمده", "#aa3300"),)}
    with pytest.raises(ValidationFailed) as bad:
        tags.set_color(sales.admin, _tag(sales, "خرید عمده").id, "red")
    assert bad.value.errors == {"color": "رنگ نامعتبر است."}


def test_rename_refuses_a_name_another_tag_has(sales) -> None:
    sales.new(title="الف", tags=("عمده", "تهران"))
    with pytest.raises(ValidationFailed) as taken:
        sales.services.tag_admin.rename(sales.admin, _tag(sales, "تهران").id, "عمده")
    assert "ادغام" in taken.value.errors["name"]


def test_merge_moves_every_link_in_one_journaled_transaction(sales, journaling) -> None:
    both = sales.new(title="هر دو", tags=("عمده", "کلان"))
    only = sales.new(title="فقط کلان", tags=("کلان",))
    tags, db = sales.services.tag_admin, sales.services.db
    with db.read(sales.admin) as s:
        before = s.scalar(select(ChangeLogEntry.seq).order_by(ChangeLogEntry.seq.desc()).limit(1))
    moved = tags.merge(sales.admin, _tag(sales, "کلان").id, _tag(sales, "عمده").id)
    assert moved == 1  # «هر دو» already had «عمده»: its «کلان» link is dropped, not doubled
    assert _board_tags(sales) == {"هر دو": (("عمده", None),), "فقط کلان": (("عمده", None),)}
    assert [t.name for t in tags.list_tags(sales.admin)] == ["عمده"]
    with db.read(sales.admin) as s:
        entries = s.execute(
            select(ChangeLogEntry.seq, ChangeLogEntry.table_name, ChangeLogEntry.op).where(ChangeLogEntry.seq > before)
        ).all()
        links = s.scalars(select(OpportunityTag.opportunity_id)).all()
    assert len({seq for seq, _, _ in entries}) == 1  # one transaction
    assert {(t, op) for _, t, op in entries} >= {
        ("opportunity_tags", "update"),
        ("opportunity_tags", "delete"),
        ("tags", "delete"),
    }  # a soft delete journals as «delete»
    assert sorted(links) == sorted([both, only])


def test_removed_tag_disappears_and_comes_back_with_its_links(sales) -> None:
    sales.new(title="الف", tags=("عمده",))
    tags = sales.services.tag_admin
    tag = _tag(sales, "عمده").id
    tags.delete(sales.admin, tag)
    assert _board_tags(sales) == {"الف": ()}
    assert [t.deleted for t in tags.list_tags(sales.admin, include_deleted=True)] == [True]
    tags.restore(sales.admin, tag)
    assert _board_tags(sales) == {"الف": (("عمده", None),)}


def test_only_an_administrator_manages_tags(sales) -> None:
    sales.new(title="الف", tags=("عمده",))
    tag = _tag(sales, "عمده").id
    for attempt in (
        lambda: sales.services.tag_admin.rename(sales.rep, tag, "تازه"),
        lambda: sales.services.tag_admin.delete(sales.leader, tag),
        lambda: sales.services.tag_admin.list_tags(sales.rep),
    ):
        with pytest.raises(AccessDenied):
            attempt()

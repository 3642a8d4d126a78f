"""The lazy list model: passes Qt's model tester with fetch-more, loads pages, sorts by re-querying."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.services.identities.service import IdentityQuery
from app.ui.common import lazy_table
from app.ui.common.lazy_table import PAGE, LazyTableModel
from app.ui.identities.identity_dock import COLUMNS


def _model(services, actor, size: int = PAGE) -> LazyTableModel:
    def fetch(cursor, limit, key, desc):
        return services.identities.page(actor, IdentityQuery(sort=key or "display_name", descending=desc), cursor, limit)

    count = lambda: services.identities.count(actor, IdentityQuery())  # noqa: E731
    return LazyTableModel(COLUMNS, fetch, count, first_page=size)


def test_model_tester_with_fetch_more(qtmodeltester, demo_services, demo_admin) -> None:
    model = _model(demo_services, demo_admin)
    qtmodeltester.check(model, force_py=True)
    while model.canFetchMore():
        model.fetchMore()
    qtmodeltester.check(model, force_py=True)


def test_pages_arrive_on_demand_and_stop_at_the_total(demo_services, demo_admin) -> None:
    model = _model(demo_services, demo_admin)
    assert model.rowCount() == PAGE and model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 300 and not model.canFetchMore()
    assert len({model.row_at(i).id for i in range(300)}) == 300


def test_sort_requeries_and_shows_the_first_page_in_the_new_order(demo_services, demo_admin) -> None:
    model = _model(demo_services, demo_admin)
    model.sort(1, Qt.SortOrder.DescendingOrder)  # role
    roles = [model.row_at(i).role.value for i in range(model.rowCount())]
    assert roles == sorted(roles, reverse=True)
    assert model.rowCount() == PAGE


def test_far_pages_are_let_go_and_read_again_when_the_view_returns(monkeypatch, demo_services, demo_admin) -> None:
    monkeypatch.setattr(lazy_table, "PAGE", 10)
    monkeypatch.setattr(lazy_table, "KEEP_PAGES", 3)
    model = _model(demo_services, demo_admin, size=10)
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == 300 and model.held_rows() == 30  # 3 pages of 10 in memory, not 300 rows
    everything = demo_services.identities.search(demo_admin, IdentityQuery(), 0, 300)
    assert [model.row_at(i).id for i in range(300)] == [r.id for r in everything]
    assert model.held_rows() == 30
    first = model.index(0, 0)
    assert model.data(first) == everything[0].display_name and model.held_rows() == 30


def test_the_total_can_arrive_later(demo_services, demo_admin) -> None:
    model = LazyTableModel(COLUMNS, lambda c, n, k, d: demo_services.identities.page(demo_admin, IdentityQuery(), c, n), None)
    assert model.total() is None and model.rowCount() == PAGE
    model.set_total(300)
    assert model.total() == 300

"""The lazy list model: passes Qt's model tester with fetch-more, loads pages, sorts by re-querying."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.services.identities.service import IdentityQuery
from app.ui.common.lazy_table import PAGE, LazyTableModel
from app.ui.identities.identity_dock import COLUMNS


def _model(services, actor) -> LazyTableModel:
    def fetch(offset, limit, key, desc):
        return services.identities.search(
            actor, IdentityQuery(sort=key or "display_name", descending=desc), offset, limit
        )

    return LazyTableModel(COLUMNS, fetch, lambda: services.identities.count(actor, IdentityQuery()))


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

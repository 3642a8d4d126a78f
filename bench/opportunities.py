"""Opportunities benchmark: 200,000 identities, 20,000 opportunities (5,000 open). Prints JSON.

    python bench/opportunities.py [--identities N] [--opportunities M] [--open K] [--db PATH] [--board-only]

Measures: board first paint (the columns' first pages and totals + painting the visible cards) and
the next page of a column (scrolling), a drag-and-drop stage change round trip (service write + both
columns updated), a page of the open-opportunities list (page + count), and creating 1,000
opportunities through the service (one transaction each, and all in one transaction). Targets: 300 ms
(issue 20, with 15,000 open), 50 ms, 30 ms, 1.5 s. `--open 0` leaves the database's open
opportunities as they are (the board as built); `--board-only` measures the board and writes nothing else.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def build(db_path: Path, identities: int, opportunities: int, open_count: int):
    from app.services.core import migrations
    from app.services.core.registry import Services
    from app.services.demo import DemoBuilder

    services = Services.open(f"sqlite:///{db_path.as_posix()}")
    fresh = migrations.upgrade(services.db)
    admin = services.users.ensure_admin()
    if fresh:
        DemoBuilder(services.db, seed=1405).run(identities=identities, opportunities=opportunities)
    keep_open(services, open_count)
    return services, admin


def keep_open(services, open_count: int) -> None:
    """Exactly `open_count` open opportunities (0: as they are): closes the extra ones as lost, or reopens
    lost ones when the demo opened fewer (it opens about a third). Also bench/server.py."""
    from sqlalchemy import select, update

    from app.models import Opportunity, OpportunityStatus
    from app.services.core.actor import SYSTEM

    if not open_count:
        return
    with services.db.write(SYSTEM) as s:
        open_ids = s.scalars(select(Opportunity.id).where(Opportunity.status == OpportunityStatus.OPEN)).all()
        extra = open_ids[open_count:]
        lost = select(Opportunity.id).where(Opportunity.status == OpportunityStatus.LOST)
        missing = s.scalars(lost.limit(max(0, open_count - len(open_ids)))).all()
        reopened = {"status": OpportunityStatus.OPEN, "closed_on": None, "close_reason": None, "close_reason_id": None}
        lost_ones = {"status": OpportunityStatus.LOST, "close_reason": "بودجه"}
        for ids, values in ((extra, lost_ones), (missing, reopened)):
            for start in range(0, len(ids), 5000):
                s.execute(
                    update(Opportunity)
                    .where(Opportunity.id.in_(ids[start : start + 5000]))
                    .values(**values)
                    .execution_options(synchronize_session=False)
                )


def bench(services, admin, board_only: bool = False) -> dict:
    from PySide6.QtWidgets import QApplication

    from app.services.identities.service import IdentityQuery
    from app.services.opportunities.data import OpportunityData
    from app.services.opportunities.queries import OpportunityQuery
    from app.ui.opportunities.board_view import BoardView
    from app.ui.qt_setup import configure_application

    app = QApplication.instance() or QApplication([])
    configure_application(app)
    result: dict = {"open_opportunities": services.opportunities.count(admin, OpportunityQuery())}
    result["opportunities"] = services.opportunities.count(admin, OpportunityQuery(status=None))

    services.board.load(admin)  # warm the defaults check and SQLite's page cache once
    loads = []
    for _ in range(5):
        start = time.perf_counter()
        services.board.load(admin)
        loads.append(time.perf_counter() - start)
    result["board_query_ms"] = _ms(statistics.median(loads))

    result.update(board_first_paint(services, admin))
    if board_only:
        return result

    view = BoardView(services, admin)
    view.resize(1400, 900)
    view.load()
    view.show()
    view.grab()
    moves = []
    for i in range(30):
        source = view.columns[i % len(view.columns)]
        target = view.columns[(i + 1) % len(view.columns)]
        card = source.model.card_at(0)
        start = time.perf_counter()
        assert view.move_card(card.id, card.version, target.model.stage_id)
        app.processEvents()
        moves.append(time.perf_counter() - start)
    result["stage_change_round_trip_ms"] = _ms(statistics.median(moves))
    result["stage_change_round_trip_p95_ms"] = _ms(sorted(moves)[int(len(moves) * 0.95) - 1])

    lists = []
    for sort in ("expected_close", "title", "amount", "expected_close", "title", "amount"):
        query = OpportunityQuery(sort=sort)
        start = time.perf_counter()
        services.opportunities.search(admin, query, 0, 200)
        services.opportunities.count(admin, query)
        lists.append(time.perf_counter() - start)
    result["open_list_page_and_count_ms"] = _ms(statistics.median(lists))

    identities = [r.id for r in services.identities.search(admin, IdentityQuery(), 0, 1000)]
    items = [
        OpportunityData(identity_id=identities[i % len(identities)], title=f"فرصت آزمایشی {i}", amount=1_000_000 * i)
        for i in range(1000)
    ]
    start = time.perf_counter()
    for data in items:
        services.opportunity_records.create(admin, data)
    result["create_1000_one_transaction_each_s"] = round(time.perf_counter() - start, 2)
    start = time.perf_counter()
    services.opportunity_records.create_many(admin, items)
    result["create_1000_in_one_transaction_s"] = round(time.perf_counter() - start, 2)
    return result


def board_first_paint(services, admin, runs: int = 3) -> dict:
    """The board's first paint: one query and painting the visible cards, median of `runs`. Also bench/server.py."""
    from PySide6.QtWidgets import QApplication

    from app.ui.opportunities.board_view import BoardView
    from app.ui.qt_setup import configure_application

    app = QApplication.instance() or QApplication([])
    configure_application(app)
    paints = []
    for _ in range(runs):
        view = BoardView(services, admin)
        view.resize(1400, 900)
        start = time.perf_counter()
        view.load()
        view.show()
        view.grab()  # lays out and paints every visible card
        paints.append(time.perf_counter() - start)
        cards = sum(c.model.count() for c in view.columns)
        loaded = sum(c.model.rowCount() for c in view.columns)
        view.close()
        view.deleteLater()
    app.processEvents()
    return {
        "board_first_paint_ms": _ms(statistics.median(paints)),
        "board_cards": cards,
        "board_cards_loaded": loaded,
        "board_next_page_ms": next_page(services, admin),
    }


def next_page(services, admin, runs: int = 5) -> float:
    """A column's next page after its first (scrolling down the fullest column), median of `runs`."""
    board = services.board.load(admin)
    column = max(board.columns, key=lambda c: c.count)
    after = column.cards[-1] if column.cards else None
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        services.board.column_page(admin, None, column.stage_id, after)
        times.append(time.perf_counter() - start)
    return _ms(statistics.median(times))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--identities", type=int, default=200_000)
    parser.add_argument("--opportunities", type=int, default=20_000)
    parser.add_argument("--open", type=int, default=5_000)
    parser.add_argument("--db", type=Path, help="reuse this SQLite file (built on the first run)")
    parser.add_argument("--board-only", action="store_true", help="only the board (no moves, lists, creates)")
    args = parser.parse_args()
    path = args.db or Path(tempfile.mkdtemp()) / "bench.db"
    start = time.perf_counter()
    services, admin = build(path, args.identities, args.opportunities, args.open)
    built = round(time.perf_counter() - start, 1)
    result = {"identities": args.identities, "build_s": built, **bench(services, admin, args.board_only)}
    result["load_average"] = os.getloadavg()[0] if hasattr(os, "getloadavg") else None  # not on Windows
    result["targets"] = {"board_first_paint_ms": 300, "stage_change_round_trip_ms": 50,
                         "open_list_page_and_count_ms": 30, "create_1000_s": 1.5}  # fmt: skip
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()

"""The opportunity list with deal health: first page sorted by urgency, and a page's health.

    python bench/opportunity_list_health.py [--opportunities 5000] [--activities 100000] [--runs 7]

Builds the same throw-away database as bench/activities.py, then times, as medians over --runs:
- list_urgency_page_ms: OpportunityService.search, first page of 200 open opportunities sorted by urgency
  (ORDER BY the health rank and the nearest planned activity in SQL) with the page's health;
- list_urgency_page_all_ms: the same over every status (closed ones last);
- list_urgency_page_rep_ms: the same for an "own documents" rep;
- list_title_page_ms: the first page sorted by title, with the page's health (the list's default);
- list_count_ms: OpportunityService.count (the list asks it on every reload).
Prints JSON.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.models import OpportunityStatus  # noqa: E402
from app.services.core import migrations  # noqa: E402
from app.services.core.registry import Services  # noqa: E402
from app.services.opportunities.queries import OpportunityQuery  # noqa: E402

_spec = importlib.util.spec_from_file_location("bench_activities", Path(__file__).with_name("activities.py"))
bench_activities = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_activities)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--opportunities", type=int, default=5_000)
    parser.add_argument("--activities", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        services = Services.open(f"sqlite:///{(Path(work) / 'bench.db').as_posix()}")
        migrations.upgrade(services.db)
        admin = services.users.ensure_admin()
        began = time.perf_counter()
        rep = bench_activities.build(services, args.opportunities, args.activities, 2_000)
        build_s = time.perf_counter() - began
        search, median = services.opportunities.search, bench_activities.median_ms
        urgency = OpportunityQuery(sort="urgency")
        every = OpportunityQuery(sort="urgency", status=None)
        page = search(admin, urgency, 0, 200)
        result = {
            "opportunities": services.opportunities.count(admin, OpportunityQuery(status=None)),
            "activities": args.activities,
            "build_s": round(build_s, 1),
            "first_page_health": {h.value: [r.health for r in page].count(h) for h in {r.health for r in page}},
            "list_urgency_page_ms": median(lambda: search(admin, urgency, 0, 200), args.runs),
            "list_urgency_page_all_ms": median(lambda: search(admin, every, 0, 200), args.runs),
            "list_urgency_page_rep_ms": median(lambda: search(rep, urgency, 0, 200), args.runs),
            "list_title_page_ms": median(lambda: search(admin, OpportunityQuery(sort="title"), 0, 200), args.runs),
            "list_count_ms": median(lambda: services.opportunities.count(admin, OpportunityQuery()), args.runs),
            "open_is_default": OpportunityQuery().status is OpportunityStatus.OPEN,
        }
        services.db.dispose()
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()

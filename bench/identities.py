"""Identities at scale: import, quick search, the dock's first screen and scroll to the end, memory.

    python bench/identities.py [--db PATH] [--identities 200000] [--rows 10000] [--queries 200] [--no-import]

Without --db (or with a path that does not exist yet) a database of N identities is made first with
the demo builder, as `python -m app demo --identities N` does. The import runs on a copy, so the
given database is left as it was. Prints JSON. Targets (issues 4 and 20): import 10,000 rows < 6 s,
quick search p95 < 20 ms for the first screen (common terms too; the count follows in the background),
dock first screen < 300 ms, scrolling to the end linear in rows, memory < 300 MB whatever is scrolled.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Terms that match many rows: an e-mail domain and word (half the rows, clustered by kind), common
# first names and company words (clustered in name order), a mobile prefix, a surname suffix.
COMMON_TERMS = ["example.ir", "info", "محمد", "علی", "شرکت", "بازرگانی", "0912", "پور"]
CITIES = ["تهران", "مشهد", "اصفهان", "شیراز", "تبریز", "کرج", "قم", "اهواز", "رشت", "یزد"]


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def resident_mb() -> float | None:
    """The process's memory now (Linux), where the peak also holds start-up and the import."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            line = next(line for line in status if line.startswith("VmRSS"))
    except OSError:
        return None
    return round(int(line.split()[1]) / 1024, 1)


def peak_memory_mb() -> float | None:
    try:
        import resource
    except ImportError:  # Windows: no resource module
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / 1024 if sys.platform != "darwin" else peak / 2**20, 1)


def make_database(path: Path, identities: int) -> float:
    from app.services.core import migrations
    from app.services.core.database import Database
    from app.services.core.registry import Services
    from app.services.demo import DemoBuilder

    start = time.perf_counter()
    db = Database(f"sqlite:///{path.as_posix()}")
    migrations.upgrade(db)
    Services(db).users.ensure_admin()
    DemoBuilder(db, seed=1405).run(identities=identities, opportunities=min(2000, identities // 10))
    db.dispose()
    return time.perf_counter() - start


def realistic_queries(services, actor, count: int, rnd: random.Random) -> list[str]:
    """Names, partial names, mobiles (ASCII and Persian digits), Arabic letters, as reps type them."""
    from app.persian import to_persian_digits
    from app.services.identities.service import IdentityQuery

    total = services.identities.count(actor, IdentityQuery())
    rows = []
    for _ in range(8):
        rows += services.identities.search(actor, IdentityQuery(sort="created_at"), rnd.randrange(total - 60), 60)
    queries = []
    kinds = ["full", "last", "first", "partial", "mobile", "mobile_prefix", "persian_digits", "arabic", "short"]
    while len(queries) < count:
        row = rnd.choice(rows)
        kind = kinds[len(queries) % len(kinds)]
        parts = row.display_name.split()
        if kind == "full":
            q = row.display_name
        elif kind == "last":
            q = parts[-1]
        elif kind == "first":
            q = parts[0]
        elif kind == "partial":
            word = max(parts, key=len)
            q = word[: max(3, len(word) - 2)]
        elif kind == "mobile":
            q = row.mobile or parts[0]
        elif kind == "mobile_prefix":
            q = (row.mobile or "0912")[:7]
        elif kind == "persian_digits":
            q = to_persian_digits((row.mobile or "09121")[:8])
        elif kind == "arabic":
            q = row.display_name.replace("ی", "ي").replace("ک", "ك")
        else:
            q = parts[0][:2]
        queries.append(q)
    return queries


def bench_search(services, actor, queries: list[str], first_page: int) -> dict:
    """What the dock does per keystroke pause: the first page (on screen), then the count (the footer)."""
    from app.services.identities.service import IdentityQuery

    both, pages, cpu = [], [], []
    for q in queries:
        query = IdentityQuery(text=q)
        start, start_cpu = time.perf_counter(), time.process_time()
        services.identities.page(actor, query, None, first_page)
        middle = time.perf_counter()
        services.identities.count(actor, query)
        end = time.perf_counter()
        cpu.append(time.process_time() - start_cpu)
        both.append(end - start)
        pages.append(middle - start)
    return {
        "queries": len(queries),
        "count_and_first_page": summary(both),
        "first_page_only": summary(pages),
        "count_and_first_page_cpu": summary(cpu),  # this process's CPU: the figure on an idle machine
    }


def summary(xs: list[float]) -> dict:
    xs = sorted(xs)
    return {"p50_ms": ms(statistics.median(xs)), "p95_ms": ms(xs[int(len(xs) * 0.95) - 1]), "max_ms": ms(xs[-1])}


def bench_common_terms(services, actor, first_page: int) -> dict:
    """The first screen of terms with many hits, each asked 10 times: its median, and their p95."""
    from app.services.identities.service import IdentityQuery

    result, every = {}, []
    for term in COMMON_TERMS:
        query = IdentityQuery(text=term)
        times = []
        for _ in range(10):
            start = time.perf_counter()
            services.identities.page(actor, query, None, first_page)
            times.append(time.perf_counter() - start)
        result[term] = ms(statistics.median(times))
        every += times
    return {"first_page_median_ms": result, "all": summary(every)}


def bench_dock(services, actor) -> dict:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from app.services.identities.service import IdentityQuery
    from app.ui.identities.identity_dock import identity_panel
    from app.ui.qt_setup import configure_application

    app = QApplication.instance() or QApplication([])
    configure_application(app)
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "bench.ini"), QSettings.Format.IniFormat)
    identity_panel(services, actor, settings).deleteLater()  # imports and first-use costs out of the way
    app.processEvents()
    start, start_cpu = time.perf_counter(), time.process_time()
    panel = identity_panel(services, actor, settings)
    panel.resize(700, 900)
    panel.show()
    app.processEvents()
    first_screen, first_screen_cpu = time.perf_counter() - start, time.process_time() - start_cpu
    model = panel.model
    total = services.identities.count(actor, IdentityQuery())
    before = resident_mb()
    start = time.perf_counter()
    pages, halfway = 0, None
    while model.canFetchMore():  # what scrolling to the end makes the view ask for
        model.fetchMore()
        pages += 1
        if halfway is None and model.rowCount() >= total / 2:
            halfway = time.perf_counter() - start
    panel.table.scrollToBottom()
    app.processEvents()
    to_end = time.perf_counter() - start
    loaded, held, memory = model.rowCount(), model.held_rows(), resident_mb()
    start = time.perf_counter()
    panel.table.sortByColumn(4, panel.table.horizontalHeader().sortIndicatorOrder())  # by owner
    app.processEvents()
    sort_owner = time.perf_counter() - start
    result = {
        "first_screen_ms": ms(first_screen),
        "first_screen_cpu_ms": ms(first_screen_cpu),
        "scroll_to_end_s": round(to_end, 2),
        "first_half_s": round(halfway or 0, 2),  # linear paging: about half of scroll_to_end_s
        "rows_loaded": loaded,
        "rows_held": held,
        "resident_mb_before_scroll": before,
        "resident_mb_after_scroll": memory,
        "pages": pages,
        "sort_by_owner_ms": ms(sort_owner),
    }
    panel.deleteLater()
    app.processEvents()
    return result


def write_xlsx(path: Path, rows: int, rnd: random.Random) -> None:
    from faker import Faker
    from openpyxl import Workbook

    from app.services.demo.vocabulary import national_code_for

    fake = Faker("fa_IR")
    fake.seed_instance(rnd.randint(0, 10**6))
    firsts = [fake.first_name() for _ in range(400)]
    lasts = [fake.last_name() for _ in range(400)]
    book = Workbook(write_only=True)
    sheet = book.create_sheet("هویت‌ها")
    sheet.append(["نام", "نام خانوادگی", "موبایل", "ایمیل", "کد ملی", "شهر", "نشانی", "توضیحات"])
    for i in range(rows):
        mobile = "09" + rnd.choice("012349") + "".join(rnd.choices("0123456789", k=8))
        sheet.append(
            [
                rnd.choice(firsts),
                rnd.choice(lasts),
                mobile,
                f"user{i}.{rnd.randint(0, 10**6)}@example.com" if rnd.random() < 0.6 else None,
                national_code_for(rnd) if rnd.random() < 0.5 else None,
                rnd.choice(CITIES),
                f"خیابان {rnd.randint(1, 200)}، پلاک {rnd.randint(1, 90)}",
                "وارد شده از فایل نمونه" if rnd.random() < 0.2 else None,
            ]
        )
    book.save(path)


def bench_import(db_path: Path, rows: int, rnd: random.Random) -> dict:
    from app.services.core.actor import SYSTEM
    from app.services.core.database import Database
    from app.services.core.registry import Services
    from app.services.identities.service import IdentityQuery

    work = Path(tempfile.mkdtemp())
    copy = work / "import.db"
    shutil.copyfile(db_path, copy)
    source = work / "people.xlsx"
    write_xlsx(source, rows, rnd)
    services = Services(Database(f"sqlite:///{copy.as_posix()}"))
    before = services.identities.count(SYSTEM, IdentityQuery())
    start, start_cpu = time.perf_counter(), time.process_time()
    table = services.identity_import.read(source)
    read = time.perf_counter() - start
    result = services.identity_import.run(SYSTEM, table, services.identity_import.guess_mapping(table.headers), "skip")
    total, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    after = services.identities.count(SYSTEM, IdentityQuery())
    services.db.dispose()
    shutil.rmtree(work, ignore_errors=True)
    return {
        "rows": rows,
        "seconds": round(total, 2),
        "cpu_seconds": round(cpu, 2),
        "read_seconds": round(read, 2),
        "created": result.created,
        "skipped_duplicates": result.skipped,
        "failed": result.failed,
        "identities_before": before,
        "identities_after": after,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="SQLite file made by `python -m app demo` (made if missing)")
    parser.add_argument("--identities", type=int, default=200_000)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--no-import", action="store_true", help="leave out the import (it copies the file)")
    args = parser.parse_args()

    from app.services.core.database import Database
    from app.services.core.registry import Services
    from app.services.identities.service import IdentityQuery

    rnd = random.Random(args.seed)
    report: dict = {}
    path = args.db or Path(tempfile.mkdtemp()) / "bench.db"
    if not path.exists():
        report["demo_seconds"] = round(make_database(path, args.identities), 1)
    services = Services(Database(f"sqlite:///{path.as_posix()}", create=False))
    actor = services.users.ensure_admin()
    report["identities"] = services.identities.count(actor, IdentityQuery())
    queries = realistic_queries(services, actor, args.queries, rnd)
    from app.ui.identities.identity_dock import FIRST_PAGE

    report["load_average"] = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    # The first pass reads the file from disk (a cold cache right after start-up); the second is what a
    # rep typing into the box meets once the app has run for a moment.
    report["quick_search_cold"] = bench_search(services, actor, queries, FIRST_PAGE)
    report["quick_search"] = bench_search(services, actor, queries, FIRST_PAGE)
    report["common_terms"] = bench_common_terms(services, actor, FIRST_PAGE)
    report["dock"] = bench_dock(services, actor)
    services.db.dispose()
    if not args.no_import:
        report["import_xlsx"] = bench_import(path, args.rows, rnd)
    report["peak_memory_mb"] = peak_memory_mb()
    report["targets"] = {
        "import_10k_s": 6,
        "quick_search_p95_ms": 20,
        "dock_first_screen_ms": 300,
        "peak_memory_mb": 300,
    }
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()

"""The write path: CPU per identity created through the service, where it goes, and bytes per identity.

    python bench/write_path.py [--db PATH] [--identities 2000] [--creates 400] [--profile 200]

Without --db a fresh demo database of N identities is made (as `python -m app demo` does); with --db the
database is copied (and brought to this code's schema) first, so it is left as it was. On that database:

- `create_cpu_ms`: time.process_time of each `identities.create` (a person with a mobile, an e-mail, an
  address and a national code; the duplicate check on), as the administrator and as an own-documents rep;
- `profile`: cProfile over more creates, the time spent under each area of the write path (cumulative, so
  areas nest: `flush` holds the hooks) and the packages the CPU itself was spent in (own time);
- `bytes`: sqlite's dbstat per table and index: the database as given (bytes per identity it holds) and
  what the creates added (bytes per created identity).

Issue 20's targets: under 2 ms of CPU per create on an idle machine, under 1.2 KB per identity. JSON out.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FIRST = ["علی", "رضا", "مریم", "زهرا", "حسین", "فاطمه", "مهدی", "سارا", "امیر", "نرگس"]
LAST = ["کریمی", "احمدی", "رضایی", "موسوی", "حسینی", "جعفری", "صادقی", "نوری", "اکبری", "رحیمی"]
LETTERS = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"
CITIES = ["تهران", "مشهد", "اصفهان", "شیراز", "تبریز", "کرج", "قم", "اهواز", "رشت", "یزد"]
# Functions whose cumulative time names an area of the create path (module file, function name).
AREAS = {
    "validate": ("identities/records.py", "validate"),
    "duplicates": ("identities/duplicates.py", "candidates"),
    "apply": ("identities/records.py", "apply"),
    # The create's own insert without the ORM (app.services.identities.new_rows) and its parts.
    "new_rows": ("identities/new_rows.py", "insert_identity"),
    "new_rows_inserts": ("identities/new_rows.py", "_insert"),
    "new_rows_history": ("identities/new_rows.py", "_history"),
    "new_rows_derived": ("identities/new_rows.py", "_derive"),
    "new_rows_journal_notes": ("identities/new_rows.py", "_note"),
    "new_rows_detail": ("identities/new_rows.py", "detail"),
    "route": ("admin/assignment.py", "route"),
    "detail": ("identities/records.py", "detail"),
    "flush": ("sqlalchemy/orm/session.py", "flush"),
    "hook_stamp": ("core/database.py", "_stamp_business_rows"),
    "hook_text_guard": ("core/text_guard.py", "check_rows"),
    "hook_document_guard": ("core/document_guard.py", "_check"),
    "hook_access": ("core/access.py", "_check_flush"),
    "hook_audit": ("core/audit.py", "record_changes"),
    "hook_search_index": ("identities/search_index.py", "keep_derived_columns"),
    "hook_sort_keys": ("core/sort_keys.py", "keep_sort_keys"),
    "hook_capture": ("core/capture.py", "_after_flush"),
    "journal": ("core/journal.py", "_before_commit"),
    "commit": ("sqlalchemy/engine/base.py", "_commit_impl"),
}


def ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


def national_code(rnd: random.Random) -> str:
    while True:
        digits = [rnd.randrange(10) for _ in range(9)]
        if len(set(digits)) > 1 and digits[3:9] != [0] * 6:
            break
    remainder = sum(d * (10 - i) for i, d in enumerate(digits)) % 11
    check = remainder if remainder < 2 else 11 - remainder
    return "".join(map(str, digits)) + str(check)


def person(rnd: random.Random, n: int):
    """A new person no one else matches: a name with a random tail, fresh mobile, e-mail and code."""
    from app.services.identities.records import AddressData, IdentityData, PhoneData

    tail = "".join(rnd.choice(LETTERS) for _ in range(6))
    return IdentityData(
        first_name=rnd.choice(FIRST),
        last_name=f"{rnd.choice(LAST)} {tail}",
        national_code=national_code(rnd),
        phones=[PhoneData(f"0935{n:07d}")],
        emails=[f"bench.{n}.{rnd.randrange(10**6)}@example.ir"],
        addresses=[AddressData(city=rnd.choice(CITIES), street="خیابان آزادی، پلاک ۱۲")],
    )


def make_database(path: Path, identities: int) -> None:
    from app.services.core import migrations
    from app.services.core.database import Database
    from app.services.core.registry import Services
    from app.services.demo import DemoBuilder

    db = Database(f"sqlite:///{path.as_posix()}")
    migrations.upgrade(db)
    Services(db).users.ensure_admin()
    DemoBuilder(db, seed=1405).run(identities=identities, opportunities=min(2000, identities // 10))
    db.dispose()


def rep_actor(services):
    """An active own-documents user, as the rep logging in would act."""
    from sqlalchemy import select

    from app.models import AccessLevel, User
    from app.services.core.actor import SYSTEM, Actor

    with services.db.read(SYSTEM) as s:
        user = s.scalars(
            select(User).where(User.access_level == AccessLevel.OWN_DOCUMENTS, User.is_active.is_(True)).limit(1)
        ).first()
        if user is None:
            return None
        return Actor(user.id, user.login, user.display_name, user.access_level)


def create_one(services, actor, rnd: random.Random, n: int, profiler: cProfile.Profile | None = None) -> float:
    """CPU seconds of one successful create; a person that happens to match an existing one (a demo
    database's random mobiles and codes) is drawn again, and that attempt not counted."""
    from app.services.identities.duplicates import DuplicatesFound

    while True:
        data = person(rnd, n)
        if profiler is not None:
            profiler.enable()
        began = time.process_time()
        try:
            services.identities.create(actor, data)
            return time.process_time() - began
        except DuplicatesFound:
            n += 10**6
        finally:
            if profiler is not None:
                profiler.disable()


def create_cpu(services, actor, rnd: random.Random, start: int, count: int) -> dict:
    times = [create_one(services, actor, rnd, n) for n in range(start, start + count)]
    times.sort()
    return {
        "creates": count,
        "median": ms(statistics.median(times)),
        "p95": ms(times[int(len(times) * 0.95) - 1]),
        "mean": ms(statistics.fmean(times)),
    }


def profile(services, actor, rnd: random.Random, start: int, count: int) -> dict:
    profiler = cProfile.Profile(time.process_time)  # CPU, as the target is; not the fsync waits
    for n in range(start, start + count):
        create_one(services, actor, rnd, n, profiler)
    stats = pstats.Stats(profiler).stats  # {(file, line, name): (cc, nc, tottime, cumtime, callers)}
    total = sum(tottime for _cc, _nc, tottime, _cum, _callers in stats.values())
    areas: dict[str, float] = {}
    for area, (file_end, function) in AREAS.items():
        areas[area] = sum(
            cum
            for (file, _line, name), (_cc, _nc, _tt, cum, _c) in stats.items()
            if name == function and file.replace(os.sep, "/").endswith(file_end)
        )
    own: dict[str, float] = {}
    for (file, _line, _name), (_cc, _nc, tottime, _cum, _callers) in stats.items():
        path = file.replace(os.sep, "/")
        if "/app/" in path:
            key = "app/" + path.split("/app/", 1)[1].rsplit("/", 1)[0]
        elif "site-packages/" in path:
            key = path.split("site-packages/", 1)[1].split("/", 2)[0:2]
            key = "/".join(key) if key[0] == "sqlalchemy" else key[0]
        else:
            key = "python"
        own[key] = own.get(key, 0.0) + tottime
    top = sorted(own.items(), key=lambda kv: -kv[1])[:12]
    calls = sum(nc for _cc, nc, _tt, _cum, _c in stats.values())
    per = 1000 / count
    return {
        "creates": count,
        "profiled_ms_per_create": round(total * per, 3),
        "function_calls_per_create": round(calls / count),
        "areas_ms_per_create": {k: round(v * per, 3) for k, v in areas.items()},
        "own_time_ms_per_create": {k: round(v * per, 3) for k, v in top},
    }


def statements_per_create(services, actor, rnd: random.Random, start: int) -> int:
    from sqlalchemy import event

    count = 0

    def seen(*_args) -> None:
        nonlocal count
        count += 1

    event.listen(services.db.engine, "before_cursor_execute", seen)
    create_one(services, actor, rnd, start)
    event.remove(services.db.engine, "before_cursor_execute", seen)
    return count


def dbstat(path: Path) -> dict[str, int]:
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return dict(conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall())
    finally:
        conn.close()


def per_identity(sizes: dict[str, int], identities: int, top: int = 25) -> dict:
    rows = sorted(((name, size / identities) for name, size in sizes.items() if size), key=lambda kv: -kv[1])
    return {
        "total": round(sum(sizes.values()) / identities),
        "top": {name: round(size) for name, size in rows[:top]},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path)
    parser.add_argument("--identities", type=int, default=2000, help="size of the fresh demo database")
    parser.add_argument("--creates", type=int, default=400)
    parser.add_argument("--profile", type=int, default=200)
    parser.add_argument("--keep", action="store_true", help="leave the working copy in place")
    args = parser.parse_args()

    from app.services.core.database import Database
    from app.services.core.registry import Services
    from app.services.identities.service import IdentityQuery

    work = Path(tempfile.mkdtemp(prefix="write_path_", dir=os.environ.get("BENCH_TMP")))
    path = work / "bench.db"
    report: dict = {"loadavg": os.getloadavg()[0] if hasattr(os, "getloadavg") else None}
    began = time.perf_counter()
    if args.db is not None:
        shutil.copy2(args.db, path)
        for suffix in ("-wal", "-shm"):
            if Path(f"{args.db}{suffix}").exists():
                shutil.copy2(f"{args.db}{suffix}", f"{path}{suffix}")
        report["database"] = str(args.db)
        from app.services.core import migrations

        copy = Database(f"sqlite:///{path.as_posix()}", create=False)
        report["migrated"] = migrations.upgrade(copy, backups_dir=work / "backups")  # this code's schema
        copy.dispose()
        shutil.rmtree(work / "backups", ignore_errors=True)
    else:
        make_database(path, args.identities)
        report["database"] = f"fresh demo, {args.identities} identities"
    report["setup_s"] = round(time.perf_counter() - began, 1)

    services = Services(Database(f"sqlite:///{path.as_posix()}", create=False))
    admin = services.users.ensure_admin()
    held = services.identities.count(admin, IdentityQuery())
    services.db.engine.dispose()
    before = dbstat(path)
    report["identities"] = held
    report["bytes_per_identity_held"] = per_identity(before, held)

    rnd = random.Random(20)
    create_one(services, admin, rnd, 0)  # first-use costs (imports, compiled SQL) out of the way
    report["statements_per_create"] = statements_per_create(services, admin, rnd, 1)
    report["create_cpu_ms"] = {"admin": create_cpu(services, admin, rnd, 10, args.creates)}
    rep = rep_actor(services)
    if rep is not None:
        report["create_cpu_ms"]["rep"] = create_cpu(services, rep, rnd, 10 + args.creates, args.creates // 2)
    start = 10 + 2 * args.creates
    report["profile"] = profile(services, admin, rnd, start, args.profile)

    created = services.identities.count(admin, IdentityQuery()) - held
    services.db.dispose()
    after = dbstat(path)
    added = {name: after.get(name, 0) - before.get(name, 0) for name in after}
    report["bytes_per_created_identity"] = per_identity(added, created) | {"created": created}
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(report, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()

"""Offline sync at scale (issue 18), against a real office server. Prints JSON.

    python bench/sync.py [--server URL] [--name DB] [--keep] [--identities 50000] [--opportunities 10000]
                         [--changes 10000]

A database `--name` is made on `--server` (default: $PEYVAND_TEST_PG_URL) with schema, row security
and the demo builder (reused when it already has identities), then, as a user who sees every record
(access level «همه») through their own server role:
- first copy of everything that user sees to a new laptop file, in a child process (its peak memory,
  the whole process's, is reported);
- `--changes` offline changes on the laptop (one local transaction each: an identity's website), then
  one sync that pushes them all and pulls what came back;
- a sync with nothing to do (median of 5).
Targets: first copy < 60 s and < 300 MB; push of 10,000 < 30 s; a no-change sync < 200 ms.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PASSWORD = "bench-sync-password-1"
LOGIN = "bench_all"


def _registration(url: str):
    """A user who sees every record, with their own server role, and a laptop registered for them."""
    import secrets

    from sqlalchemy import select

    from app.models import AccessLevel, Setting, SyncDevice, User, new_id
    from app.services.admin.users import UserData
    from app.services.core.actor import SYSTEM
    from app.services.core.database import Database
    from app.services.core.registry import Services
    from app.services.server import security as server_security
    from app.services.sync.devices import Registration

    services = Services(Database(url))
    admin = services.users.ensure_admin()
    with services.db.read(SYSTEM) as s:
        user = s.scalars(select(User).where(User.login == LOGIN)).first()
    if user is None:
        row = services.users.create_user(admin, UserData(LOGIN, "همه‌بین", AccessLevel.ALL_DOCUMENTS), PASSWORD)
        user_id = row.id
    else:
        user_id = user.id
    with services.db.engine.begin() as conn:
        server_security.set_user_role(conn, LOGIN, PASSWORD)
    device = SyncDevice(id=new_id(), user_id=user_id, name="بنچ", code=f"B{secrets.randbelow(10**6)}", secret="0" * 64)
    with services.db.write(SYSTEM) as s:
        s.add(device)
        hub_id = s.scalar(select(Setting.value).where(Setting.key == "device_id"))
    from sqlalchemy.engine import make_url

    u = make_url(url)
    server = {"host": u.host, "port": u.port, "database": u.database}
    services.db.dispose()
    return Registration(hub_id, device.id, device.code, device.name, user_id, LOGIN, device.secret, server)


def _first_copy(registration, local_url: str, out) -> None:
    import resource

    from app.services.sync import setup

    start = time.perf_counter()
    setup.first_copy(registration, PASSWORD, local_url)
    seconds = time.perf_counter() - start
    out.put(
        {"seconds": round(seconds, 1), "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default=os.environ.get("PEYVAND_TEST_PG_URL"))
    parser.add_argument("--name", default="peyvand_bench_sync")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--identities", type=int, default=50_000)
    parser.add_argument("--opportunities", type=int, default=10_000)
    parser.add_argument("--changes", type=int, default=10_000)
    args = parser.parse_args()
    if not args.server:
        parser.error("give --server URL (or set PEYVAND_TEST_PG_URL)")

    from sqlalchemy import func, select
    from sqlalchemy.engine import make_url

    from app.models import Identity
    from app.services.core.actor import SYSTEM
    from app.services.core.database import Database
    from app.services.core.registry import Services
    from app.services.sync.service import SyncService
    from bench.server import _admin_url, build
    from tests.conftest import sqlite_url

    url = make_url(args.server).set(database=args.name).render_as_string(hide_password=False)
    try:
        _admin_url(args.server, f"CREATE DATABASE {args.name}")
    except Exception:  # noqa: BLE001 - reused with --keep
        pass
    report: dict = {"load_average_before": os.getloadavg()}
    try:
        built = build(url, args.identities, args.opportunities)
        report["build_s"] = None if built is None else round(built, 1)
        registration = _registration(url)
        folder = Path(tempfile.mkdtemp(prefix="peyvand-bench-sync-"))
        local_url = sqlite_url(folder / "laptop.db")
        ctx = mp.get_context("spawn")
        out = ctx.Queue()
        child = ctx.Process(target=_first_copy, args=(registration, local_url, out))
        child.start()
        report["first_copy"] = out.get()
        child.join()

        laptop = Services(Database(local_url, create=False))
        with laptop.db.read(SYSTEM) as s:
            report["first_copy"]["identities"] = s.scalar(select(func.count()).select_from(Identity))
            ids = s.scalars(select(Identity.id).order_by(Identity.id).limit(args.changes)).all()
        actor = laptop.users.authenticate(LOGIN, PASSWORD)  # offline: the password hash came with the copy
        start = time.perf_counter()
        for n, identity_id in enumerate(ids):
            with laptop.db.write(actor) as s:
                s.get(Identity, identity_id).website = f"w{n}.example.ir"
        report["offline_changes"] = {"count": len(ids), "made_s": round(time.perf_counter() - start, 1)}
        sync = SyncService(laptop.db)
        start = time.perf_counter()
        result = sync.sync(actor, PASSWORD)
        report["push"] = {
            "batches": result.pushed,
            "rows_pulled_back": result.pulled,
            "seconds": round(time.perf_counter() - start, 1),
        }
        times = []
        for _ in range(5):
            start = time.perf_counter()
            sync.sync(actor, PASSWORD)
            times.append((time.perf_counter() - start) * 1000)
        report["no_change_sync_ms"] = {"median": round(statistics.median(times), 1), "all": [round(t) for t in times]}
        laptop.db.dispose()
        report["load_average_after"] = os.getloadavg()
        report["targets"] = {"first_copy_s": 60, "first_copy_mb": 300, "push_10000_s": 30, "no_change_sync_ms": 200}
        print(json.dumps(report, ensure_ascii=False, indent=2))
    finally:
        if not args.keep:
            _admin_url(args.server, f"DROP DATABASE IF EXISTS {args.name} WITH (FORCE)")
            from app.services.server import security as server_security

            _admin_url(args.server, f"DROP ROLE IF EXISTS {server_security.role_name(LOGIN)}")


if __name__ == "__main__":
    main()

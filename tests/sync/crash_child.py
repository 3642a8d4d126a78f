"""A laptop's sync killed without warning (SIGKILL, as a power cut or Task Manager would) at one point of
its work, in a fresh interpreter (not a test module; the crash tests spawn it with `crash`).

    python -m tests.sync.crash_child <laptop url> <point>

Points: "office_commit" (the office applied and recorded the batch, its COMMIT not yet run),
"acknowledge" (the office committed, the laptop has not forgotten the batch), "pull" (a page of the
office's rows written here, the local COMMIT not yet run). Exit code 3: the point was never reached."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _die(*_args, **_kwargs):
    os.kill(os.getpid(), signal.SIGKILL)


def _after(original):
    def run(*args, **kwargs):
        original(*args, **kwargs)
        _die()

    return run


def main(url: str, point: str) -> None:
    from sqlalchemy import select

    from app.models import AccessLevel, User
    from app.services.core.actor import Actor
    from app.services.core.database import Database
    from app.services.sync import hub_calls, pull, push, state
    from app.services.sync.service import SyncService
    from tests.sync.world import REP_PASSWORD

    if point == "office_commit":
        hub_calls.record_many = _after(hub_calls.record_many)  # the push records a group's batches at once
    elif point == "acknowledge":
        push.acknowledge = _die
    elif point == "pull":
        pull.apply_keys = _after(pull.apply_keys)
    else:
        raise SystemExit(f"unknown point {point}")
    db = Database(url, create=False)
    laptop = state.load(db)
    with db.engine.connect() as conn:
        user = conn.execute(select(User).where(User.id == laptop.user_id)).mappings().one()
    actor = Actor(user["id"], user["login"], user["display_name"], AccessLevel(user["access_level"]))
    SyncService(db).sync(actor, REP_PASSWORD)
    raise SystemExit(3)


def crash(url: str, point: str) -> None:
    """Runs the laptop's sync in a new process and checks it died of SIGKILL at `point`."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.sync.crash_child", url, point],
        cwd=ROOT,
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == -signal.SIGKILL, f"exit {done.returncode}:\n{done.stderr}"


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

"""Start-up time of Peyvand's main window against an empty QMainWindow on the same machine.

    python bench/startup.py [--identities 200000] [--runs 5] [--db URL]

Each run is a new process; times are from spawning it to the child printing "shown <epoch>"
right after its window is on screen, and (Peyvand only) "rows <epoch>" once the docks show live
rows from the database. Prints JSON with the medians and the ratios (target ≤ 2.0 for "shown").
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EMPTY_WINDOW = """
import sys, time
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
w = QMainWindow(); w.resize(1280, 800); w.show()
app.processEvents()
print(f"shown {time.time()}", flush=True)
"""


def marks(cmd: list[str], env: dict) -> dict[str, float]:
    """Seconds from spawning `cmd` to each "<label> <epoch>" line it prints."""
    start = time.time()
    out = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=120).stdout
    return {line.split()[0]: float(line.split()[1]) - start for line in out.splitlines() if line[:1].isalpha()}


def make_database(work: Path, identities: int, env: dict) -> tuple[str, float]:
    url = f"sqlite:///{(work / 'bench.db').as_posix()}"
    began = time.perf_counter()
    cmd = [
        sys.executable,
        "-m",
        "app",
        "demo",
        "--identities",
        str(identities),
        "--opportunities",
        str(max(identities // 10, 10)),
        "--db",
        url,
    ]
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, capture_output=True)
    return url, time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--identities", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", help="an existing database to start on (skips creating one)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="peyvand-bench-"))
    env = {**os.environ, "PEYVAND_HOME": str(work / "home"), "QT_QPA_PLATFORM": "offscreen"}
    url, made = (args.db, None) if args.db else make_database(work, args.identities, env)

    peyvand_cmd = [sys.executable, "-m", "app", "--db", url, "--quit-when-shown"]
    marks(peyvand_cmd, env)  # one start outside the measurement: the first start writes its settings
    peyvand = [marks(peyvand_cmd, env) for _ in range(args.runs)]
    empty = [marks([sys.executable, "-c", EMPTY_WINDOW], env)["shown"] for _ in range(args.runs)]
    shown = statistics.median(run["shown"] for run in peyvand)
    rows = statistics.median(run["rows"] for run in peyvand)
    baseline = statistics.median(empty)
    result = {
        "identities": None if made is None else args.identities,
        "demo_seconds": None if made is None else round(made, 1),
        "empty_window_median_s": round(baseline, 3),
        "peyvand_window_shown_median_s": round(shown, 3),
        "peyvand_rows_shown_median_s": round(rows, 3),
        "ratio_window_shown": round(shown / baseline, 2),
        "ratio_rows_shown": round(rows / baseline, 2),
        "target_ratio": 2.0,
        "peyvand_runs_s": [{k: round(v, 3) for k, v in run.items()} for run in peyvand],
        "empty_runs_s": [round(t, 3) for t in empty],
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

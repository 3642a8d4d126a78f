"""Start-up time of Peyvand's main window against an empty QMainWindow on the same machine.

    python bench/startup.py [--identities 200000] [--runs 5] [--db URL]

Each run is a new process; times are from spawning it to the child printing "shown <epoch>"
right after its window is on screen, and (Peyvand only) "rows <epoch>" once the docks show live
rows from the database. Prints JSON with the medians and the ratios (target ≤ 2.0 for "shown").

On a shared machine the wall time follows the load, so each run also reports the CPU seconds the
process and its GUI thread had spent at "rows", the whole process's CPU and peak memory, and the
one-minute load average when it started. The children run from cached bytecode, as an installed
program does: PYTHONDONTWRITEBYTECODE (set in some shells) made every start compile ~300 modules.
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
    """Seconds from spawning `cmd` to each "<label> <epoch> [<process CPU> <GUI thread CPU>]" line it
    prints (the CPU figures as `<label>_cpu`, `<label>_gui_cpu`), with the child's total CPU seconds,
    its peak memory in MB and the load average at its start."""
    load = os.getloadavg()[0]
    start = time.time()
    child = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    with child.stdout:
        out = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)  # reaped here, not by Popen: wait4 gives the child's rusage
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise subprocess.CalledProcessError(child.returncode, cmd, out)
    found = {"load": load, "cpu": usage.ru_utime + usage.ru_stime, "max_rss_mb": usage.ru_maxrss / 1024}
    for line in out.splitlines():
        if not line[:1].isalpha():
            continue
        label, epoch, *cpu = line.split()
        found[label] = float(epoch) - start
        if cpu:
            found[f"{label}_cpu"], found[f"{label}_gui_cpu"] = map(float, cpu)
    return found


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
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # the first start below writes the bytecode the measured ones read
    url, made = (args.db, None) if args.db else make_database(work, args.identities, env)

    peyvand_cmd = [sys.executable, "-m", "app", "--db", url, "--quit-when-shown"]
    marks(peyvand_cmd, env)  # one start outside the measurement: it writes the settings and the bytecode
    peyvand = [marks(peyvand_cmd, env) for _ in range(args.runs)]
    empty = [marks([sys.executable, "-c", EMPTY_WINDOW], env)["shown"] for _ in range(args.runs)]
    shown = statistics.median(run["shown"] for run in peyvand)
    rows = statistics.median(run["rows"] for run in peyvand)
    baseline = statistics.median(empty)

    def median(key: str) -> float:
        return round(statistics.median(run[key] for run in peyvand), 3)

    result = {
        "identities": None if made is None else args.identities,
        "demo_seconds": None if made is None else round(made, 1),
        "empty_window_median_s": round(baseline, 3),
        "peyvand_window_shown_median_s": round(shown, 3),
        "peyvand_rows_shown_median_s": round(rows, 3),
        "ratio_window_shown": round(shown / baseline, 2),
        "ratio_rows_shown": round(rows / baseline, 2),
        "rows_cpu_median_s": median("rows_cpu"),
        "rows_gui_cpu_median_s": median("rows_gui_cpu"),
        "process_cpu_median_s": median("cpu"),
        "max_rss_median_mb": median("max_rss_mb"),
        "load_median": median("load"),
        "target_ratio": 2.0,
        "peyvand_runs_s": [{k: round(v, 3) for k, v in run.items()} for run in peyvand],
        "empty_runs_s": [round(t, 3) for t in empty],
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
